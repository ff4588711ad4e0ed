import { JsonRpcProvider, type Provider, type TypedDataDomain, type Wallet } from "ethers";
import { createLogger, type Logger } from "../../log";
import { loadDeployment } from "../../types/deployment";
import { readDomain, signCredential } from "../../types/eip712";
import type { Address, Hex } from "../../types/primitives";
import { EthersRegistryView, type RegistryAddresses } from "./l1Reads";
import { AuditorClient } from "../client/client";
import type { AuditorConfig } from "./config";
import { FileCreditSource, HttpCreditSource, type CreditSource } from "./credit";
import { Forwarder } from "./forwarder";
import { loadWallet } from "./keys";
import { buildAuditorServer } from "./server";
import { AuditorService } from "./service";
import { AuditorStore } from "./store";

/**
 * The auditor's composition root: the only place that creates its I/O objects (key, L1 provider,
 * database, HTTP server, peer clients) and wires them into the service.
 */
export interface StartOptions {
  readonly config: AuditorConfig;
  /** An L1 provider to use instead of config.rpcUrl (tests pass Hardhat's in-process one). */
  readonly provider?: Provider;
  readonly log?: Logger;
  readonly env?: NodeJS.ProcessEnv;
  /** Wall clock in unix seconds. */
  readonly nowSeconds?: () => bigint;
}

export interface RunningAuditor {
  readonly url: string;
  readonly address: Address;
  readonly service: AuditorService;
  close(): Promise<void>;
}

export async function startAuditor(opts: StartOptions): Promise<RunningAuditor> {
  const { config } = opts;
  const log = opts.log ?? createLogger("auditor");
  const wallet = await loadWallet(config.key, opts.env);
  // staticNetwork: detect the chain once and fail fast when L1 is down, instead of ethers' retry loop.
  const provider = opts.provider ?? new JsonRpcProvider(config.rpcUrl, undefined, { staticNetwork: true });
  let store: AuditorStore | undefined;
  try {
    const l1 = await readL1(provider, registryAddresses(config), wallet.address, log);
    store = await openStore(config.dataDir);
    return await serve(opts, log, wallet, provider, l1, store);
  } catch (err) {
    await store?.close();
    if (!opts.provider) provider.destroy();
    throw err;
  }
}

interface L1Context {
  readonly chain: EthersRegistryView;
  readonly domain: { chainId: bigint; candidateRegistry: Address };
  readonly credentialDomain: TypedDataDomain;
}

async function readL1(provider: Provider, addresses: RegistryAddresses, key: string, log: Logger): Promise<L1Context> {
  const chain = new EthersRegistryView(provider, addresses);
  try {
    const domain = { chainId: await chain.chainId(), candidateRegistry: addresses.candidateRegistry };
    const credentialDomain = await readDomain(provider, addresses.candidateRegistry);
    const auditor = key.toLowerCase() as Address;
    if (!(await chain.isAuditor(auditor))) log.warn({ auditor }, "this key is not a current auditor on L1");
    return { chain, domain, credentialDomain };
  } catch (err) {
    throw new Error(`cannot read the registries on L1: ${(err as Error).message}`, { cause: err });
  }
}

async function openStore(dataDir: string): Promise<AuditorStore> {
  try {
    return await AuditorStore.open(dataDir);
  } catch (err) {
    const detail = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(`cannot open the auditor database ${dataDir} (is another auditor using it?): ${detail}`, {
      cause: err,
    });
  }
}

async function serve(
  opts: StartOptions,
  log: Logger,
  wallet: Wallet,
  provider: Provider,
  l1: L1Context,
  store: AuditorStore,
): Promise<RunningAuditor> {
  const { config } = opts;
  const auditor = wallet.address.toLowerCase() as Address;
  const peers = config.peers.map((url) => new AuditorClient(url, config.peerTimeoutMs));
  const forwarder = new Forwarder(peers, log);
  const service = new AuditorService({
    store,
    chain: l1.chain,
    credit: creditSource(config),
    domain: l1.domain,
    auditor,
    signCredential: async (credential) => (await signCredential(wallet, l1.credentialDomain, credential)) as Hex,
    mode: config.review.mode,
    rules: config.review.rules,
    operators: config.operators,
    credentialValiditySeconds: BigInt(config.credentialValiditySeconds),
    decisionMaxSkewSeconds: BigInt(config.decisionMaxSkewSeconds),
    maxPendingApplications: config.maxPendingApplications,
    nowSeconds: opts.nowSeconds ?? (() => BigInt(Math.floor(Date.now() / 1000))),
    onAccepted: (signed) => forwarder.forward(signed),
    log,
  });
  let url = "";
  const server = buildAuditorServer({
    service,
    auditor,
    chainId: l1.domain.chainId,
    candidateRegistry: l1.domain.candidateRegistry,
    credentialDomain: l1.credentialDomain,
    mode: config.review.mode,
    peers,
    bundleAuditors: () => [new AuditorClient(url, config.peerTimeoutMs), ...peers],
    bodyLimitBytes: config.bodyLimitBytes,
    log,
  });
  await server.listen({ host: config.host, port: config.port });
  url = `http://${config.host}:${(server.server.address() as { port: number }).port}`;
  log.info({ url, auditor, mode: config.review.mode, peers: config.peers }, "auditor service listening");
  const settling = config.review.mode === "manual" ? settlePeriodically(service, log) : undefined;
  return {
    url,
    address: auditor,
    service,
    async close() {
      clearInterval(settling);
      await server.close();
      await forwarder.drain();
      await store.close();
      if (!opts.provider) provider.destroy();
    },
  };
}

/** How often a manual auditor looks on L1 for pending applications that other auditors' credentials registered. */
const SETTLE_INTERVAL_MS = 15_000;

function settlePeriodically(service: AuditorService, log: Logger): NodeJS.Timeout {
  return setInterval(() => {
    service.settleSuperseded().catch((err: Error) => log.warn({ err: err.message }, "settling the queue failed"));
  }, SETTLE_INTERVAL_MS).unref();
}

function creditSource(config: AuditorConfig): CreditSource {
  return "file" in config.credit
    ? new FileCreditSource(config.credit.file)
    : new HttpCreditSource(config.credit.url, config.credit.timeoutMs);
}

function registryAddresses(config: AuditorConfig): RegistryAddresses {
  if (config.candidateRegistry && config.auditorRegistry) {
    return { candidateRegistry: config.candidateRegistry, auditorRegistry: config.auditorRegistry };
  }
  if (!config.deployment) throw new Error("the auditor config needs `deployment` or both registry addresses");
  const d = loadDeployment(config.deployment);
  return {
    candidateRegistry: d.candidateRegistry.toLowerCase() as Address,
    auditorRegistry: d.auditorRegistry.toLowerCase() as Address,
  };
}
