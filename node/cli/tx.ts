import { Command } from "commander";
import { encodeTransaction } from "../chain/transaction";
import { toHex } from "../chain/bytes";
import { MAX_PAYLOAD_BYTES, signTransaction } from "../chain/transaction";
import { NodeRpcClient } from "../rpc/nodeRpcClient";
import { loadNodeKey } from "../validator/nodeKey";
import { BadInputError } from "./badInput";
import { heartbeatPayload } from "../chain/heartbeat";
import type { NodeStatus } from "../rpc/nodeView";

interface SendFlags {
  rpc: string;
  data?: string;
  nonce?: string;
  keystore?: string;
  timeoutMs: string;
}

/**
 * `repchain tx send`: signs an L2 transaction with a node key (the `repchain run` conventions:
 * REPCHAIN_NODE_KEY, or --keystore with REPCHAIN_KEYSTORE_PASSWORD) and submits it to a node's
 * repchain_sendTransaction. The chain id comes from the node's repchain_status and the nonce from
 * repchain_getNonce unless given. docs/consensus.md describes the encoding. `repchain tx heartbeat`
 * sends the same with a heartbeat payload (node/chain/heartbeat.ts).
 */
export function txCommand(): Command {
  const tx = new Command("tx").description("sign and send L2 transactions");
  withSendOptions(
    tx
      .command("send")
      .description("sign a transaction carrying --data and send it to a node; prints its hash")
      .requiredOption("--data <hex>", "the payload: 0x-hex bytes, at most 4096"),
  ).action(async (flags: SendFlags) => {
    const payload = parsePayload(flags.data!);
    await send(flags, () => payload);
  });
  withSendOptions(
    tx
      .command("heartbeat")
      .description(
        "show the chain this key is alive: a candidate is electable only if its signing key signed something " +
          "on the chain in the election's epoch (docs/consensus.md); a running candidate node sends one by itself",
      ),
  ).action(async (flags: SendFlags) => {
    await send(flags, (status) => heartbeatPayload(status.epoch));
  });
  return tx;
}

function withSendOptions(command: Command): Command {
  return command
    .requiredOption("--rpc <url>", "the node's JSON-RPC URL (http://host:rpcPort/)")
    .option("--nonce <n>", "the account's transaction number (default: the node's repchain_getNonce)")
    .option("--keystore <file>", "sign with this keystore (password in REPCHAIN_KEYSTORE_PASSWORD)")
    .option("--timeout-ms <ms>", "per request", "5000");
}

/** Signs the payload with the node key and submits it; prints {hash, from, nonce}. */
async function send(flags: SendFlags, payloadFor: (status: NodeStatus) => `0x${string}`): Promise<void> {
  const key = loadNodeKey(flags.keystore);
  if (key === null) throw new BadInputError("no key: set REPCHAIN_NODE_KEY, or give --keystore");
  const nonceGiven = flags.nonce === undefined ? undefined : whole(flags.nonce);
  const node = new NodeRpcClient(flags.rpc, Number(flags.timeoutMs));
  const status = await node.status();
  const chainId = BigInt(status.chainId);
  const nonce = nonceGiven ?? BigInt(await node.call<string>("repchain_getNonce", [key.address]));
  const signed = signTransaction(chainId, key, nonce, payloadFor(status));
  const { hash } = await node.call<{ hash: string }>("repchain_sendTransaction", [toHex(encodeTransaction(signed))]);
  process.stdout.write(`${JSON.stringify({ hash, from: key.address, nonce: nonce.toString() })}\n`);
}

function parsePayload(data: string): `0x${string}` {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(data) || data.length > 2 + 2 * MAX_PAYLOAD_BYTES) {
    const given = JSON.stringify(data.length > 40 ? `${data.slice(0, 40)}…` : data);
    throw new BadInputError(`--data: expected 0x-hex bytes (at most ${MAX_PAYLOAD_BYTES}), got ${given}`);
  }
  return data.toLowerCase() as `0x${string}`;
}

function whole(text: string): bigint {
  if (!/^\d+$/.test(text)) throw new BadInputError(`--nonce: expected a whole number, got ${JSON.stringify(text)}`);
  return BigInt(text);
}
