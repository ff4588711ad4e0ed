import { expect } from "chai";
import { join } from "node:path";
import { NO_DEPOSIT_TX } from "../../../node/auditor/application";
import type { ApplicationRecord } from "../../../node/auditor/applicationRecord";
import { AuditorStore, decodeRecord, encodeRecord } from "../../../node/auditor/service/store";
import type { Hex } from "../../../node/types/primitives";
import { tempDir } from "../fixture";

function record(n: number, status: ApplicationRecord["status"]): ApplicationRecord {
  const id = `0x${n.toString(16).padStart(64, "0")}` as Hex;
  const base: ApplicationRecord = {
    id,
    application: {
      candidate: "0x00000000000000000000000000000000000000c1",
      operator: "0x00000000000000000000000000000000000000a1",
      qualification: {
        powHashesPerSecond: 1n,
        sigVerificationsPerSecond: 2n,
        measuredAt: 3n,
        deposit: 10n ** 30n,
        depositTx: NO_DEPOSIT_TX,
        creditValue: 5n,
      },
      nonce: BigInt(n),
    },
    signature: `0x${"ab".repeat(65)}`,
    receivedAt: 1_700_000_000n,
    status,
  };
  if (status === "pending") return { ...base, advice: "all review rules passed" };
  return {
    ...base,
    decision: { approve: status === "approved", reason: "r", by: "rules", decidedAt: 1_700_000_001n },
    ...(status === "approved" && {
      credential: {
        auditor: "0x00000000000000000000000000000000000000d1",
        candidate: base.application.candidate,
        qualificationHash: `0x${"cd".repeat(32)}`,
        approve: true,
        issuedAt: 1n,
        expiresAt: 2n,
        nonce: BigInt(n),
        signature: `0x${"ef".repeat(65)}`,
      },
    }),
  };
}

describe("auditor store (LevelDB)", function () {
  it("encodes and decodes every kind of record without loss", function () {
    for (const status of ["pending", "approved", "rejected"] as const) {
      const r = record(7, status);
      expect(decodeRecord(encodeRecord(r))).to.deep.equal(r);
    }
  });

  it("keeps records and the pending index across a reopen", async function () {
    const dir = await tempDir();
    try {
      const location = join(dir.path, "db");
      let store = await AuditorStore.open(location);
      await store.put(record(1, "pending"));
      await store.put(record(2, "pending"));
      await store.put({ ...record(2, "approved") });
      await store.put(record(3, "rejected"));
      await store.close();

      store = await AuditorStore.open(location);
      expect((await store.listPending(10)).map((r) => r.id)).to.deep.equal([record(1, "pending").id]);
      expect(await store.get(record(2, "approved").id)).to.deep.equal(record(2, "approved"));
      expect(await store.get(`0x${"99".repeat(32)}`)).to.equal(undefined);
      await store.close();
    } finally {
      await dir.remove();
    }
  });
});
