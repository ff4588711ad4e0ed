import { expect } from "chai";
import { join } from "node:path";
import { parseAuditorConfig } from "../../../node/auditor/service/config";
import { startAuditor } from "../../../node/auditor/service/start";
import { deadPort, deployRegistries, randomWallet, runAuditor, silentLog, tempDir, type Registries } from "../fixture";

describe("starting an auditor", function () {
  const key = randomWallet();
  let registries: Registries;
  let dir: { path: string; remove: () => Promise<void> };
  before(async function () {
    registries = await deployRegistries([key], 1);
    dir = await tempDir();
  });
  after(async function () {
    await dir.remove();
  });

  it("fails fast with a clear message when L1 cannot be reached", async function () {
    const config = parseAuditorConfig(
      {
        port: 0,
        dataDir: "db",
        rpcUrl: `http://127.0.0.1:${await deadPort()}`,
        candidateRegistry: registries.candidateRegistry,
        auditorRegistry: registries.auditorRegistry,
        key: { env: "K" },
        review: { mode: "manual" },
        credit: { file: "c.json" },
      },
      dir.path,
    );
    const started = Date.now();
    const failure = await startAuditor({ config, log: silentLog, env: { K: key.privateKey } }).catch((e: Error) => e);
    expect((failure as Error).message).to.contain("cannot read the registries on L1");
    expect(Date.now() - started).to.be.lessThan(10_000);
  });

  it("refuses to open a database another auditor is using, and leaves the first one serving", async function () {
    const setup = { wallet: key, dir: join(dir.path, "shared"), registries };
    const config = { review: { mode: "manual" as const }, credit: { file: "c.json" } };
    const first = await runAuditor({ ...setup, config });
    try {
      const failure = await runAuditor({ ...setup, config }).catch((e: Error) => e);
      expect((failure as Error).message).to.contain("is another auditor using it?");
      expect((await fetch(`${first.url}/v1/info`)).status).to.equal(200);
    } finally {
      await first.close();
    }
  });
});
