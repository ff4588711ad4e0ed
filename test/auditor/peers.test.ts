import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { join } from "node:path";
import { ethers } from "hardhat";
import {
  applicationId,
  NO_DEPOSIT_TX,
  qualificationHash,
  signApplication,
  type SignedApplication,
} from "../../node/auditor/application";
import { gatherBundle } from "../../node/auditor/client/bundle";
import { AuditorClient } from "../../node/auditor/client/client";
import { measureAtAuditors } from "../../node/auditor/client/qualify";
import type { RunningAuditor } from "../../node/auditor/service/start";
import { recordToJson } from "../../node/auditor/apiJson";
import { signCredential } from "../../node/types/eip712";
import type { Address } from "../../node/types/primitives";
import {
  deadPort,
  deployRegistries,
  randomWallet,
  runAuditor,
  tempDir,
  writeCreditFile,
  type Registries,
} from "./fixture";

describe("auditor peers: forwarding and bundles with peers that are down or lie", function () {
  const keys = [randomWallet(), randomWallet()];
  let registries: Registries;
  let dir: { path: string; remove: () => Promise<void> };
  let first: RunningAuditor;
  let second: RunningAuditor;
  let operator: Address;
  let silent: NetServer;
  let silentUrl: string;
  const silentSockets = new Set<Socket>();
  const PEER_TIMEOUT_MS = 5_000;

  before(async function () {
    registries = await deployRegistries(keys, 2);
    dir = await tempDir();
    operator = (await (await ethers.getSigners())[1].getAddress()).toLowerCase() as Address;
    await writeCreditFile(join(dir.path, "credit.json"), { [operator]: 100n });
    const config = { review: { mode: "automatic" as const }, credit: { file: "../credit.json" } };
    // The first auditor forwards to the second, to a dead peer (connection refused) and to a silent
    // one (accepts, never answers: only the timeout ends the wait).
    const dead = `http://127.0.0.1:${await deadPort()}`;
    silent = createNetServer((socket) => silentSockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    second = await runAuditor({ wallet: keys[1], dir: join(dir.path, "2"), registries, config });
    first = await runAuditor({
      wallet: keys[0],
      dir: join(dir.path, "1"),
      registries,
      config: { ...config, peers: [second.url, dead, silentUrl], peerTimeoutMs: PEER_TIMEOUT_MS },
    });
    // Restart the second one listing the first: now each lists the other.
    await second.close();
    second = await runAuditor({
      wallet: keys[1],
      dir: join(dir.path, "2"),
      registries,
      config: { ...config, port: Number(new URL(second.url).port), peers: [first.url] },
    });
  });

  after(async function () {
    for (const socket of silentSockets) socket.destroy();
    silent?.close();
    await first?.close();
    await second?.close();
    await dir?.remove();
  });

  /** An application measured by both live auditors, so that each can review the copy it gets. */
  async function signed(): Promise<SignedApplication> {
    const candidate = randomWallet();
    const address = candidate.address.toLowerCase() as Address;
    const clients = [first, second].map((a) => new AuditorClient(a.url, 5_000));
    const { references } = await measureAtAuditors(clients, address);
    const qualification = {
      deposit: 10n ** 18n,
      depositTx: NO_DEPOSIT_TX,
      creditValue: 100n,
      measurements: references,
    };
    return signApplication(
      candidate,
      { candidate: address, operator, qualification, nonce: 0n, renew: false },
      registries.domain,
      registries.credentialDomain,
    );
  }

  it("answers the applicant without waiting for a silent peer, while forwarding to a live one", async function () {
    const app = await signed();
    const id = applicationId(app.application, registries.domain);
    const started = Date.now();
    const record = await new AuditorClient(first.url, 5_000).submit(app);
    expect(Date.now() - started, "the silent peer's timeout is not on the applicant's path").to.be.lessThan(
      PEER_TIMEOUT_MS / 2,
    );
    expect(record.status).to.equal("approved");
    let atSecond;
    for (let i = 0; i < 100 && !atSecond; i++) {
      atSecond = await new AuditorClient(second.url, 1_000).status(id).catch(() => undefined);
      if (!atSecond) await new Promise((r) => setTimeout(r, 50));
    }
    expect(atSecond?.status).to.equal("approved");
    const gathering = Date.now();
    const bundle = await gatherBundle(
      id,
      app,
      [new AuditorClient(first.url, 1_000), new AuditorClient(second.url, 1_000), new AuditorClient(silentUrl, 300)],
      registries.credentialDomain,
    );
    expect(Date.now() - gathering, "a silent auditor costs the bundle only its timeout").to.be.lessThan(2_000);
    expect(bundle.application.signatures).to.have.length(2);
    expect(bundle.auditors.map((a) => a.answer)).to.deep.equal(["approved", "approved", "no-answer"]);
  });

  it("does not trust a peer whose credential is forged, nor count one auditor twice", async function () {
    const app = await signed();
    const id = applicationId(app.application, registries.domain);
    await new AuditorClient(first.url, 5_000).submit(app, true);
    const honest = await new AuditorClient(first.url, 1_000).status(id);

    // A liar claims to be the second auditor but signs with a key that is not.
    const impostor = randomWallet();
    const credential = {
      candidate: app.application.candidate,
      operator: app.application.operator,
      qualificationHash: qualificationHash(app.application.qualification),
      approve: true,
      issuedAt: honest.credential!.issuedAt,
      expiresAt: honest.credential!.expiresAt,
      nonce: 0n,
    };
    const forgedSignature = await signCredential(impostor, registries.credentialDomain, credential);
    const lie = recordToJson(
      {
        id,
        application: app.application,
        signature: app.signature,
        consentSignature: app.consentSignature,
        receivedAt: 0n,
        status: "approved",
        measured: honest.measured,
        decision: { approve: true, reason: "trust me", by: "rules", decidedAt: 0n },
        credential: { ...credential, auditor: second.address, signature: forgedSignature as `0x${string}` },
      },
      second.address,
    );
    const liar: Server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(lie));
    });
    await new Promise<void>((resolve) => liar.listen(0, "127.0.0.1", resolve));
    try {
      const liarUrl = `http://127.0.0.1:${(liar.address() as { port: number }).port}`;
      const bundle = await gatherBundle(
        id,
        app,
        [new AuditorClient(first.url, 1_000), new AuditorClient(first.url, 1_000), new AuditorClient(liarUrl, 1_000)],
        registries.credentialDomain,
      );
      expect(bundle.application.signatures).to.have.length(1);
      expect(bundle.auditors.map((a) => a.answer)).to.deep.equal(["approved", "approved", "invalid"]);
      expect(bundle.auditors[2].reason).to.contain(`signed by ${impostor.address.toLowerCase()}`);
    } finally {
      await new Promise<void>((resolve) => liar.close(() => resolve()));
    }
  });
});
