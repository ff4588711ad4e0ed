import { readFile } from "node:fs/promises";
import { Wallet } from "ethers";
import type { AuditorConfig } from "./config";

/** Where a key comes from: an encrypted JSON keystore and the variable holding its password, or a variable holding the key. */
export type KeySource = AuditorConfig["key"];

/**
 * Loads a signing key (the auditor's, an operator's, a candidate's): from an encrypted JSON
 * keystore (password in an environment variable), or, on a devnet, from a hex private key in an
 * environment variable. Errors name the file or the variable, never the secret.
 */
export async function loadWallet(key: KeySource, env: NodeJS.ProcessEnv = process.env): Promise<Wallet> {
  if ("keystore" in key) {
    const password = env[key.passwordEnv];
    if (password === undefined) throw new Error(`set ${key.passwordEnv} to the password of keystore ${key.keystore}`);
    const json = await readFile(key.keystore, "utf8");
    try {
      const wallet = await Wallet.fromEncryptedJson(json, password);
      return new Wallet(wallet.privateKey);
    } catch {
      throw new Error(`cannot decrypt keystore ${key.keystore}: wrong password or not an ethers keystore`);
    }
  }
  const hex = env[key.env];
  if (hex === undefined) throw new Error(`set ${key.env} to the private key (devnet only)`);
  try {
    return new Wallet(hex.startsWith("0x") ? hex : `0x${hex}`);
  } catch {
    throw new Error(`${key.env} does not hold a valid secp256k1 private key`);
  }
}
