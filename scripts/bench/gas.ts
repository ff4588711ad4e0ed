/**
 * Gas benchmark of the registries (not a test): `npm run bench:gas`.
 * Deploys on the in-process Hardhat network and prints the gas used by each user action, with the
 * issue's aims beside the ones that have one. Run twice with more history to see that nothing grows
 * with the number of candidates or voters (the "later" rows).
 */
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse, TypedDataDomain } from "ethers";
import { deployGovernance } from "../deploy";
import { auditorSignature, readDomain, signCredential, signVote } from "../../node/types/eip712";
import type { CandidateRegistry } from "../../typechain-types";

const { ethers } = hre;
const MIN_DEPOSIT = ethers.parseEther("1");
const UNBONDING = 3600n;

interface Row {
  action: string;
  gas: bigint;
  aim?: bigint;
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}

let nextCandidate = 0;
function newCandidate(): string {
  return ethers.getAddress(ethers.dataSlice(ethers.id(`bench candidate ${nextCandidate++}`), 12));
}

async function applicationFor(
  registry: CandidateRegistry,
  domain: TypedDataDomain,
  auditors: HardhatEthersSigner[],
  candidate: string,
) {
  const now = BigInt(await time.latest());
  const credential = {
    candidate,
    qualificationHash: ethers.id(`qualification ${candidate}`),
    approve: true,
    issuedAt: now,
    expiresAt: now + 86_400n * 30n,
    nonce: await registry.registrationNonce(candidate),
  };
  const signatures = [];
  for (const auditor of auditors) {
    signatures.push(auditorSignature(credential, await signCredential(auditor, domain, credential)));
  }
  return { candidate, qualificationHash: credential.qualificationHash, signatures };
}

async function main(): Promise<void> {
  const signers = await ethers.getSigners();
  const [owner, operator] = signers;
  const auditors = signers.slice(2, 7);
  const voters = signers.slice(7, 20);
  const {
    auditorRegistry,
    candidateRegistry: registry,
    voteRegistry: votes,
  } = await deployGovernance(
    owner,
    {
      auditors: auditors.map((a) => a.address),
      threshold: 3n,
      minDeposit: MIN_DEPOSIT,
      unbondingPeriod: UNBONDING,
      representativeCount: 21n,
    },
    hre.network.name,
  );
  const domain = await readDomain(owner, await registry.getAddress());
  const voteDomain = await readDomain(owner, await votes.getAddress());
  const rows: Row[] = [];
  const register = async (n: number) => {
    await auditorRegistry.setThreshold(n);
    const app = await applicationFor(registry, domain, auditors.slice(0, n), newCandidate());
    return gasOf(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }));
  };

  rows.push({ action: "registerCandidate, 1 signature", gas: await register(1) });
  rows.push({ action: "registerCandidate, 3 signatures", gas: await register(3), aim: 150_000n });
  rows.push({ action: "registerCandidate, 5 signatures", gas: await register(5) });
  await auditorRegistry.setThreshold(3);
  const batch = [];
  for (let i = 0; i < 10; i++) batch.push(await applicationFor(registry, domain, auditors.slice(0, 3), newCandidate()));
  const batchGas = await gasOf(registry.connect(operator).registerCandidates(batch, { value: MIN_DEPOSIT * 10n }));
  rows.push({ action: "registerCandidates, 10 x 3 signatures", gas: batchGas });
  for (let i = 0; i < 30; i++) {
    const app = await applicationFor(registry, domain, auditors.slice(0, 3), newCandidate());
    await registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT });
  }
  rows.push({ action: "registerCandidate, 3 signatures, 44th candidate", gas: await register(3) });

  const listed = [...(await registry.candidates(0, 1000))];
  rows.push({
    action: "vote, first-time voter adds 1",
    gas: await gasOf(votes.connect(voters[0]).vote([listed[0]], [])),
    aim: 75_000n,
  });
  rows.push({
    action: "vote, first-time voter adds 30",
    gas: await gasOf(votes.connect(voters[1]).vote(listed.slice(0, 30), [])),
  });
  rows.push({ action: "vote, revoke 1 of 30", gas: await gasOf(votes.connect(voters[1]).vote([], [listed[7]])) });
  rows.push({
    action: "vote, revoke 1 and add 1 (holding 29)",
    gas: await gasOf(votes.connect(voters[1]).vote([listed[40]], [listed[8]])),
  });
  rows.push({
    action: "vote, add 1 more (holding 1)",
    gas: await gasOf(votes.connect(voters[0]).vote([listed[1]], [])),
  });
  const deadline = BigInt(await time.latest()) + 3600n;
  const voter = voters[2];
  const signature = await signVote(voter, voteDomain, {
    voter: voter.address,
    add: [listed[2]],
    revoke: [],
    nonce: await votes.nonces(voter.address),
    deadline,
  });
  rows.push({
    action: "voteBySig, first-time voter adds 1",
    gas: await gasOf(votes.connect(owner).voteBySig(voter.address, [listed[2]], [], deadline, signature)),
    aim: 100_000n,
  });
  for (let i = 3; i < voters.length; i++) await votes.connect(voters[i]).vote([listed[i]], []);
  rows.push({
    action: "vote, first-time voter adds 1, 14th voter",
    gas: await gasOf(votes.connect(signers[1]).vote([listed[5]], [])),
  });

  rows.push({ action: "withdraw", gas: await gasOf(registry.connect(operator).withdraw(listed[0])) });
  await time.increase(UNBONDING);
  rows.push({ action: "refund", gas: await gasOf(registry.refund(listed[0])) });
  print(rows);
}

function print(rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.action.length));
  console.log(`${"action".padEnd(width)}  ${"gas".padStart(9)}  aim`);
  for (const r of rows) {
    const aim = r.aim === undefined ? "" : `<= ${r.aim.toLocaleString("en-US")} ${r.gas <= r.aim ? "ok" : "MISSED"}`;
    console.log(`${r.action.padEnd(width)}  ${r.gas.toLocaleString("en-US").padStart(9)}  ${aim}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
