/**
 * The messages of the repchain wire protocol, version 2 (docs/p2p.md), as they travel inside the
 * encrypted frames once the handshake is done. Binary, one message per frame:
 *
 *   gossip    0x01 ‖ uint8 topic length ‖ topic ‖ data
 *   request   0x02 ‖ uint32 id ‖ uint8 method length ‖ method ‖ data
 *   response  0x03 ‖ uint32 id ‖ data
 *   error     0x04 ‖ uint32 id ‖ UTF-8 reason (≤ 1024 bytes)
 *
 * Topics and methods are 1–64 characters of [a-z0-9_/.-] starting with a letter.
 */
export const PROTOCOL_VERSION = 2;

export type WireMessage =
  | { readonly t: "gossip"; readonly topic: string; readonly data: Uint8Array }
  | { readonly t: "req"; readonly id: number; readonly method: string; readonly data: Uint8Array }
  | { readonly t: "res"; readonly id: number; readonly data: Uint8Array }
  | { readonly t: "err"; readonly id: number; readonly error: string };

const KIND = { gossip: 1, req: 2, res: 3, err: 4 } as const;
const NAME = /^[a-z][a-z0-9_/.-]{0,63}$/;
export const MAX_ERROR_BYTES = 1024;
export const MAX_REQUEST_ID = 0xffff_ffff;

/** Parses one decrypted frame; undefined for anything that is not a well-formed message. */
export function decodeWireMessage(frame: Uint8Array): WireMessage | undefined {
  const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (bytes.length < 1) return undefined;
  switch (bytes[0]) {
    case KIND.gossip: {
      const topic = nameAt(bytes, 1);
      return topic === undefined ? undefined : { t: "gossip", topic, data: rest(bytes, 2 + topic.length) };
    }
    case KIND.req: {
      if (bytes.length < 6) return undefined;
      const method = nameAt(bytes, 5);
      if (method === undefined) return undefined;
      return { t: "req", id: bytes.readUInt32BE(1), method, data: rest(bytes, 6 + method.length) };
    }
    case KIND.res:
      return bytes.length < 5 ? undefined : { t: "res", id: bytes.readUInt32BE(1), data: rest(bytes, 5) };
    case KIND.err:
      if (bytes.length < 5 || bytes.length > 5 + MAX_ERROR_BYTES) return undefined;
      return { t: "err", id: bytes.readUInt32BE(1), error: bytes.subarray(5).toString("utf8") };
    default:
      return undefined;
  }
}

export function encodeWireMessage(message: WireMessage): Uint8Array {
  switch (message.t) {
    case "gossip":
      return Buffer.concat([Buffer.from([KIND.gossip]), nameBytes(message.topic), message.data]);
    case "req":
      return Buffer.concat([header(KIND.req, message.id), nameBytes(message.method), message.data]);
    case "res":
      return Buffer.concat([header(KIND.res, message.id), message.data]);
    case "err":
      return Buffer.concat([header(KIND.err, message.id), truncatedUtf8(message.error, MAX_ERROR_BYTES)]);
  }
}

/** Room for a message's envelope around its data: kind, id, a name and the AEAD tag. */
const ENVELOPE_BYTES = 1 + 4 + 1 + 64 + 16;

/** The frame limit that carries payloads of up to `payloadBytes`. */
export function maxFrameBytesFor(payloadBytes: number): number {
  return payloadBytes + ENVELOPE_BYTES;
}

function nameAt(bytes: Buffer, offset: number): string | undefined {
  if (bytes.length <= offset) return undefined;
  const length = bytes[offset];
  if (bytes.length < offset + 1 + length) return undefined;
  const name = bytes.subarray(offset + 1, offset + 1 + length).toString("latin1");
  return NAME.test(name) ? name : undefined;
}

function rest(bytes: Buffer, offset: number): Uint8Array {
  return new Uint8Array(bytes.subarray(offset));
}

function nameBytes(name: string): Buffer {
  if (!NAME.test(name)) throw new RangeError(`not a topic or method name: ${JSON.stringify(name)}`);
  return Buffer.concat([Buffer.from([name.length]), Buffer.from(name, "latin1")]);
}

function header(kind: number, id: number): Buffer {
  const out = Buffer.alloc(5);
  out[0] = kind;
  out.writeUInt32BE(id, 1);
  return out;
}

function truncatedUtf8(text: string, maxBytes: number): Buffer {
  const bytes = Buffer.from(text, "utf8");
  return bytes.length <= maxBytes
    ? bytes
    : Buffer.from(
        bytes
          .subarray(0, maxBytes)
          .toString("utf8")
          .replace(/\uFFFD$/, ""),
        "utf8",
      ).subarray(0, maxBytes);
}
