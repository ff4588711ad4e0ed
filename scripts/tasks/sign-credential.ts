import { writeFileSync } from "node:fs";
import { task, types } from "hardhat/config";
import { auditorSignature, readDomain, signCredential } from "../../node/types/eip712";
import { registries, toQualificationHash } from "./common";

task("sign-credential", "Signs an EIP-712 Credential as an auditor and prints it as JSON")
  .addParam("auditor", "the auditor account that signs")
  .addParam("candidate", "the candidate's node address")
  .addParam("operator", "the account that will send the registration (only it can)")
  .addParam("qualification", "qualification hash (0x..32 bytes) or text to hash")
  .addOptionalParam("validFor", "seconds the credential stays valid", 30 * 24 * 3600, types.int)
  .addFlag("reject", "sign a non-approving credential")
  .addOptionalParam("out", "write the JSON to this file instead of printing it")
  .setAction(async (args, hre) => {
    const { candidateRegistry, signer } = await registries(hre, args.auditor);
    const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
    const credential = {
      candidate: hre.ethers.getAddress(args.candidate),
      operator: hre.ethers.getAddress(args.operator),
      qualificationHash: toQualificationHash(args.qualification),
      approve: !args.reject,
      issuedAt: now,
      expiresAt: now + BigInt(args.validFor),
      nonce: await candidateRegistry.registrationNonce(args.candidate),
    };
    const domain = await readDomain(signer, await candidateRegistry.getAddress());
    const signature = await signCredential(signer, domain, credential);
    const out = { auditor: signer.address, ...credential, ...auditorSignature(credential, signature) };
    const json = JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
    if (args.out) writeFileSync(args.out, json + "\n");
    else console.log(json);
  });
