import { expect } from "chai";
import { AuditorError, AuditorErrorCode } from "../node/auditor/errors";
import { ChainError, ChainErrorCode } from "../node/chain/errors";
import { CodedError } from "../node/codedError";
import { ElectionError, ElectionErrorCode } from "../node/election/errors";
import { L1Error, L1ErrorCode } from "../node/l1/errors";
import { RegistryError, RegistryErrorCode } from "../node/registry/errors";
import { StoreError, StoreErrorCode } from "../node/store/errors";

describe("CodedError", () => {
  const cases = [
    {
      id: "chain",
      error: new ChainError({ code: ChainErrorCode.WRONG_HEIGHT, expected: 4, actual: 5 }),
      name: "ChainError",
      message: "CHAIN_ERROR_WRONG_HEIGHT expected=4 actual=5",
    },
    {
      id: "l1",
      error: new L1Error({ code: L1ErrorCode.RPC_TIMEOUT, method: "eth_getLogs", timeoutMs: 100 }),
      name: "L1Error",
      message: "L1_RPC_TIMEOUT method=eth_getLogs timeoutMs=100",
    },
    {
      id: "store",
      error: new StoreError({ code: StoreErrorCode.LOCKED, path: "/tmp/x" }),
      name: "StoreError",
      message: "STORE_LOCKED path=/tmp/x",
    },
    {
      id: "election",
      error: new ElectionError({ code: ElectionErrorCode.INVALID_K, k: "-1" }),
      name: "ElectionError",
      message: "ELECTION_INVALID_K k=-1",
    },
    {
      id: "registry",
      error: new RegistryError({ code: RegistryErrorCode.INVALID_FIELD, field: "voter", reason: "bad" }),
      name: "RegistryError",
      message: "GOVERNANCE_INVALID_FIELD field=voter reason=bad",
    },
    {
      id: "auditor",
      error: new AuditorError(AuditorErrorCode.NOT_FOUND, "no application 0x12", { id: "0x12" }),
      name: "AuditorError",
      message: "no application 0x12",
    },
  ];

  for (const c of cases) {
    it(`${c.id}: is a CodedError named after its component, with the code and payload it was given`, () => {
      expect(c.error).to.be.instanceOf(CodedError).and.instanceOf(Error);
      expect(c.error.name).to.equal(c.name);
      expect(c.error.code).to.equal(c.error.type.code);
      expect(c.error.message).to.equal(c.message);
    });
  }

  it("keeps the auditor's payload as the API's details", () => {
    const error = new AuditorError(AuditorErrorCode.NOT_FOUND, "no application", { id: "0x12" });
    expect(error.type).to.deep.equal({ code: AuditorErrorCode.NOT_FOUND, id: "0x12" });
    expect(error.toJSON()).to.deep.equal({ error: "NOT_FOUND", message: "no application", details: { id: "0x12" } });
  });

  it("a rejected batch names its cause", () => {
    const cause = new RegistryError({ code: RegistryErrorCode.VOTE_NOT_FOUND, voter: "0x1", candidate: "0x2" });
    const error = new RegistryError(
      { code: RegistryErrorCode.BATCH_EVENT_REJECTED, index: 2, kind: "VoteRevoked", blockNumber: undefined },
      { cause },
    );
    expect(error.message).to.equal(`GOVERNANCE_BATCH_EVENT_REJECTED index=2 kind=VoteRevoked: ${cause.message}`);
    expect(error.cause).to.equal(cause);
  });
});
