import { readFileSync } from "node:fs";
import { Wallet } from "ethers";
import { fromHex } from "../chain/bytes";
import { keyPairFromPrivateKey, type KeyPair } from "../chain/signing";
import { ConfigError } from "../config/errors";

/**
 * The node's signing key: REPCHAIN_NODE_KEY (0x-hex private key) or an ethers encrypted JSON
 * keystore with its password in REPCHAIN_KEYSTORE_PASSWORD. Neither → null: the node verifies and
 * stores but never signs. The key is never logged.
 */
export function loadNodeKey(keystore: string | undefined, env: NodeJS.ProcessEnv = process.env): KeyPair | null {
  const raw = env.REPCHAIN_NODE_KEY;
  if (raw !== undefined && raw !== "") {
    try {
      return keyPairFromPrivateKey(fromHex(raw.startsWith("0x") ? raw : `0x${raw}`, 32));
    } catch {
      throw new ConfigError("REPCHAIN_NODE_KEY", "must be a 32-byte secp256k1 private key in hex");
    }
  }
  if (keystore === undefined) return null;
  const password = env.REPCHAIN_KEYSTORE_PASSWORD;
  if (password === undefined) throw new ConfigError("REPCHAIN_KEYSTORE_PASSWORD", "required with keystore");
  let json: string;
  try {
    json = readFileSync(keystore, "utf8");
  } catch (err) {
    throw new ConfigError("keystore", `cannot read ${keystore}: ${(err as Error).message}`);
  }
  let wallet: Wallet;
  try {
    wallet = Wallet.fromEncryptedJsonSync(json, password) as Wallet;
  } catch (err) {
    throw new ConfigError("keystore", `cannot decrypt ${keystore}: ${(err as Error).message}`);
  }
  return keyPairFromPrivateKey(fromHex(wallet.privateKey, 32));
}
