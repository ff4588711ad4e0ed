import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from "node:crypto";
import { SigningKey, computeAddress, getBytes, keccak256, toUtf8Bytes } from "ethers";
import WebSocket from "ws";

/**
 * A repchain peer written from docs/p2p.md alone — it imports nothing from node/ — so the attack
 * tests speak the protocol as an outside implementation would, and can break any step of it on
 * purpose: claim another identity, replay a recorded handshake, send garbage after it.
 */
export interface MinimalPeerOptions {
  readonly url: string;
  readonly chainId: bigint;
  readonly genesisHash: string;
  /** 0x private key of the node key it proves (or claims, see `claim`). */
  readonly privateKey: string;
  /** Claim this address instead of the key's own (an impostor). */
  readonly claim?: string;
  /** Connect from this local address (127.0.0.x: another host, as far as the node can tell). */
  readonly localAddress?: string;
  /** Wait this long before sending the hello (a slow link). */
  readonly helloDelayMs?: number;
}

const LABEL = Buffer.from("repchain-p2p-v2");

export class MinimalPeer {
  readonly ws: WebSocket;
  /** Every frame this peer sent, as it went on the wire (for replays). */
  readonly sentFrames: Buffer[] = [];
  /** Decrypted messages received after the handshake. */
  readonly received: Buffer[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the peer's proven address once its proof checks out. */
  readonly authenticated: Promise<string>;
  private readonly ephemeral = generateKeyPairSync("x25519");
  private sendKey?: Buffer;
  private receiveKey?: Buffer;
  private sent = 0n;
  private got = 0n;
  private challenge?: Buffer;
  private peerAuthenticated = false;
  /** Answers to requests by method (see `answer`); requests for other methods go unanswered. */
  private readonly answers = new Map<string, (data: Buffer) => Buffer>();
  /** Methods of the requests received, in order. */
  readonly requests: string[] = [];

  constructor(private readonly o: MinimalPeerOptions) {
    this.ws = new WebSocket(o.url, { localAddress: o.localAddress });
    this.closed = new Promise((resolve) =>
      this.ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on("error", () => undefined);
    let authenticate: (id: string) => void = () => undefined;
    this.authenticated = new Promise((resolve) => (authenticate = resolve));
    // Our hello goes first: the node's frames wait until it is out (a slow link delays both).
    const helloSent = new Promise<void>((resolve) =>
      this.ws.on("open", () =>
        setTimeout(() => {
          if (this.ws.readyState === WebSocket.OPEN) this.sendFrame(this.hello());
          resolve();
        }, o.helloDelayMs ?? 0),
      ),
    );
    this.ws.on("message", (raw: Buffer) => void helloSent.then(() => this.onFrame(raw, authenticate)));
  }

  private onFrame(raw: Buffer, authenticate: (id: string) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.receiveKey === undefined) return this.onHello(raw);
    const plain = this.open(raw);
    if (plain === null) return this.ws.close();
    if (this.peerAuthenticated) {
      this.received.push(plain);
      return this.onRequest(plain);
    }
    this.peerAuthenticated = true;
    try {
      authenticate(this.verifyAuth(plain));
    } catch {
      this.ws.close();
    }
  }

  /** Sends a frame as it is (no encryption): for replays and garbage. */
  sendFrame(frame: Buffer): void {
    this.sentFrames.push(frame);
    this.ws.send(frame, { binary: true });
  }

  /** Sends a protocol message sealed with the session key. */
  sendSealed(plaintext: Buffer): void {
    this.sendFrame(this.seal(plaintext));
  }

  /** From now on answers each `method` request with `reply(data)` (a liar answers what it likes). */
  answer(method: string, reply: (data: Buffer) => Buffer): void {
    this.answers.set(method, reply);
  }

  /** A request is 0x02 ‖ uint32 id ‖ uint8 method length ‖ method ‖ data; its response 0x03 ‖ id ‖ data. */
  private onRequest(plain: Buffer): void {
    if (plain[0] !== 2 || plain.length < 6) return;
    const method = plain.subarray(6, 6 + plain[5]).toString("latin1");
    this.requests.push(method);
    const reply = this.answers.get(method);
    if (reply === undefined) return;
    this.sendSealed(Buffer.concat([Buffer.from([3]), plain.subarray(1, 5), reply(plain.subarray(6 + plain[5]))]));
  }

  gossip(topic: string, data: Buffer): void {
    this.sendSealed(Buffer.concat([Buffer.from([1, topic.length]), Buffer.from(topic, "latin1"), data]));
  }

  close(): void {
    this.ws.terminate();
  }

  private ephemeralPublic(): Buffer {
    return Buffer.from(this.ephemeral.publicKey.export({ format: "jwk" }).x!, "base64url");
  }

  private hello(): Buffer {
    return Buffer.concat([Buffer.from("RCP2"), Buffer.from(getBytes(this.o.genesisHash)), this.ephemeralPublic()]);
  }

  private onHello(frame: Buffer): void {
    const theirs = frame.subarray(36, 68);
    const ours = this.ephemeralPublic();
    const shared = diffieHellman({ privateKey: this.ephemeral.privateKey as KeyObject, publicKey: x25519(theirs) });
    const weAreLo = Buffer.compare(ours, theirs) < 0;
    const [lo, hi] = weAreLo ? [ours, theirs] : [theirs, ours];
    const chainId = Buffer.alloc(8);
    chainId.writeBigUInt64BE(this.o.chainId);
    const transcript = createHash("sha256")
      .update(Buffer.concat([LABEL, chainId, Buffer.from(getBytes(this.o.genesisHash)), lo, hi]))
      .digest();
    const okm = Buffer.from(hkdfSync("sha256", shared, transcript, LABEL, 96));
    this.sendKey = weAreLo ? okm.subarray(0, 32) : okm.subarray(32, 64);
    this.receiveKey = weAreLo ? okm.subarray(32, 64) : okm.subarray(0, 32);
    this.challenge = okm.subarray(64, 96);
    const key = new SigningKey(this.o.privateKey);
    const sig = key.sign(digest(this.o.chainId, this.challenge));
    const address = this.o.claim ?? computeAddress(key);
    this.sendSealed(Buffer.concat([Buffer.from(getBytes(address)), Buffer.from(getBytes(sig.serialized))]));
  }

  private verifyAuth(plain: Buffer): string {
    const claimed = `0x${plain.subarray(0, 20).toString("hex")}`;
    const signature = `0x${plain.subarray(20, 85).toString("hex")}`;
    const signer = SigningKey.recoverPublicKey(digest(this.o.chainId, this.challenge!), signature);
    if (computeAddress(signer).toLowerCase() !== claimed) throw new Error(`peer claims ${claimed}`);
    return claimed;
  }

  private seal(plaintext: Buffer): Buffer {
    const cipher = createCipheriv("chacha20-poly1305", this.sendKey!, nonce(this.sent++), { authTagLength: 16 });
    return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  }

  private open(sealed: Buffer): Buffer | null {
    const decipher = createDecipheriv("chacha20-poly1305", this.receiveKey!, nonce(this.got), { authTagLength: 16 });
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    try {
      const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
      this.got++;
      return plain;
    } catch {
      return null;
    }
  }
}

/** keccak256(keccak256("repchain/p2p-handshake/v1") ‖ uint64 chainId ‖ challenge). */
function digest(chainId: bigint, challenge: Buffer): string {
  const id = Buffer.alloc(8);
  id.writeBigUInt64BE(chainId);
  const tag = Buffer.from(getBytes(keccak256(toUtf8Bytes("repchain/p2p-handshake/v1"))));
  return keccak256(Buffer.concat([tag, id, challenge]));
}

function x25519(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "X25519", x: raw.toString("base64url") }, format: "jwk" });
}

function nonce(counter: bigint): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(counter, 4);
  return n;
}
