import type { FinalizedBlock } from "../chain/types";
import { encodeFinalizedBlock } from "../consensus/messageCodec";

/** A sync response as it goes on the wire: a JSON array of finalized blocks (decodeFinalizedBlocks). */
export interface EncodedBatch {
  readonly blocks: readonly FinalizedBlock[];
  readonly data: Uint8Array;
}

/**
 * The longest prefix of `blocks` whose encoded batch fits in `maxBytes`; the first block alone if
 * even it does not (a block is never split), unless it exceeds `hardLimitBytes`, in which case
 * nothing is served (the requester then asks another peer). Byte-sized, not count-sized: ten
 * maximum-size blocks would not fit one response, ten empty ones would waste a round trip each.
 */
export function batchWithinBytes(
  blocks: readonly FinalizedBlock[],
  maxBytes: number,
  hardLimitBytes: number,
): EncodedBatch {
  const parts: Buffer[] = [];
  let total = 1; // "["
  for (const finalized of blocks) {
    const encoded = Buffer.from(encodeFinalizedBlock(finalized));
    const next = total + encoded.length + 1; // "," or "]"
    if (next > hardLimitBytes || (parts.length > 0 && next > maxBytes)) break;
    parts.push(encoded);
    total = next;
  }
  const data = Buffer.from(`[${parts.map((p) => p.toString("utf8")).join(",")}]`, "utf8");
  return { blocks: blocks.slice(0, parts.length), data: new Uint8Array(data) };
}
