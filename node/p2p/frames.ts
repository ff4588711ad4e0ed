import { z } from "zod";

/**
 * The repchain wire protocol, version 1 (documented in docs/p2p.md).
 *
 * Transport: WebSocket (ws:// on 127.0.0.1 in tests and the devnet). Every frame is one UTF-8 JSON
 * object, at most `maxFrameBytes` long; binary payloads travel as base64. A connection starts with a
 * `hello` each way; nothing else is accepted before both have been exchanged.
 */
export const PROTOCOL_VERSION = 1;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "not base64");
const name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_/.-]*$/, "not a lowercase name");

export const helloSchema = z.object({
  t: z.literal("hello"),
  v: z.literal(PROTOCOL_VERSION),
  chainId: z.string().min(1).max(78),
  genesisHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  nodeId: z.string().min(1).max(128),
});
export const gossipSchema = z.object({ t: z.literal("gossip"), topic: name, data: base64 });
export const requestSchema = z.object({
  t: z.literal("req"),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: name,
  data: base64,
});
export const responseSchema = z.object({
  t: z.literal("res"),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  data: base64.optional(),
  error: z.string().max(1024).optional(),
});

export const wireMessageSchema = z.discriminatedUnion("t", [helloSchema, gossipSchema, requestSchema, responseSchema]);

export type Hello = z.infer<typeof helloSchema>;
export type WireMessage = z.infer<typeof wireMessageSchema>;

/** Parses one frame; returns undefined for anything that is not a well-formed protocol message. */
export function decodeWireMessage(frame: string): WireMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return undefined;
  }
  const parsed = wireMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** Room for a frame's envelope around its payload (type, topic or method, id, JSON syntax). */
const ENVELOPE_BYTES = 4096;

/** The frame limit that carries payloads of up to `payloadBytes` (base64 inflates them by 4/3). */
export function maxFrameBytesFor(payloadBytes: number): number {
  return Math.ceil(payloadBytes / 3) * 4 + ENVELOPE_BYTES;
}

export function encodeWireMessage(message: WireMessage): string {
  return JSON.stringify(message);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}
