/**
 * deployments/<network>.json: where the three registries live, written by scripts/deploy.ts and read by
 * every tool and node that talks to them. A follower starts reading events at `deploymentBlock`; the
 * constructors emit events for every initial value, so those events rebuild the whole state.
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
