/**
 * Gas benchmark of the registries (not a test): `npm run bench:gas`.
 * Deploys on the in-process Hardhat network and prints the gas used by each user action, with the issue's
 * aims beside the ones that have one. The "at 1,001" rows repeat an action after 1,000 candidates, 1,000
 * voters and 1,000 token holders exist, to show that no cost grows with them.
 */
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Wallet } from "ethers";
import type { ContractTransactionResponse, TypedDataDomain } from "ethers";
import { deployGovernance } from "../deploy";
import {
  auditorSignature,
  readDomain,
  signCandidateConsent,
  signCredential,
  signRenewal,
  signSigningKeyConsent,
  signVote,
} from "../../node/types/eip712";
import { voteDigest } from "../../node/chain/voteDigest";
import { signDigest } from "../../node/chain/signing";
import type { CandidateRegistry, VoteRegistry } from "../../typechain-types";
import { reportFigure } from "./figure";

const { ethers } = hre;
const MIN_DEPOSIT = ethers.parseEther("1");
const UNBONDING = 3600n;
const L2_CHAIN_ID = 1337n;
const CROWD = 1000;

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
function newCandidate(): Wallet {
  return new Wallet(ethers.id(`bench candidate ${nextCandidate++}`));
}

let nextVoter = 0;
function newVoter(): Wallet {
  return new Wallet(ethers.id(`bench voter ${nextVoter++}`));
}

async function applicationFor(
  registry: CandidateRegistry,
  domain: TypedDataDomain,
  auditors: HardhatEthersSigner[],
  candidate: Wallet,
  operator: string,
) {
  const now = BigInt(await time.latest());
  const credential = {
    candidate: candidate.address,
    operator,
    qualificationHash: ethers.id(`qualification ${candidate.address}`),
    approve: true,
    issuedAt: now,
    expiresAt: now + 86_400n * 30n,
    nonce: await registry.registrationNonce(candidate.address),
  };
  const signatures = [];
  for (const auditor of auditors) {
    signatures.push(auditorSignature(credential, await signCredential(auditor, domain, credential)));
  }
  const consentSignature = await signCandidateConsent(candidate, domain, {
    candidate: candidate.address,
    operator,
    nonce: credential.nonce,
  });
  return {
    candidate: candidate.address,
    operator,
    qualificationHash: credential.qualificationHash,
    signatures,
    consentSignature,
  };
}

/** A relayed first vote of a fresh voter key for `candidate`. */
async function relayedVote(
  votes: VoteRegistry,
  domain: TypedDataDomain,
  relayer: HardhatEthersSigner,
  candidate: string,
) {
  const voter = newVoter();
  const deadline = BigInt(await time.latest()) + 3600n;
  const message = { voter: voter.address, add: [candidate], revoke: [], nonce: 0n, deadline };
  const signature = await signVote(voter, domain, message);
  return votes.connect(relayer).voteBySig(voter.address, [candidate], [], deadline, signature);
}

/** Two conflicting prevotes by `key`, signed by the node's own code. */
function equivocation(candidate: string, key: Wallet) {
  const hashes = [ethers.id("block A"), ethers.id("block B")];
  const [a, b] = hashes.map((h) =>
    signDigest(voteDigest("prevote", L2_CHAIN_ID, 9, 0, h as `0x${string}`), ethers.getBytes(key.privateKey)),
  );
  return [candidate, 1, 9, 0, hashes[0], a, hashes[1], b] as const;
}

async function main(): Promise<void> {
  const signers = await ethers.getSigners();
  const [owner, operator, submitter] = signers;
  const auditors = signers.slice(2, 7);
  const voters = signers.slice(7, 20);
  const deployed = await deployGovernance(
    owner,
    {
      auditors: auditors.map((a) => a.address),
      threshold: 3n,
      minDeposit: MIN_DEPOSIT,
      unbondingPeriod: UNBONDING,
      l2ChainId: L2_CHAIN_ID,
      treasury: signers[19].address,
    },
    hre.network.name,
  );
  const { auditorRegistry, candidateRegistry: registry, voteRegistry: votes } = deployed;
  const token = deployed.ownVotingToken!;
  const domain = await readDomain(owner, await registry.getAddress());
  const voteDomain = await readDomain(owner, await votes.getAddress());
  const rows: Row[] = [];
  const keys: Wallet[] = [];
  const register = async (n: number) => {
    await auditorRegistry.setThreshold(n);
    const key = newCandidate();
    keys.push(key);
    const app = await applicationFor(registry, domain, auditors.slice(0, n), key, operator.address);
    return gasOf(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }));
  };

  rows.push({ action: "registerCandidate, 3 signatures + consent", gas: await register(3), aim: 130_000n });
  rows.push({ action: "registerCandidate, 1 signature + consent", gas: await register(1) });
  rows.push({ action: "registerCandidate, 5 signatures + consent", gas: await register(5) });
  await auditorRegistry.setThreshold(3);
  const batch = [];
  for (let i = 0; i < 10; i++)
    batch.push(await applicationFor(registry, domain, auditors.slice(0, 3), newCandidate(), operator.address));
  rows.push({
    action: "registerCandidates, 10 x (3 signatures + consent)",
    gas: await gasOf(registry.connect(operator).registerCandidates(batch, { value: MIN_DEPOSIT * 10n })),
  });
  const listed = [...(await registry.candidates(0, 1000))];
  const voteAdd1 = async () => gasOf(votes.connect(voters[0]).vote([listed[0]], []));
  rows.push({ action: "vote, first-time voter adds 1", gas: await voteAdd1(), aim: 60_000n });
  rows.push({
    action: "voteBySig, first-time voter adds 1",
    gas: await gasOf(relayedVote(votes, voteDomain, owner, listed[1])),
    aim: 75_000n,
  });
  const equivocator = keys[0];
  const snapshot = await ethers.provider.send("evm_snapshot", []);
  rows.push({
    action: "submitEquivocation (first slashing credited to the treasury)",
    gas: await gasOf(registry.connect(submitter).submitEquivocation(...equivocation(equivocator.address, equivocator))),
    aim: 150_000n,
  });
  await ethers.provider.send("evm_revert", [snapshot]);

  // The crowd: 1,000 more candidates, voters and token holders.
  process.stderr.write(`registering ${CROWD} candidates, ${CROWD} voters and ${CROWD} holders ...\n`);
  for (let done = 0; done < CROWD; done += 50) {
    const apps = [];
    for (let i = 0; i < 50; i++)
      apps.push(await applicationFor(registry, domain, auditors.slice(0, 3), newCandidate(), operator.address));
    await (await registry.connect(operator).registerCandidates(apps, { value: MIN_DEPOSIT * 50n })).wait();
  }
  for (let i = 0; i < CROWD; i++) {
    await relayedVote(votes, voteDomain, owner, listed[i % listed.length]);
    await token.mint(newVoter().address, 1n);
  }
  rows.push({
    action: `registerCandidate, 3 signatures + consent, at ${CROWD + 14}`,
    gas: await register(3),
    aim: 130_000n,
  });
  rows.push({
    action: `vote, first-time voter adds 1, at ${CROWD + 2}`,
    gas: await gasOf(votes.connect(voters[1]).vote([listed[0]], [])),
    aim: 60_000n,
  });
  rows.push({
    action: `voteBySig, first-time voter adds 1, at ${CROWD + 3}`,
    gas: await gasOf(relayedVote(votes, voteDomain, owner, listed[2])),
    aim: 75_000n,
  });
  rows.push({
    action: `submitEquivocation, at ${CROWD + 14} candidates`,
    gas: await gasOf(registry.connect(submitter).submitEquivocation(...equivocation(equivocator.address, equivocator))),
    aim: 150_000n,
  });

  const all = [...(await registry.candidates(0, 100))].filter((c) => c !== equivocator.address);
  rows.push({
    action: "vote, first-time voter adds 30",
    gas: await gasOf(votes.connect(voters[2]).vote(all.slice(0, 30), [])),
  });
  rows.push({ action: "vote, revoke 1 of 30", gas: await gasOf(votes.connect(voters[2]).vote([], [all[7]])) });
  rows.push({
    action: "vote, revoke 1 and add 1 (holding 29)",
    gas: await gasOf(votes.connect(voters[2]).vote([all[40]], [all[8]])),
  });
  rows.push({ action: "vote, add 1 more (holding 1)", gas: await gasOf(votes.connect(voters[0]).vote([all[1]], [])) });
  rows.push({ action: "cancelSignedVotes", gas: await gasOf(votes.connect(voters[0]).cancelSignedVotes()) });

  const renewed = keys[1];
  const now = BigInt(await time.latest());
  const renewal = {
    candidate: renewed.address,
    operator: operator.address,
    qualificationHash: ethers.id("renewed"),
    approve: true,
    issuedAt: now,
    expiresAt: now + 86_400n * 60n,
    registration: await registry.registrationNonce(renewed.address),
    renewal: 0n,
  };
  const renewalSignatures = [];
  for (const auditor of auditors.slice(0, 3))
    renewalSignatures.push(auditorSignature(renewal, await signRenewal(auditor, domain, renewal)));
  rows.push({
    action: "renewCredentials, 3 signatures",
    gas: await gasOf(
      registry.connect(operator).renewCredentials({
        candidate: renewed.address,
        operator: operator.address,
        qualificationHash: renewal.qualificationHash,
        signatures: renewalSignatures,
        consentSignature: "0x",
      }),
    ),
  });
  const newKey = Wallet.createRandom();
  const keyConsent = await signSigningKeyConsent(newKey, domain, {
    candidate: renewed.address,
    operator: operator.address,
    signingKey: newKey.address,
    nonce: renewal.registration,
  });
  rows.push({
    action: "rotateSigningKey",
    gas: await gasOf(registry.connect(operator).rotateSigningKey(renewed.address, newKey.address, keyConsent)),
  });
  rows.push({ action: "withdraw", gas: await gasOf(registry.connect(operator).withdraw(renewed.address)) });
  await time.increase(UNBONDING);
  rows.push({ action: "refund (credits the operator)", gas: await gasOf(registry.refund(renewed.address)) });
  rows.push({
    action: "withdrawRefund",
    gas: await gasOf(registry.connect(operator).withdrawRefund(operator.address)),
  });
  print(rows);
}

function print(rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.action.length));
  console.log(`${"action".padEnd(width)}  ${"gas".padStart(9)}  aim`);
  for (const r of rows) {
    const aim = r.aim === undefined ? "" : `<= ${r.aim.toLocaleString("en-US")} ${r.gas <= r.aim ? "ok" : "MISSED"}`;
    console.log(`${r.action.padEnd(width)}  ${r.gas.toLocaleString("en-US").padStart(9)}  ${aim}`);
  }
  for (const r of rows.filter((row) => row.aim !== undefined)) {
    const aim = r.aim as bigint;
    const figure = { key: `gas.${r.action}`, what: r.action, value: Number(r.gas), unit: "gas" };
    reportFigure({ ...figure, aim: `≤ ${aim.toLocaleString("en-US")}`, met: r.gas <= aim });
  }
  if (rows.some((r) => r.aim !== undefined && r.gas > r.aim)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
