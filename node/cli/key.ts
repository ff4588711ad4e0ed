import { Command } from "commander";
import { Wallet } from "ethers";
import { createKeystore, KEYSTORE_PASSWORD_MIN_CHARS } from "../auditor/service/keys";
import { BadInputError } from "./badInput";

/** The password rule, stated once: here for --help, and enforced by createKeystore. */
const PASSWORD_RULE = `at least ${KEYSTORE_PASSWORD_MIN_CHARS} characters`;

/**
 * `repchain key new`: a fresh secp256k1 key for any role (a node, a voter, an operator, an auditor or
 * a reviewer) — every repchain key is an Ethereum key. Printed as hex, or written as an encrypted
 * JSON keystore that `repchain run` (`keystore` + REPCHAIN_KEYSTORE_PASSWORD), `apply` and `auditor`
 * read.
 */
export function keyCommand(): Command {
  const key = new Command("key").description("make keys: a node's, a voter's, an operator's, an auditor's");
  key
    .command("new")
    .description("create a new random key; prints its address (and, without --keystore, the private key)")
    .option("--keystore <file>", "write it as an encrypted JSON keystore instead (never over an existing file)")
    .option(
      "--password-env <name>",
      `variable holding the keystore password (${PASSWORD_RULE})`,
      "REPCHAIN_KEYSTORE_PASSWORD",
    )
    .option("--json", "print {address, privateKey} (or {address, keystore}) as JSON")
    .addHelpText(
      "after",
      "\nWithout --keystore the private key is printed on stdout: use that only on a devnet, or pipe it\n" +
        "into your secret store. A keystore password must have " +
        PASSWORD_RULE +
        ".\nExamples:\n" +
        "  repchain key new --json                        # {address, privateKey} for REPCHAIN_NODE_KEY\n" +
        "  REPCHAIN_KEYSTORE_PASSWORD=… repchain key new --keystore node-key.json",
    )
    .action(async (opts: { keystore?: string; passwordEnv: string; json?: boolean }) => {
      const made = opts.keystore === undefined ? newHexKey() : await newKeystore(opts.keystore, opts.passwordEnv);
      process.stdout.write(opts.json ? `${JSON.stringify(made)}\n` : `${Object.values(made).join("\n")}\n`);
    });
  return key;
}

function newHexKey(): { address: string; privateKey: string } {
  const wallet = Wallet.createRandom();
  return { address: wallet.address, privateKey: wallet.privateKey };
}

async function newKeystore(file: string, passwordEnv: string): Promise<{ address: string; keystore: string }> {
  const password = process.env[passwordEnv];
  if (password === undefined || password.length < KEYSTORE_PASSWORD_MIN_CHARS) {
    throw new BadInputError(
      `${passwordEnv}: expected a keystore password of ${PASSWORD_RULE}, got ${password === undefined ? "nothing" : `${password.length} characters`}`,
    );
  }
  try {
    return { address: await createKeystore(file, password), keystore: file };
  } catch (err) {
    if ((err as { code?: string }).code === "EEXIST") throw new BadInputError(`--keystore: ${file} already exists`);
    throw err;
  }
}
