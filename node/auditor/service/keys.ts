import { readFile, writeFile } from "node:fs/promises";
import { encryptKeystoreJson, Wallet } from "ethers";
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

/**
 * Creates a new random key and writes it as an encrypted JSON keystore (owner-only permissions, and
 * never over an existing file). Returns the key's address; the key itself leaves only encrypted.
 */
export async function createKeystore(path: string, password: string, scryptN = DEFAULT_SCRYPT_N): Promise<string> {
  if (password.length < KEYSTORE_PASSWORD_MIN_CHARS) {
    throw new Error(`the keystore password must have at least ${KEYSTORE_PASSWORD_MIN_CHARS} characters`);
  }
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const json = await encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, password, {
    scrypt: { N: scryptN },
  });
  await writeFile(path, json, { mode: 0o600, flag: "wx" });
  return wallet.address;
}

/** The shortest keystore password `createKeystore` accepts. */
export const KEYSTORE_PASSWORD_MIN_CHARS = 8;

/** ethers' (and geth's) standard scrypt work factor; tests pass a lighter one. */
export const DEFAULT_SCRYPT_N = 1 << 17;
