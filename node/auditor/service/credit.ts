import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Address } from "../../types/primitives";
import { formatIssues } from "../../config/zodIssue";

/**
 * Where an auditor learns an account's credit value: a JSON file `{ "0xaddress": "value" }` read at
 * each lookup (so an operator can edit it while the service runs), or an HTTP endpoint answering
 * `GET <url>?address=0x…` with `{ "creditValue": "value" }` (404 = unknown account).
 */
export interface CreditSource {
  /** The account's credit value, or undefined if the source does not know it. */
  creditOf(account: Address): Promise<bigint | undefined>;
}

const creditValue = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/)
  .transform(BigInt);
const creditFileSchema = z.record(z.string(), creditValue);
const creditResponseSchema = z.object({ creditValue });

export class FileCreditSource implements CreditSource {
  constructor(private readonly path: string) {}

  async creditOf(account: Address): Promise<bigint | undefined> {
    const json: unknown = JSON.parse(await readFile(this.path, "utf8"));
    const parsed = creditFileSchema.safeParse(json);
    if (!parsed.success) throw new Error(`credit file ${this.path} is malformed: ${formatIssues(parsed.error, json)}`);
    for (const [key, value] of Object.entries(parsed.data)) {
      if (key.toLowerCase() === account) return value;
    }
    return undefined;
  }
}

export class HttpCreditSource implements CreditSource {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async creditOf(account: Address): Promise<bigint | undefined> {
    const url = new URL(this.url);
    url.searchParams.set("address", account);
    const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`credit endpoint ${this.url} answered ${response.status}`);
    return creditResponseSchema.parse(await response.json()).creditValue;
  }
}
