import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import hre, { ethers } from "hardhat";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import type { JsonRpcServer } from "hardhat/types";
import { AuditorClient } from "../../node/auditor/client/client";
import { REPCHAIN_ARGS } from "../../node/testing/cli";
import { deployRegistries, MIN_DEPOSIT, randomWallet, tempDir, writeCreditFile, writeDeploymentFile } from "./fixture";

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `repchain …` to completion. */
function run(args: string[], env: Record<string, string>): Promise<Exit> {
  const child = spawn(process.execPath, [...REPCHAIN_ARGS, ...args], { env: { ...process.env, ...env } });
  return collect(child);
}

function collect(child: ChildProcess): Promise<Exit> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("repchain auditor / repchain apply (child processes against a Hardhat JSON-RPC server)", function () {
  // Each child process compiles TypeScript on start: seconds each, much more on a loaded machine.
  this.timeout(300_000);
  const auditorKey = randomWallet();
  const operatorKey = randomWallet(); // the auditor's human operator
  const candidateKey = randomWallet();
  const accountKey = randomWallet(); // the candidate's operator account, which pays the deposit
  let server: JsonRpcServer;
  let rpcUrl: string;
  let dir: { path: string; remove: () => Promise<void> };
  let auditorProcess: ChildProcess | undefined;
  let auditorExit: Promise<Exit>;
  let auditorUrl: string;
  let registries: Awaited<ReturnType<typeof deployRegistries>>;

  before(async function () {
    server = (await hre.run(TASK_NODE_CREATE_SERVER, {
      hostname: "127.0.0.1",
      port: 0,
      provider: hre.network.provider,
    })) as JsonRpcServer;
    const { port } = await server.listen();
    rpcUrl = `http://127.0.0.1:${port}`;
    registries = await deployRegistries([auditorKey], 1);
    const [owner] = await ethers.getSigners();
    await owner.sendTransaction({ to: accountKey.address, value: ethers.parseEther("10") });
    dir = await tempDir();
    await writeDeploymentFile(join(dir.path, "deployment.json"), registries);
    await writeCreditFile(join(dir.path, "credit.json"), { [accountKey.address]: 100n });
    await writeFile(
      join(dir.path, "auditor.json"),
      JSON.stringify({
        port: 0,
        dataDir: "db",
        rpcUrl,
        deployment: "deployment.json",
        key: { env: "REPCHAIN_AUDITOR_KEY" },
        operators: [operatorKey.address],
        review: { mode: "manual" },
        credit: { file: "credit.json" },
      }),
    );
  });

  after(async function () {
    auditorProcess?.kill("SIGTERM");
    if (auditorProcess) await auditorExit;
    await server?.close();
    await dir?.remove();
  });

  it("starts the service with `repchain auditor --config`", async function () {
    auditorProcess = spawn(
      process.execPath,
      [...REPCHAIN_ARGS, "auditor", "--config", join(dir.path, "auditor.json")],
      {
        env: { ...process.env, REPCHAIN_AUDITOR_KEY: auditorKey.privateKey },
      },
    );
    auditorExit = collect(auditorProcess);
    auditorUrl = await new Promise<string>((resolve, reject) => {
      auditorProcess!.stdout!.on("data", (d: Buffer) => {
        const match = /listening on (http:\/\/\S+)/.exec(d.toString());
        if (match) resolve(match[1]);
      });
      auditorProcess!.on("exit", (code) => reject(new Error(`auditor exited with ${code}`)));
    });
    expect(auditorUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("applies, waits for the operator's `approve`, and registers with --register", async function () {
    const applying = run(
      ["apply", "--auditor", auditorUrl, "--deployment", join(dir.path, "deployment.json"), "--rpc", rpcUrl].concat([
        "--credit",
        "100",
        "--benchmark-ms",
        "50",
        "--wait-seconds",
        "240",
        "--register",
      ]),
      { REPCHAIN_CANDIDATE_KEY: candidateKey.privateKey, REPCHAIN_OPERATOR_KEY: accountKey.privateKey },
    );
    // Wait for the application through the API (cheap), then list it through the CLI once.
    const api = new AuditorClient(auditorUrl, 2_000);
    for (let i = 0; i < 600 && (await api.pending()).length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    const pending = await run(["auditor", "pending", "--url", auditorUrl], {});
    const id = /^(0x[0-9a-f]{64}) pending/m.exec(pending.stdout)?.[1];
    expect(id, "the application reached the queue").to.not.equal(undefined);

    const [noReason, notOperator] = await Promise.all([
      run(["auditor", "reject", id!, "--url", auditorUrl], { REPCHAIN_REVIEWER_KEY: operatorKey.privateKey }),
      run(["auditor", "approve", id!, "--url", auditorUrl], { REPCHAIN_REVIEWER_KEY: randomWallet().privateKey }),
    ]);
    expect(noReason.code).to.equal(2);
    expect(notOperator.code).to.equal(1);
    expect(notOperator.stderr).to.contain("who is not an operator");

    // The applicant's operator key in the environment is not the reviewer's: it must not be used.
    const approved = await run(["auditor", "approve", id!, "--url", auditorUrl, "--reason", "site visit ok"], {
      REPCHAIN_REVIEWER_KEY: operatorKey.privateKey,
      REPCHAIN_OPERATOR_KEY: accountKey.privateKey,
    });
    expect(approved.code, approved.stderr).to.equal(0);
    expect(approved.stdout).to.match(new RegExp(`^${id} approved `));
    expect(approved.stdout).to.contain(`by ${operatorKey.address.toLowerCase()}: site visit ok`);

    const result = await applying;
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/registered: 0x[0-9a-f]{64}/);
    expect(await registries.candidates.isCandidate(candidateKey.address)).to.equal(true);
    expect((await registries.candidates.getCandidate(candidateKey.address)).deposit).to.equal(MIN_DEPOSIT);
  });

  it("apply without --register exits 1 and says why when every auditor refused", async function () {
    const refusedCandidate = randomWallet();
    const applying = run(
      ["apply", "--auditor", auditorUrl, "--deployment", join(dir.path, "deployment.json"), "--rpc", rpcUrl].concat([
        "--credit",
        "100",
        "--benchmark-ms",
        "50",
        "--wait-seconds",
        "240",
      ]),
      { REPCHAIN_CANDIDATE_KEY: refusedCandidate.privateKey, REPCHAIN_OPERATOR_KEY: accountKey.privateKey },
    );
    const api = new AuditorClient(auditorUrl, 2_000);
    const mine = async () =>
      (await api.pending()).find(
        (r) => r.application.candidate.toLowerCase() === refusedCandidate.address.toLowerCase(),
      );
    let record = await mine();
    for (let i = 0; i < 600 && record === undefined; i++) {
      await new Promise((r) => setTimeout(r, 200));
      record = await mine();
    }
    expect(record, "the application reached the queue").to.not.equal(undefined);
    const rejected = await run(["auditor", "reject", record!.id, "--url", auditorUrl, "--reason", "no site visit"], {
      REPCHAIN_REVIEWER_KEY: operatorKey.privateKey,
    });
    expect(rejected.code, rejected.stderr).to.equal(0);
    const result = await applying;
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stderr).to.contain("not enough approvals to register: 0 of 1 required");
    expect(result.stderr).to.contain("rejected: no site visit");
  });

  it("exits with 2 on a config or settings error, naming it", async function () {
    const [auditor, apply] = await Promise.all([
      run(["auditor", "--config", join(dir.path, "missing.json")], {}),
      run(["apply", "--deployment", join(dir.path, "deployment.json"), "--credit", "1"], {}),
    ]);
    expect(auditor.code).to.equal(2);
    expect(auditor.stderr).to.contain(`cannot read auditor config ${join(dir.path, "missing.json")}`);
    expect(apply.code).to.equal(2);
    expect(apply.stderr).to.contain("invalid apply settings: auditors (--auditor): expected");
  });

  it("stops on SIGTERM, and its output never contains the auditor's key", async function () {
    auditorProcess!.kill("SIGTERM");
    const exit = await auditorExit;
    auditorProcess = undefined;
    expect(exit.code).to.equal(0);
    const output = exit.stdout + exit.stderr;
    expect(output).to.contain("application accepted");
    expect(output).to.not.contain(auditorKey.privateKey.slice(2));
  });
});
