import { expect } from "chai";
import { Wallet } from "ethers";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadNodeKey } from "../../node/validator/nodeKey";
import { runCli } from "../../node/testing/cli";

describe("repchain key new (CLI)", function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "repchain-key-"));

  it("prints a fresh key as hex: an address and the private key that signs for it", async () => {
    const [a, b] = await Promise.all([runCli(["key", "new", "--json"]), runCli(["key", "new", "--json"])]);
    expect(a.code, a.stderr).to.equal(0);
    const made = JSON.parse(a.stdout) as { address: string; privateKey: string };
    expect(new Wallet(made.privateKey).address).to.equal(made.address);
    expect((JSON.parse(b.stdout) as { address: string }).address).to.not.equal(made.address);
    // The node reads it as REPCHAIN_NODE_KEY.
    expect(loadNodeKey(undefined, { REPCHAIN_NODE_KEY: made.privateKey })!.address).to.equal(
      made.address.toLowerCase(),
    );
  });

  it("states the keystore password rule in --help", async () => {
    const help = await runCli(["key", "new", "--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain("at least 8 characters");
  });

  it("writes a keystore the node can open, refusing a short password and an existing file", async () => {
    const file = join(dir, "node-key.json");
    const short = await runCli(["key", "new", "--keystore", file], { REPCHAIN_KEYSTORE_PASSWORD: "seven77" });
    expect(short.code).to.equal(2);
    expect(short.stderr).to.contain("REPCHAIN_KEYSTORE_PASSWORD: expected a keystore password of at least 8");
    expect(short.stderr).to.contain("got 7 characters").and.not.to.contain("seven77");

    const env = { REPCHAIN_KEYSTORE_PASSWORD: "correct horse" };
    const made = await runCli(["key", "new", "--keystore", file, "--json"], env);
    expect(made.code, made.stderr).to.equal(0);
    const { address } = JSON.parse(made.stdout) as { address: string };
    expect(statSync(file).mode & 0o077).to.equal(0);
    expect(loadNodeKey(file, env)!.address).to.equal(address.toLowerCase());

    const before = readFileSync(file, "utf8");
    const again = await runCli(["key", "new", "--keystore", file], env);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.contain("already exists");
    expect(readFileSync(file, "utf8")).to.equal(before);
  });
});
