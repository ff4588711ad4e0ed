import { expect } from "chai";
import { ChainError, ChainErrorCode } from "../../node/chain/errors";
import {
  DEFAULT_DOWNTIME_RULE,
  DEFAULT_GENESIS_LIMITS,
  DEFAULT_L1_CONFIRMATIONS,
  genesisHash,
  genesisToJson,
  parseGenesis,
} from "../../node/chain/genesis";
import { fixture } from "../../node/testing/chainFixture";

function badGenesis(json: unknown): string {
  try {
    parseGenesis(json);
  } catch (err) {
    expect((err as ChainError).type.code).to.equal(ChainErrorCode.BAD_GENESIS);
    return (err as Error).message;
  }
  return expect.fail("accepted") as never;
}

describe("genesis", () => {
  const { genesis } = fixture();
  const json = JSON.parse(JSON.stringify(genesisToJson(genesis)));

  it("round-trips through its JSON file form with the same hash", () => {
    const parsed = parseGenesis(json);
    expect(parsed).to.deep.equal(genesis);
    expect(genesisHash(parsed)).to.equal(genesisHash(genesis));
  });

  it("rejects bad values with the reason", () => {
    expect(badGenesis({ ...json, epochLength: 1 })).to.match(/epochLength/);
    expect(badGenesis({ ...json, representatives: [] })).to.match(/0 representatives/);
    expect(badGenesis({ ...json, representatives: [json.representatives[0], json.representatives[0]] })).to.match(
      /duplicate/,
    );
    expect(badGenesis({ ...json, initialPowTarget: "0" })).to.match(/initialPowTarget/);
    expect(badGenesis({ ...json, targetBlockTimeMs: 0 })).to.match(/targetBlockTimeMs/);
    expect(badGenesis({ ...json, chainId: "0" })).to.match(/chainId/);
    expect(badGenesis({ ...json, extra: 1 })).to.match(/extra|Unrecognized/i);
    expect(badGenesis({ ...json, representatives: ["0x12"] })).to.match(/representatives/);
    expect(badGenesis({ ...json, maxTransactionsPerBlock: 0 })).to.match(
      /maxTransactionsPerBlock 0 not in \[1, 10000\]/,
    );
    expect(badGenesis({ ...json, maxTransactionsPerBlock: 10_001 })).to.match(/maxTransactionsPerBlock 10001/);
    expect(badGenesis({ ...json, l1Confirmations: -1 })).to.match(/l1Confirmations -1 not in \[0, 1024\]/);
    expect(badGenesis({ ...json, l1Confirmations: 1025 })).to.match(/l1Confirmations 1025/);
    expect(badGenesis({ ...json, l1Confirmations: "two" })).to.match(/l1Confirmations/);
  });

  it("a genesis file without the validity limits gets the defaults repchain init writes", () => {
    const { maxBlockBytes: _b, maxTransactionBytes: _t, maxTransactionsPerBlock: _c, ...older } = json;
    const parsed = parseGenesis(older);
    expect(parsed.maxTransactionsPerBlock).to.equal(DEFAULT_GENESIS_LIMITS.maxTransactionsPerBlock);
    expect(parsed.maxBlockBytes).to.equal(DEFAULT_GENESIS_LIMITS.maxBlockBytes);
    expect(parsed.maxTransactionBytes).to.equal(DEFAULT_GENESIS_LIMITS.maxTransactionBytes);
  });

  it("the L1 confirmation depth is a genesis parameter: 12 in a file without it, and hashed", function () {
    const { l1Confirmations: _c, ...older } = json;
    expect(parseGenesis(older).l1Confirmations).to.equal(DEFAULT_L1_CONFIRMATIONS);
    expect(parseGenesis({ ...json, l1Confirmations: 64 }).l1Confirmations).to.equal(64);
    expect(genesisHash({ ...genesis, l1Confirmations: genesis.l1Confirmations + 1 })).to.not.equal(
      genesisHash(genesis),
    );
  });

  it("the downtime rule is a genesis parameter: defaulted in a file without it, bounded, and hashed", () => {
    const { minSignedPermille: _p, downtimeJailEpochs: _j, ...older } = json;
    expect(parseGenesis(older)).to.include(DEFAULT_DOWNTIME_RULE);
    expect(badGenesis({ ...json, minSignedPermille: 1001 })).to.match(/minSignedPermille 1001 not in \[0, 1000\]/);
    expect(badGenesis({ ...json, minSignedPermille: -1 })).to.match(/minSignedPermille -1/);
    expect(badGenesis({ ...json, minSignedPermille: 0.5 })).to.match(/minSignedPermille/);
    expect(badGenesis({ ...json, downtimeJailEpochs: -1 })).to.match(/downtimeJailEpochs -1 not in \[0, 1000000\]/);
    expect(badGenesis({ ...json, downtimeJailEpochs: 1_000_001 })).to.match(/downtimeJailEpochs 1000001/);
    expect(genesisHash({ ...genesis, minSignedPermille: 51 })).to.not.equal(genesisHash(genesis));
    expect(genesisHash({ ...genesis, downtimeJailEpochs: 3 })).to.not.equal(genesisHash(genesis));
  });

  it("any change of a field changes the hash", () => {
    expect(genesisHash({ ...genesis, epochLength: 4 })).to.not.equal(genesisHash(genesis));
    expect(genesisHash({ ...genesis, maxTransactionsPerBlock: 7 })).to.not.equal(genesisHash(genesis));
    expect(genesisHash({ ...genesis, representatives: [...genesis.representatives].reverse() })).to.not.equal(
      genesisHash(genesis),
    );
  });
});
