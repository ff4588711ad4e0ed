/**
 * deployments/<network>.json: where the three registries and their voting token live, written by the
 * deploy and read by every tool and node that talks to them. The constructors emit events for every
 * initial value, so those events rebuild the whole state. A follower reads the registries from
 * `deploymentBlock` and the token from `votingTokenDeploymentBlock` (the token may be older than the
 * registries: power recorded before them counts), so it starts at the earlier of the two.
 */
import { readFileSync } from "node:fs";
import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import { formatIssues } from "../config/zodIssue";

const checksummedAddress = z
  .string()
  .refine((s) => isAddress(s) && getAddress(s) === s, { message: "must be a checksummed 0x address" });

export const DeploymentSchema = z.strictObject({
  network: z.string().min(1),
  chainId: z.number().int().positive(),
  auditorRegistry: checksummedAddress,
  candidateRegistry: checksummedAddress,
  voteRegistry: checksummedAddress,
  deploymentBlock: z.number().int().nonnegative(),
  deploymentBlockHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, { message: "must be a 32-byte 0x hash" }),
  /** The ERC-5805 (IVotes) token whose DelegateVotesChanged events weigh the votes (VoteRegistry.votingToken()). */
  votingToken: checksummedAddress,
  /** The block that created the token: its voting-power history starts there. */
  votingTokenDeploymentBlock: z.number().int().positive(),
  /** The L2 chain id CandidateRegistry accepts equivocation evidence for: the genesis chainId must equal it. */
  l2ChainId: z.number().int().positive(),
});

export type Deployment = z.infer<typeof DeploymentSchema>;

/** Thrown when a deployment file is missing, not JSON, or has a bad field (named in the message). */
export class DeploymentFileError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`deployment file ${path}: ${detail}`);
    this.name = "DeploymentFileError";
  }
}

/** The first L1 block whose events the node reads: the earlier of the registries' and the token's deployment. */
export function historyStartBlock(deployment: Deployment): number {
  return Math.min(deployment.deploymentBlock, deployment.votingTokenDeploymentBlock);
}

/** Parses and validates a deployment object; the error names each bad field. */
export function parseDeployment(value: unknown, source = "<deployment>"): Deployment {
  const result = DeploymentSchema.safeParse(value);
  if (!result.success) {
    throw new DeploymentFileError(source, formatIssues(result.error, value));
  }
  return result.data;
}

/** Reads and validates deployments/<network>.json. */
export function loadDeployment(path: string): Deployment {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new DeploymentFileError(path, `cannot read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DeploymentFileError(path, `not JSON: ${(err as Error).message}`);
  }
  return parseDeployment(json, path);
}
