import { readFileSync } from "node:fs";
import { task } from "hardhat/config";
import { readDomain, signCandidateConsent } from "../../node/types/eip712";
import { registries, toQualificationHash } from "./common";

interface SignedCredential {
  approve: boolean;
  issuedAt: string;
  expiresAt: string;
  signature: string;
}

task("register-candidate", "Registers a candidate with credentials printed by sign-credential")
  .addParam("candidate", "the candidate's node address")
  .addParam("qualification", "qualification hash (0x..32 bytes) or the text the auditors hashed")
  .addParam("credentials", "comma-separated JSON files, each one credential or an array of them")
  .addOptionalParam("consent", "the candidate key's CandidateConsent signature (0x…65 bytes)")
  .addOptionalParam(
    "candidateKeyEnv",
    "variable holding the candidate's private key, to sign the consent here instead of --consent",
    "REPCHAIN_CANDIDATE_KEY",
  )
  .addOptionalParam("deposit", "deposit in ether (default: minDeposit)")
  .addOptionalParam("from", "operator account (default: first account); the credentials must name it")
  .setAction(async (args, hre) => {
    const { candidateRegistry, signer } = await registries(hre, args.from);
    const candidate = hre.ethers.getAddress(args.candidate);
    const signatures = (args.credentials as string)
      .split(",")
      .flatMap((file) =>
        [JSON.parse(readFileSync(file.trim(), "utf8")) as SignedCredential | SignedCredential[]].flat(),
      )
      .map((c) => ({
        approve: c.approve,
        issuedAt: BigInt(c.issuedAt),
        expiresAt: BigInt(c.expiresAt),
        signature: c.signature,
      }));
    const consentSignature = args.consent ?? (await signConsent(hre, candidate, signer.address, args.candidateKeyEnv));
    const value = args.deposit ? hre.ethers.parseEther(args.deposit) : await candidateRegistry.minDeposit();
    const app = {
      candidate,
      operator: signer.address,
      qualificationHash: toQualificationHash(args.qualification),
      signatures,
      consentSignature,
    };
    const receipt = await (await candidateRegistry.registerCandidate(app, { value })).wait();
    console.log(`candidate ${candidate} registered by ${signer.address} in block ${receipt!.blockNumber}`);
  });

/** Signs CandidateConsent(candidate, operator, registrationNonce) with the key in `keyEnv`. */
async function signConsent(
  hre: import("hardhat/types").HardhatRuntimeEnvironment,
  candidate: string,
  operator: string,
  keyEnv: string,
): Promise<string> {
  const key = process.env[keyEnv];
  if (!key) throw new Error(`register-candidate needs --consent or the candidate's key in ${keyEnv}`);
  const wallet = new hre.ethers.Wallet(key);
  if (wallet.address !== candidate) {
    throw new Error(`${keyEnv} holds the key of ${wallet.address}, expected the candidate ${candidate}`);
  }
  const { candidateRegistry } = await registries(hre);
  const domain = await readDomain(hre.ethers.provider, await candidateRegistry.getAddress());
  const nonce = await candidateRegistry.registrationNonce(candidate);
  return signCandidateConsent(wallet, domain, { candidate, operator, nonce });
}
