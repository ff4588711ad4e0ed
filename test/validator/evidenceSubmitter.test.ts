import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers, JsonRpcProvider } from "ethers";
import hre from "hardhat";
import pino from "pino";
import { toHex } from "../../node/chain/bytes";
import { evidenceHash } from "../../node/chain/evidence";
import { openDatabase, type Database } from "../../node/store/database";
import { EvidenceSubmissionRepository } from "../../node/store/repositories/evidenceSubmission";
import { doubleProposal, doubleVote } from "../../node/testing/evidence";
import { deployRegistries, L2_CHAIN_ID, registerCandidates, type Registries } from "../../node/testing/registries";
import { testKey } from "../../node/testing/keys";
import { EvidenceSubmitter, type SlashingRegistry } from "../../node/validator/evidenceSubmitter";
import type { Address } from "../../node/types/primitives";

const SLASHED = 5n;
const quiet = pino({ level: "silent" });
const onL2 = { config: { genesis: { chainId: L2_CHAIN_ID } }, state: { height: 10 } };

describe("EvidenceSubmitter against CandidateRegistry (Hardhat)", function () {
  this.timeout(120_000);
  let r: Registries;
  const dbs: Database[] = [];
  const [keyA, keyB] = [testKey(11), testKey(12)];

  async function submitter(registry: SlashingRegistry): Promise<EvidenceSubmitter> {
    const db = await openDatabase(mkdtempSync(join(tmpdir(), "repchain-evidence-")));
    dbs.push(db);
    return new EvidenceSubmitter(registry, new EvidenceSubmissionRepository(db), quiet);
  }

  before(async () => {
    r = await deployRegistries();
    await registerCandidates(
      r,
      [keyA, keyB].map((k) => new ethers.Wallet(toHex(k.privateKey))),
    );
  });

  after(async () => {
    for (const db of dbs) await db.close();
  });

  it("submits vote evidence once, records a registry refusal as final, skips a slashed candidate, ignores proposal evidence", async () => {
    const [, first, second] = await hre.ethers.getSigners();
    const a = await submitter(r.candidates.connect(first));
    const evidence = doubleVote(onL2, keyA, { kind: "precommit", round: 2 });
    const hash = evidenceHash(evidence);

    // Named for the wrong candidate: the registry refuses (not its key); final, B untouched.
    const wrong = doubleVote(onL2, keyA, { round: 9 });
    a.add([{ evidence: wrong, candidate: keyB.address }]);
    await a.settled();
    expect(a.outcome(evidenceHash(wrong))).to.match(
      /^not slashed, the registry refused: CandidateRegistryNotCandidateKey\(/,
    );
    expect((await r.candidates.getCandidate(keyB.address)).status).to.not.equal(SLASHED);

    // Proposal evidence is L2 only; vote evidence is submitted.
    a.add([
      { evidence: doubleProposal(onL2, keyA), candidate: keyA.address },
      { evidence, candidate: keyA.address },
    ]);
    await a.settled();
    expect(a.outcome(evidenceHash(doubleProposal(onL2, keyA)))).to.equal(undefined);
    expect(a.outcome(hash)).to.match(/^submitted in L1 transaction 0x[0-9a-f]{64}$/);
    expect((await r.candidates.getCandidate(keyA.address)).status).to.equal(SLASHED);

    // The same submitter again, and another node's submitter: no transaction is sent.
    const nonces = async () => [first, second].map(async (s) => hre.ethers.provider.getTransactionCount(s.address));
    const before = await Promise.all(await nonces());
    a.add([{ evidence, candidate: keyA.address }]);
    await a.settled();
    const b = await submitter(r.candidates.connect(second));
    b.add([{ evidence, candidate: keyA.address }]);
    await b.settled();
    expect(b.outcome(hash)).to.equal("already slashed on L1");
    expect(await Promise.all(await nonces())).to.deep.equal(before);
    const slashings = await r.candidates.queryFilter(
      r.candidates.filters.CandidateSlashed(ethers.getAddress(keyA.address)),
    );
    expect(slashings).to.have.length(1);
  });

  it("a key no L1 candidate holds is recorded as L2-only; an unreachable L1 is retried, not recorded", async () => {
    const [, first] = await hre.ethers.getSigners();
    const a = await submitter(r.candidates.connect(first));
    const bare = doubleVote(onL2, testKey(13));
    a.add([{ evidence: bare, candidate: null }]);
    await a.settled();
    expect(a.outcome(evidenceHash(bare))).to.equal("no L1 candidate holds the key: jailed on L2 only");

    const offline = new ethers.Wallet(
      ethers.id("offline submitter"),
      new JsonRpcProvider("http://127.0.0.1:1", undefined, { staticNetwork: true }),
    );
    const down = await submitter(r.candidates.connect(offline));
    const evidence = doubleVote(onL2, keyB);
    down.add([{ evidence, candidate: keyB.address as Address }]);
    await down.settled();
    expect(down.outcome(evidenceHash(evidence))).to.equal(undefined);
    expect(down.waiting).to.equal(1);
    await down.stop();
    (offline.provider as JsonRpcProvider).destroy();
  });
});
