import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256 } from "../../node/chain/bytes";
import { recoverSigner } from "../../node/chain/signing";
import { FileSignStateStore } from "../../node/store/fileSignStateStore";
import { SignGuard, SignStateWriteError } from "../../node/consensus/signGuard";
import { MemorySignStateStore, SignStep } from "../../node/consensus/signState";
import { testKey } from "../../node/testing/keys";

const key = testKey(1);
const d = (tag: number) => keccak256(new Uint8Array([tag]));

describe("SignGuard", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "repchain-sign-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("signs strictly increasing (height, round, step) and refuses going back", () => {
    const guard = new SignGuard(key, new MemorySignStateStore());
    const sig = guard.sign(5, 0, SignStep.PREVOTE, [d(1)]);
    expect(recoverSigner(d(1), sig![0])).to.equal(key.address);
    expect(guard.sign(5, 0, SignStep.PRECOMMIT, [d(2)])).to.not.equal(null);
    expect(guard.sign(5, 0, SignStep.PREVOTE, [d(3)])).to.equal(null);
    expect(guard.sign(4, 9, SignStep.PRECOMMIT, [d(3)])).to.equal(null);
    expect(guard.sign(5, 1, SignStep.PROPOSE, [d(3)])).to.not.equal(null);
  });

  it("never signs two different things at one height/round/step; the same thing gets the same signature", () => {
    const guard = new SignGuard(key, new MemorySignStateStore());
    const first = guard.sign(7, 2, SignStep.PREVOTE, [d(1)]);
    expect(guard.sign(7, 2, SignStep.PREVOTE, [d(9)])).to.equal(null);
    expect(guard.sign(7, 2, SignStep.PREVOTE, [d(1)])).to.deep.equal(first);
  });

  it("across a crash: a new guard on the same file refuses what the old one had signed", () => {
    const path = join(dir, "sign-state.json");
    const before = new SignGuard(key, new FileSignStateStore(path));
    const lock = {
      round: 2,
      blockHash: `0x${"ab".repeat(32)}` as const,
      block: { header: { nonce: 5n } } as never,
      polka: [],
    };
    before.sign(9, 2, SignStep.PRECOMMIT, [d(1)], { kind: "precommit", blockHash: lock.blockHash }, lock);
    // "Crash": drop the object, build a new one from the file, as a restarted process would.
    const after = new SignGuard(key, new FileSignStateStore(path));
    expect(after.lastSigned()).to.include({ height: 9, round: 2, step: SignStep.PRECOMMIT });
    expect(after.lastSigned()!.lock!.round).to.equal(2);
    expect(after.lastSigned()!.lock!.blockHash).to.equal(lock.blockHash);
    expect(after.lastSigned()!.lock!.block).to.deep.equal(lock.block);
    expect(after.sign(9, 2, SignStep.PRECOMMIT, [d(2)])).to.equal(null);
    expect(after.sign(9, 2, SignStep.PREVOTE, [d(2)])).to.equal(null);
    expect(after.sign(9, 3, SignStep.PREVOTE, [d(2)])).to.not.equal(null);
    // The lock is carried on through later signatures of the same height, and dropped at the next.
    expect(new FileSignStateStore(path).load()!.lock!.round).to.equal(2);
    after.sign(10, 0, SignStep.PREVOTE, [d(3)]);
    expect(new FileSignStateStore(path).load()!.lock).to.equal(null);
  });

  it("persists before releasing: a store that fails to save leaks no signature", () => {
    const failing = {
      load: () => null,
      save: () => {
        throw new Error("disk full");
      },
    };
    const guard = new SignGuard(key, failing);
    expect(() => guard.sign(1, 0, SignStep.PREVOTE, [d(1)])).to.throw(SignStateWriteError, "disk full");
    expect(guard.lastSigned()).to.equal(null);
  });

  it("the file store replaces atomically and refuses a corrupt file", () => {
    const path = join(dir, "s.json");
    const store = new FileSignStateStore(path);
    expect(store.load()).to.equal(null);
    new SignGuard(key, store).sign(1, 0, SignStep.PREVOTE, [d(1)]);
    expect(existsSync(`${path}.tmp`)).to.equal(false);
    expect(JSON.parse(readFileSync(path, "utf8")).height).to.equal(1);
    writeFileSync(path, JSON.stringify({ height: "x" }));
    expect(() => new FileSignStateStore(path).load()).to.throw(/corrupt/);
  });
});
