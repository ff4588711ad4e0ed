import { readFileSync } from "node:fs";
import { task } from "hardhat/config";
import { registries } from "./common";

/** Two conflicting L2 votes by one candidate's key, as the node records them. */
interface Evidence {
  candidate: string;
  step: "prevote" | "precommit";
  height: number | string;
  round: number | string;
  blockHashA: string;
  signatureA: string;
  blockHashB: string;
  signatureB: string;
}

const STEPS = { prevote: 1, precommit: 2 } as const;

task("submit-evidence", "Submits equivocation evidence: the candidate is slashed, the sender gets 10% of it")
  .addParam(
    "evidence",
    "JSON file {candidate, step: prevote|precommit, height, round, blockHashA, signatureA, blockHashB, signatureB}",
  )
  .addOptionalParam("from", "the submitter, credited the reward (default: first account)")
  .setAction(async (args, hre) => {
    const { candidateRegistry } = await registries(hre, args.from);
    const e = JSON.parse(readFileSync(args.evidence, "utf8")) as Evidence;
    const step = STEPS[e.step];
    if (step === undefined)
      throw new Error(`evidence step: expected "prevote" or "precommit", got ${JSON.stringify(e.step)}`);
    const tx = await candidateRegistry.submitEquivocation(
      e.candidate,
      step,
      BigInt(e.height),
      BigInt(e.round),
      e.blockHashA,
      e.signatureA,
      e.blockHashB,
      e.signatureB,
    );
    const receipt = await tx.wait();
    const slashed = receipt!.logs
      .map((log) => candidateRegistry.interface.parseLog(log))
      .find((parsed) => parsed?.name === "CandidateSlashed");
    console.log(
      `candidate ${e.candidate} slashed ${hre.ethers.formatEther(slashed!.args.amount)} ETH ` +
        `(evidence ${slashed!.args.evidenceHash}) in block ${receipt!.blockNumber}`,
    );
  });
