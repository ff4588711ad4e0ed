import { expect } from "chai";
import { encryptKeystoreJson } from "ethers";
import { createServer, type Server } from "node:http";
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FileCreditSource, HttpCreditSource } from "../../../node/auditor/service/credit";
import { createKeystore, loadWallet } from "../../../node/auditor/service/keys";
import type { Address } from "../../../node/types/primitives";
import { randomWallet, tempDir } from "../fixture";

/** A light scrypt work factor keeps the tests fast; real keystores use the standard one. */
const LIGHT_SCRYPT_N = 1 << 10;
const KNOWN = "0x00000000000000000000000000000000000000a1" as Address;
const UNKNOWN = "0x00000000000000000000000000000000000000b2" as Address;

describe("auditor key and credit sources", function () {
  let dir: { path: string; remove: () => Promise<void> };
  before(async function () {
    dir = await tempDir();
  });
  after(async function () {
    await dir.remove();
  });

  describe("keys", function () {
    it("loads a key from an encrypted keystore, and names the file (not the password) when it is wrong", async function () {
      const wallet = randomWallet();
      const keystore = join(dir.path, "key.json");
      await writeFile(keystore, await encryptKeystoreJson(wallet, "correct horse", { scrypt: { N: LIGHT_SCRYPT_N } }));
      const loaded = await loadWallet({ keystore, passwordEnv: "PW" }, { PW: "correct horse" });
      expect(loaded.address).to.equal(wallet.address);
      const wrong = loadWallet({ keystore, passwordEnv: "PW" }, { PW: "battery staple" });
      await expectMessage(wrong, `cannot decrypt keystore ${keystore}`, "battery staple");
      await expectMessage(loadWallet({ keystore, passwordEnv: "PW" }, {}), "set PW to the password", "correct horse");
    });

    it("creates a keystore that loads back, owner-only, never overwriting a file", async function () {
      const path = join(dir.path, "new-key.json");
      const address = await createKeystore(path, "a long password", LIGHT_SCRYPT_N);
      expect((await stat(path)).mode & 0o777).to.equal(0o600);
      expect((await loadWallet({ keystore: path, passwordEnv: "PW" }, { PW: "a long password" })).address).to.equal(
        address,
      );
      await expectMessage(createKeystore(path, "another password", LIGHT_SCRYPT_N), "EEXIST", "");
      await expectMessage(createKeystore(join(dir.path, "short.json"), "short"), "at least 8 characters", "");
    });

    it("loads a devnet key from the environment and never echoes a bad one", async function () {
      const wallet = randomWallet();
      expect((await loadWallet({ env: "K" }, { K: wallet.privateKey })).address).to.equal(wallet.address);
      expect((await loadWallet({ env: "K" }, { K: wallet.privateKey.slice(2) })).address).to.equal(wallet.address);
      await expectMessage(loadWallet({ env: "K" }, { K: "0xdeadbeef" }), "K does not hold a valid", "deadbeef");
      await expectMessage(loadWallet({ env: "K" }, {}), "set K to the private key", "");
    });
  });

  describe("credit", function () {
    it("reads a JSON file at each lookup, addresses in any case", async function () {
      const path = join(dir.path, "credit.json");
      await writeFile(path, JSON.stringify({ [KNOWN.toUpperCase().replace("0X", "0x")]: "70" }));
      const source = new FileCreditSource(path);
      expect(await source.creditOf(KNOWN)).to.equal(70n);
      expect(await source.creditOf(UNKNOWN)).to.equal(undefined);
      await writeFile(path, JSON.stringify({ [KNOWN]: "90" }));
      expect(await source.creditOf(KNOWN)).to.equal(90n);
      await writeFile(path, JSON.stringify({ [KNOWN]: -1 }));
      await expectMessage(source.creditOf(KNOWN), "is malformed", "");
    });

    it("asks an HTTP endpoint, treating 404 as unknown and a slow one as an error", async function () {
      let slow = false;
      const server: Server = createServer((req, res) => {
        const address = new URL(req.url!, "http://x").searchParams.get("address");
        if (slow) return void setTimeout(() => res.end("{}"), 500);
        if (address !== KNOWN) return void res.writeHead(404).end();
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ creditValue: "55" }));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = server.address() as { port: number };
        const source = new HttpCreditSource(`http://127.0.0.1:${port}/credit`, 100);
        expect(await source.creditOf(KNOWN)).to.equal(55n);
        expect(await source.creditOf(UNKNOWN)).to.equal(undefined);
        slow = true;
        await expectMessage(source.creditOf(KNOWN), "", "");
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});

async function expectMessage(call: Promise<unknown>, contains: string, mustNotContain: string): Promise<void> {
  try {
    await call;
  } catch (err) {
    const message = (err as Error).message;
    expect(message).to.contain(contains);
    if (mustNotContain) expect(message).to.not.contain(mustNotContain);
    return;
  }
  expect.fail("expected a failure");
}
