import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { resolveApplyConfig } from "../../../node/auditor/client/applyConfig";
import { tempDir } from "../fixture";

describe("repchain apply settings (file + flags)", function () {
  let dir: { path: string; remove: () => Promise<void> };
  let file: string;
  before(async function () {
    dir = await tempDir();
    file = join(dir.path, "apply.json");
    await writeFile(
      file,
      JSON.stringify({
        auditors: ["http://127.0.0.1:8601"],
        deployment: "deployments/localhost.json",
        operatorKey: { keystore: "op.json", passwordEnv: "OP_PW" },
        creditValue: "70",
      }),
    );
  });
  after(async function () {
    await dir.remove();
  });

  it("reads the file, resolving its paths against the file's folder, with defaults for the rest", function () {
    const config = resolveApplyConfig(file, {});
    expect(config.deployment).to.equal(join(dir.path, "deployments/localhost.json"));
    expect(config.operatorKey).to.deep.equal({ keystore: join(dir.path, "op.json"), passwordEnv: "OP_PW" });
    expect(config.candidateKey).to.deep.equal({ env: "REPCHAIN_CANDIDATE_KEY" });
    expect(config).to.include({
      creditValue: "70",
      rpcUrl: "http://127.0.0.1:8545",
      register: false,
      waitSeconds: 300,
    });
  });

  it("lets flags win, a flag's path being relative to the working directory", function () {
    const config = resolveApplyConfig(file, {
      auditors: ["http://127.0.0.1:9000", "http://127.0.0.1:9001"],
      deployment: "other.json",
      creditValue: "5",
      register: true,
      waitSeconds: undefined,
    });
    expect(config.auditors).to.have.length(2);
    expect(config.deployment).to.equal(resolve("other.json"));
    expect(config).to.include({ creditValue: "5", register: true, waitSeconds: 300 });
  });

  it("names the bad setting, with its flag, what was given and what is expected", function () {
    expect(() => resolveApplyConfig(undefined, { deployment: "d.json", creditValue: "5" })).to.throw(
      "invalid apply settings: auditors (--auditor): expected a value of type array, got nothing",
    );
    expect(() => resolveApplyConfig(file, { creditValue: "-1" })).to.throw(
      'creditValue (--credit): expected a whole number in decimal, got "-1"',
    );
    // Every problem is listed, so `apply --credit abc` with nothing else names --credit too.
    const onlyCredit = () => resolveApplyConfig(undefined, { creditValue: "abc" });
    expect(onlyCredit).to.throw("deployment (--deployment): expected a value of type string, got nothing");
    expect(onlyCredit).to.throw('creditValue (--credit): expected a whole number in decimal, got "abc"');
    expect(() => resolveApplyConfig(file, { waitSeconds: "soon" })).to.throw(
      'waitSeconds (--wait-seconds): expected a whole number, got "soon"',
    );
    expect(() => resolveApplyConfig(join(dir.path, "missing.json"), {})).to.throw("cannot read apply config");
  });
});
