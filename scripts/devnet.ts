/**
 * `npm run devnet`: the whole system on 127.0.0.1 in one command. An embedded Hardhat L1, the
 * three registries, three auditors (threshold 2), a genesis with four representatives, N
 * `repchain run` node processes with their own data folders, the election story and a terminal
 * view. Ctrl-C, SIGTERM or the end of --duration stop everything; the exit code is 0 only if no
 * error line was seen.
 *
 *   npm run devnet -- [--nodes 7] [--epoch-length 8] [--block-time-ms 1000] [--duration 120]
 *                     [--quiet] [--no-story] [--data-dir DIR] [--byzantine n3]
 *
 * It runs from the build (dist/scripts/devnet.js, made by `npm ci` or `npm run build`) with plain
 * node, its L1 with a config of its own (devnet/l1HardhatConfig.ts); the nodes run the built `repchain`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseEther } from "ethers";
import { deployGovernance, writeDeployment } from "./deploy";
import { createAccounts, type DevnetAccounts } from "./devnet/accounts";
import { ByzantineWatch, type ByzantineOutcome } from "./devnet/byzantine";
import { startAuditors } from "./devnet/auditors";
import { Candidacy } from "./devnet/candidacy";
import { loadL1Runtime, startEmbeddedL1 } from "./devnet/embeddedL1";
import { ErrorLines, devnetLogger } from "./devnet/errorLines";
import { registryErrorOf } from "../node/l1/registryErrors";
import { handoutNodes, handoutVoters, writeHandout } from "./devnet/handout";
import { initL2Genesis, l2NodeCommands, type L2Layout } from "./devnet/l2Nodes";
import type { NodeRpcClient } from "../node/rpc/nodeRpcClient";
import { startNodes, type RunningNode } from "./devnet/nodes";
import { parseDevnetOptions, type DevnetOptions } from "./devnet/options";
import { warnIfBuildIsStale } from "./devnet/staleBuild";
import * as story from "./devnet/story";
import { Teardown } from "./devnet/teardown";
import { TerminalView } from "./devnet/terminalView";

const UNBONDING_PERIOD_SECONDS = 30n;
const MIN_DEPOSIT = parseEther("1");
const VIEW_INTERVAL_MS = 1_000;
/** n0–n3: the genesis names them; the BFT quorum needs 3 of them. */
const GENESIS_REPRESENTATIVES = 4;
/** --byzantine: the four genesis representatives and n4, the candidate that takes the offender's seat. */
const BYZANTINE_MIN_NODES = 5;

async function main(): Promise<number> {
  const options = parseDevnetOptions(process.argv);
  if (options.byzantine !== undefined && options.nodes < BYZANTINE_MIN_NODES) {
    process.stderr.write(
      `devnet: --byzantine needs --nodes ${BYZANTINE_MIN_NODES} or more (n4 replaces the offender)\n`,
    );
    return 2;
  }
  if (options.story && options.byzantine === undefined && options.nodes < story.STORY_MIN_NODES) {
    process.stderr.write(`devnet: the story needs --nodes ${story.STORY_MIN_NODES} or more (or --no-story)\n`);
    return 2;
  }
  const dataDir = prepareDataDir(options.dataDir);
  const live = process.stdout.isTTY === true && !options.quiet;
  const view = new TerminalView({ live, quiet: options.quiet, write: (t) => process.stdout.write(t) });
  const errors = new ErrorLines((line) => view.error(line));
  warnIfBuildIsStale(join(__dirname, "../.."), (line) => view.say(line));
  const teardown = new Teardown();
  const stop = stopController(options.durationSeconds, () => teardown.interrupted());
  let outcome: (story.StoryOutcome & { byzantine?: ByzantineOutcome }) | undefined;
  try {
    outcome = await runDevnet(options, dataDir, view, errors, teardown, stop.signal);
  } catch (err) {
    // A reverted L1 transaction of the story names its registry error, not raw return data.
    const registryError = registryErrorOf(err);
    errors.report(
      "devnet",
      `${registryError === undefined ? "" : `${registryError}: `}${(err as Error).stack ?? String(err)}`,
    );
  } finally {
    view.say("stopping");
    await teardown.run((name, err) => errors.report(`stopping ${name}`, String(err)));
  }
  const summary = { dataDir, ...outcome, errors: errors.lines.length };
  process.stdout.write(`devnet summary ${JSON.stringify(summary)}\n`);
  return errors.lines.length === 0 ? 0 : 1;
}

function prepareDataDir(given: string | undefined): string {
  if (given === undefined) return mkdtempSync(join(tmpdir(), "repchain-devnet-"));
  const dir = resolve(given);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    // Each run is a new L1: databases of an earlier run belong to another deployment.
    throw new Error(`--data-dir ${dir} is not empty; give a new or empty folder`);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Aborts on SIGINT, SIGTERM or the end of --duration. */
function stopController(durationSeconds: number, onSignal: () => void): AbortController {
  const controller = new AbortController();
  const stop = () => {
    onSignal();
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (durationSeconds > 0) setTimeout(() => controller.abort(), durationSeconds * 1000).unref();
  return controller;
}

async function runDevnet(
  options: DevnetOptions,
  dataDir: string,
  view: TerminalView,
  errors: ErrorLines,
  teardown: Teardown,
  signal: AbortSignal,
): Promise<story.StoryOutcome | undefined> {
  const log = devnetLogger(join(dataDir, "devnet.log"), errors);
  view.say(`data folder ${dataDir}`);
  const hre = loadL1Runtime();
  const l1 = await startEmbeddedL1(hre, 0, options.blockTimeMs);
  teardown.add("L1", () => l1.close());
  view.say(`L1 (embedded Hardhat, chain ${l1.chainId}) at ${l1.url}, a block every ${options.blockTimeMs} ms`);
  const provider = hre.ethers.provider;
  const [funder] = await hre.ethers.getSigners();
  const accounts = await createAccounts(funder, provider, { nodes: options.nodes, voters: story.STORY_VOTERS });
  const governance = {
    auditors: accounts.auditors.map((a) => a.address),
    threshold: 2n,
    minDeposit: MIN_DEPOSIT,
    unbondingPeriod: UNBONDING_PERIOD_SECONDS,
    representativeRule: { minRepresentatives: 4n, maxRepresentatives: 4n, candidatesPerSeat: 0n },
  };
  const { deployment } = await deployGovernance(funder, governance, "devnet");
  const deploymentFile = join(dataDir, "deployments", "devnet.json");
  writeDeployment(deploymentFile, deployment);
  view.say(`registries deployed: CandidateRegistry ${deployment.candidateRegistry}`);
  // The nodes need only the deployment and the genesis: they start now and load while the
  // auditors start and the genesis representatives register (the nodes import those events).
  const layout = { dataDir, l1Url: l1.url, deploymentFile, genesisFile: join(dataDir, "genesis.json") };
  const starting = startNetwork(options, layout, accounts, { errors, view }, teardown);
  // Awaited below, after the registrations; meanwhile the first block is timed as soon as it comes.
  const firstBlock = starting.representatives.then((reps) => reportFirstFinalizedBlock(reps[0].rpc, view, signal));
  firstBlock.catch(() => undefined);
  starting.all.catch(() => undefined);
  const auditors = await startAuditors({
    dir: join(dataDir, "auditors"),
    wallets: accounts.auditors,
    deploymentFile,
    creditedOperators: accounts.nodes.map((n) => n.operator.address.toLowerCase()),
    provider,
    log,
  });
  teardown.add("auditors", async () => void (await Promise.all(auditors.map((a) => a.close()))));
  view.say(`auditors (threshold 2 of 3): ${auditors.map((a) => a.url).join(" ")}`);
  const urls = auditors.map((a) => a.url);
  const candidacy = await Candidacy.open(provider, deployment, urls, MIN_DEPOSIT);
  const cast: story.StoryCast = {
    deployment,
    provider,
    nodes: accounts.nodes,
    voters: accounts.voters,
    minter: funder,
    candidacy,
    unbondingPeriodSeconds: UNBONDING_PERIOD_SECONDS,
    l1NowSeconds: async () => BigInt((await provider.getBlock("latest"))!.timestamp),
    say: (line) => view.say(line),
    fail: (line) => errors.report("story", line),
  };
  await story.mintVotingPower(cast);
  await story.registerGenesis(cast);
  const nodes = await starting.all;
  const drive = writeHandout(join(dataDir, "devnet.json"), {
    l1Url: l1.url,
    deploymentsDir: join(dataDir, "deployments"),
    auditors: urls,
    nodes: handoutNodes(
      accounts,
      nodes.map((n) => n.rpc.url),
    ),
    voters: handoutVoters(accounts),
  });
  view.say(`drive it by hand: ${drive}  (keys and URLs: ${join(dataDir, "devnet.json")})`);
  await firstBlock;
  return watchAndPlay(options, nodes, view, cast, signal);
}

/**
 * Writes the genesis (four representatives: n0–n3) with `repchain init`, starts their `repchain
 * run` processes, then the others'. The representatives come first: the first block needs them, and
 * seven node processes starting at once on two cores delay them all; the others dial them.
 */
function startNetwork(
  options: DevnetOptions,
  layout: L2Layout,
  accounts: DevnetAccounts,
  { errors, view }: { errors: ErrorLines; view: TerminalView },
  teardown: Teardown,
): { representatives: Promise<RunningNode[]>; all: Promise<RunningNode[]> } {
  const commands = (async () => {
    const addresses = accounts.nodes.slice(0, GENESIS_REPRESENTATIVES).map((n) => n.candidate.address.toLowerCase());
    await initL2Genesis(layout, addresses, options.epochLength, options.blockTimeMs);
    return l2NodeCommands(layout, accounts.nodes, options.byzantine);
  })();
  // The node started with the equivocation switch announces it at error level, and may log more
  // errors once jailed: expected, so shown but not counted. Every other node's error lines count.
  const onError = (n: string, line: string) =>
    n === options.byzantine ? view.say(`${n} (byzantine, expected): ${line}`) : errors.report(n, line);
  const start = async (from: number, to?: number) => {
    const nodes = accounts.nodes.slice(from, to);
    const setup = { dataDir: layout.dataDir, nodes, commands: (await commands).slice(from, to), onError };
    return startNodes(setup, teardown).ready;
  };
  const representatives = start(0, GENESIS_REPRESENTATIVES);
  const all = representatives.then(async (first) => [...first, ...(await start(GENESIS_REPRESENTATIVES))]);
  representatives.catch(() => undefined); // awaited through `all` too
  return { representatives, all };
}

/**
 * Prints how long after the devnet process started the first L2 block was finalized (the aim:
 * 15 s). npm's own start adds about 0.3 s before that.
 */
async function reportFirstFinalizedBlock(rpc: NodeRpcClient, view: TerminalView, signal: AbortSignal): Promise<void> {
  const finalized = await story.pollUntil(signal, async () => (await rpc.status()).height >= 1, 100);
  if (finalized) view.say(`first finalized block after ${(performance.now() / 1000).toFixed(1)} s`);
}

/** Runs the view and the story until the stop signal; returns what the story achieved. */
async function watchAndPlay(
  options: DevnetOptions,
  nodes: RunningNode[],
  view: TerminalView,
  cast: story.StoryCast,
  signal: AbortSignal,
): Promise<story.StoryOutcome> {
  view.attach(nodes.map((n) => ({ name: n.name, address: n.address, rpc: n.rpc })));
  view.say(`dashboard: ${nodes[0].rpc.url}/  (every node serves one; JSON-RPC and /metrics on the same port)`);
  const ticking = setInterval(() => void view.tick(), VIEW_INTERVAL_MS);
  const byzantine =
    options.byzantine === undefined ? undefined : await startByzantineAct(options.byzantine, nodes, cast);
  const played =
    options.story && byzantine === undefined
      ? story.playStory(cast, nodes[0].rpc, signal).catch((err: unknown) => {
          cast.fail(`the story stopped: ${(err as Error).message}`);
          return undefined;
        })
      : Promise.resolve(undefined);
  await new Promise<void>((resolve) =>
    signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve()),
  );
  const outcome: story.StoryOutcome & { byzantine?: ByzantineOutcome } = (await played) ?? story.noOutcome();
  clearInterval(ticking);
  await view.tick();
  if (byzantine !== undefined) outcome.byzantine = await byzantine.stop();
  const elections = await nodes[0].rpc.elections(100).catch(() => []);
  outcome.representativeChanges = elections.filter((e) => e.added.length > 0 || e.removed.length > 0).length;
  return outcome;
}

/**
 * --byzantine: instead of the story (whose expected sets assume four honest genesis
 * representatives), n4 registers so that a candidate can take the offender's seat, and a watch
 * tells the offender's evidence, its slash on L1 and its removal from the set as each happens.
 * The evidence is read from a node other than the offender.
 */
async function startByzantineAct(
  offender: string,
  nodes: RunningNode[],
  cast: story.StoryCast,
): Promise<{ stop: () => Promise<ByzantineOutcome> }> {
  const node = nodes.find((n) => n.name === offender)!;
  cast.say(`${offender} runs with the TEST ONLY equivocation switch: it signs two conflicting votes at every step`);
  const replacement = cast.nodes[GENESIS_REPRESENTATIVES];
  await cast.candidacy.register(replacement);
  cast.say(`${replacement.name} registered as a candidate, to take the seat of a removed representative`);
  const watch = new ByzantineWatch({
    node: { name: node.name, address: node.address },
    deployment: cast.deployment,
    provider: cast.provider,
    watch: nodes.find((n) => n.name !== offender)!.rpc,
    say: cast.say,
  });
  let polling = Promise.resolve();
  const timer = setInterval(() => (polling = polling.then(() => watch.poll())), VIEW_INTERVAL_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await polling;
      await watch.poll();
      return watch.outcome;
    },
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`devnet: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
