import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../node/config/errors";
import { configFromFlags } from "../../node/cli/nodeOptions";
import { loadConfig, loadConfigWith } from "../../node/config/load";
import { RUN_CONFIG_ENV, RUN_PATH_FIELDS, runConfigSchema } from "../../node/config/runSchema";
import { tempDir } from "../helpers/follower";

describe("loadConfig", function () {
  const dir = tempDir("repchain-config-");
  const file = join(dir, "node.json");
  const base = {
    rpcUrl: "http://127.0.0.1:8545",
    deployment: "deployments/localhost.json",
    genesis: "genesis.json",
    dataDir: "data",
  };

  function fieldOf(fn: () => unknown): string {
    try {
      fn();
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as Error).message).to.contain((err as ConfigError).field);
      return (err as ConfigError).field;
    }
    return expect.fail("expected a ConfigError");
  }

  it("reads a file, resolving its paths against the file's directory, with defaults", function () {
    writeFileSync(file, JSON.stringify(base));
    const config = loadConfig({ file });
    expect(config).to.deep.equal({
      rpcUrl: base.rpcUrl,
      deployment: join(dir, "deployments/localhost.json"),
      genesis: join(dir, "genesis.json"),
      dataDir: join(dir, "data"),
      maxBlockRange: 2000,
      pollIntervalMs: 2000,
      rpcTimeoutMs: 30000,
      logLevel: "info",
    });
  });

  it("lets the environment override the file and flags override both", function () {
    writeFileSync(file, JSON.stringify({ ...base, maxBlockRange: 5 }));
    const env = { REPCHAIN_MAX_BLOCK_RANGE: "3", REPCHAIN_RPC_URL: "ws://127.0.0.1:9" };
    expect(loadConfig({ file, env })).to.deep.include({ maxBlockRange: 3, rpcUrl: "ws://127.0.0.1:9" });
    expect(loadConfig({ file, env, flags: { maxBlockRange: "1", logLevel: undefined } })).to.deep.include({
      maxBlockRange: 1,
      logLevel: "info",
    });
  });

  const bad = [
    { id: "missing rpcUrl", input: { ...base, rpcUrl: undefined }, field: "rpcUrl" },
    { id: "ftp rpcUrl", input: { ...base, rpcUrl: "ftp://x" }, field: "rpcUrl" },
    { id: "missing genesis", input: { ...base, genesis: undefined }, field: "genesis" },
    { id: "the moved confirmations", input: { ...base, confirmations: 1 }, field: "confirmations" },
    { id: "fractional range", input: { ...base, maxBlockRange: 1.5 }, field: "maxBlockRange" },
    { id: "zero range", input: { ...base, maxBlockRange: "0" }, field: "maxBlockRange" },
    { id: "word for a number", input: { ...base, pollIntervalMs: "soon" }, field: "pollIntervalMs" },
    { id: "unknown log level", input: { ...base, logLevel: "loud" }, field: "logLevel" },
    { id: "unknown key", input: { ...base, confirmation: 3 }, field: "confirmation" },
  ];
  for (const { id, input, field } of bad) {
    it(`names the field: ${id}`, function () {
      expect(fieldOf(() => loadConfig({ flags: input }))).to.equal(field);
    });
  }

  it("names the config file when it is not JSON or missing", function () {
    writeFileSync(file, "{ not json");
    expect(fieldOf(() => loadConfig({ file }))).to.equal("--config");
    expect(fieldOf(() => loadConfig({ file: join(dir, "absent.json") }))).to.equal("--config");
  });

  it("follow/elect read a node's `run` config, skipping the validator's fields but not a typo", function () {
    const nodeJson = {
      ...base,
      keystore: "key.json",
      p2pHost: "127.0.0.1",
      p2pPort: 30333,
      bootnodes: ["ws://127.0.0.1:30334"],
      rpcPort: 8645,
      proposeTimeoutMs: 3000,
    };
    writeFileSync(file, JSON.stringify(nodeJson));
    expect(configFromFlags({ config: file }, {})).to.deep.include({
      dataDir: join(dir, "data"),
      genesis: join(dir, "genesis.json"),
    });
    expect(configFromFlags({ config: file }, {})).not.to.have.property("keystore");
    writeFileSync(file, JSON.stringify({ ...nodeJson, maxBlockRnage: 1 }));
    expect(fieldOf(() => configFromFlags({ config: file }, {}))).to.equal("maxBlockRnage");
  });

  it("refuses the old node setting `confirmations` wherever it is given, naming its move to the genesis", function () {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as ConfigError).message;
      }
      return expect.fail("accepted") as never;
    };
    writeFileSync(file, JSON.stringify({ ...base, confirmations: 2 }));
    expect(message(() => loadConfig({ file }))).to.match(
      /^invalid config: confirmations: moved to the genesis.*l1Confirmations/,
    );
    expect(message(() => loadConfig({ flags: { ...base, confirmations: "2" } }))).to.contain("confirmations: moved");
    writeFileSync(file, JSON.stringify(base));
    expect(message(() => loadConfig({ file, env: { REPCHAIN_CONFIRMATIONS: "2" } }))).to.contain(
      "REPCHAIN_CONFIRMATIONS: moved to the genesis",
    );
    const run = { ...base, confirmations: 2 };
    expect(message(() => loadConfigWith(runConfigSchema, RUN_CONFIG_ENV, RUN_PATH_FIELDS, { flags: run }))).to.contain(
      "repchain init --l1-confirmations",
    );
  });

  it("run: resolves the node keystore and the evidence submitter's keystore against the file's directory", function () {
    const submitter = { keystore: "keys/submitter.json", passwordEnv: "SUBMITTER_PASSWORD" };
    writeFileSync(file, JSON.stringify({ ...base, keystore: "keys/node.json", evidenceSubmitter: submitter }));
    const config = loadConfigWith(runConfigSchema, RUN_CONFIG_ENV, RUN_PATH_FIELDS, { file });
    expect(config.keystore).to.equal(join(dir, "keys/node.json"));
    expect(config.evidenceSubmitter).to.deep.equal({ ...submitter, keystore: join(dir, "keys/submitter.json") });
    // The other form of the setting has no path; an absolute path stays as it is.
    writeFileSync(file, JSON.stringify({ ...base, evidenceSubmitter: { env: "KEY" } }));
    expect(loadConfigWith(runConfigSchema, RUN_CONFIG_ENV, RUN_PATH_FIELDS, { file }).evidenceSubmitter).to.deep.equal({
      env: "KEY",
    });
    writeFileSync(file, JSON.stringify({ ...base, evidenceSubmitter: { keystore: "/etc/ks.json" } }));
    const absolute = loadConfigWith(runConfigSchema, RUN_CONFIG_ENV, RUN_PATH_FIELDS, { file }).evidenceSubmitter;
    expect(absolute).to.deep.include({ keystore: "/etc/ks.json" });
  });

  it("run: proposerMaxTransactions is the proposer's own limit; the chain's count limit is not a node setting", function () {
    const run = { ...base, genesis: "genesis.json" };
    expect(runConfigSchema.parse({ ...run, proposerMaxTransactions: 5 }).proposerMaxTransactions).to.equal(5);
    expect(runConfigSchema.parse(run).proposerMaxTransactions).to.equal(undefined);
    const refused = runConfigSchema.safeParse({ ...run, maxTransactionsPerBlock: 5 });
    expect(refused.success).to.equal(false);
    expect(refused.error?.issues[0].code).to.equal("unrecognized_keys");
    expect(runConfigSchema.safeParse({ ...run, proposerMaxTransactions: 10_001 }).success).to.equal(false);
  });
});
