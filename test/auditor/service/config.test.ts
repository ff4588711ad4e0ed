import { expect } from "chai";
import { parseAuditorConfig } from "../../../node/auditor/service/config";

const MINIMAL = {
  dataDir: "db",
  deployment: "d.json",
  key: {},
  review: { mode: "manual" },
  credit: { file: "c.json" },
};

describe("auditor config", function () {
  it("fills defaults and resolves paths against the config's folder", function () {
    const config = parseAuditorConfig(MINIMAL, "/etc/repchain");
    expect(config).to.include({
      host: "127.0.0.1",
      port: 8601,
      dataDir: "/etc/repchain/db",
      deployment: "/etc/repchain/d.json",
      credentialValiditySeconds: 30 * 86_400,
      decisionMaxSkewSeconds: 300,
      bodyLimitBytes: 16_384,
    });
    expect(config.key).to.deep.equal({ env: "REPCHAIN_AUDITOR_KEY" });
    expect(config.credit).to.deep.equal({ file: "/etc/repchain/c.json" });
    expect(config.review.rules).to.deep.equal({
      minPowHashesPerSecond: 0n,
      minSigVerificationsPerSecond: 0n,
      minDeposit: 0n,
      minCreditValue: 0n,
      maxMeasurementAgeSeconds: 86_400n,
    });
  });

  it("lowercases operator addresses and resolves a keystore path", function () {
    const config = parseAuditorConfig(
      {
        ...MINIMAL,
        key: { keystore: "k.json" },
        operators: ["0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"],
      },
      "/srv",
    );
    expect(config.key).to.deep.equal({ keystore: "/srv/k.json", passwordEnv: "REPCHAIN_AUDITOR_PASSWORD" });
    expect(config.operators).to.deep.equal(["0xabcdef0123456789abcdef0123456789abcdef01"]);
  });

  const bad: { id: string; input: object; at: string }[] = [
    { id: "unknown mode", input: { ...MINIMAL, review: { mode: "lenient" } }, at: "review.mode" },
    { id: "bad operator", input: { ...MINIMAL, operators: ["0x12"] }, at: "operators[0]" },
    {
      id: "rule as a number",
      input: { ...MINIMAL, review: { mode: "automatic", rules: { minDeposit: 5 } } },
      at: "review.rules.minDeposit",
    },
    { id: "peer not a URL", input: { ...MINIMAL, peers: ["nowhere"] }, at: "peers[0]" },
    { id: "unknown key", input: { ...MINIMAL, colour: "blue" }, at: "colour" },
    { id: "missing dataDir", input: { ...MINIMAL, dataDir: undefined }, at: "dataDir" },
  ];
  for (const c of bad) {
    it(`names the bad field: ${c.id}`, function () {
      expect(() => parseAuditorConfig(c.input, "/")).to.throw(`invalid auditor config: ${c.at}: expected `);
    });
  }
});
