/// <reference lib="dom" />
// The dashboard's script: runs in the browser, polls the node's JSON-RPC once a second and renders.
// Served transpiled by node/rpc/dashboardPages.ts; no framework, no build step.

interface Standing {
  address: string;
  votes: string;
}
interface Status {
  nodeId: string;
  role: string;
  height: number;
  epoch: number;
  blocksUntilElection: number;
  l1: { confirmedBlock: number };
  peers: string[];
}
interface Candidate extends Standing {
  status: string;
  representative: boolean;
}
interface Election {
  epoch: number;
  height: number;
  representatives: Standing[];
  added: string[];
  removed: string[];
}
interface BlockSummary {
  height: number;
  proposer: string;
  round: number;
  signers: string[];
}

const POLL_MS = 1000;
const COLOURS = ["#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00"];

async function rpcBatch(calls: [string, unknown[]][]): Promise<unknown[]> {
  const body = calls.map(([method, params], id) => ({ jsonrpc: "2.0", id, method, params }));
  const res = await fetch("/", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answers = (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[];
  return calls.map((_, id) => {
    const answer = answers.find((a) => a.id === id);
    if (!answer || answer.error) throw new Error(answer?.error?.message ?? "no answer");
    return answer.result;
  });
}

function text(id: string, value: string | number): void {
  const el = document.getElementById(id);
  if (el) el.textContent = String(value);
}

function short(address: string): string {
  return `${address.slice(0, 8)}…${address.slice(-4)}`;
}

function fillTable(id: string, rows: (string | number)[][], keys: string[] = []): void {
  const body = document.querySelector(`#${id} tbody`);
  if (!body) return;
  body.replaceChildren(
    ...rows.map((cells, i) => {
      const tr = document.createElement("tr");
      if (keys[i]) {
        tr.dataset.key = keys[i];
        tr.title = keys[i];
      }
      for (const cell of cells) {
        const td = document.createElement("td");
        td.textContent = String(cell);
        tr.appendChild(td);
      }
      return tr;
    }),
  );
}

function drawChart(elections: Election[]): void {
  const svg = document.getElementById("chart");
  if (!svg) return;
  const ordered = [...elections].reverse();
  const series = new Map<string, (number | undefined)[]>();
  ordered.forEach((e, i) => {
    for (const r of e.representatives) {
      if (!series.has(r.address)) series.set(r.address, new Array(ordered.length).fill(undefined));
      series.get(r.address)![i] = Number(r.votes);
    }
  });
  const max = Math.max(1, ...[...series.values()].flat().map((v) => v ?? 0));
  const x = (i: number): number => 30 + (ordered.length <= 1 ? 0 : (i * 360) / (ordered.length - 1));
  const y = (v: number): number => 200 - (v / max) * 180;
  const lines = [...series.entries()].map(([address, values], k) => {
    const points = values.map((v, i) => (v === undefined ? "" : `${x(i)},${y(v)}`)).filter(Boolean);
    return `<polyline fill="none" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="2" points="${points.join(" ")}"><title>${address}</title></polyline>`;
  });
  const labels = ordered.map(
    (e, i) => `<text x="${x(i)}" y="215" font-size="9" text-anchor="middle">${e.epoch}</text>`,
  );
  svg.innerHTML = `<line x1="30" y1="200" x2="390" y2="200" stroke="#999"/>${lines.join("")}${labels.join("")}`;
}

async function refresh(): Promise<void> {
  const [status, reps, candidates, elections, blocks] = (await rpcBatch([
    ["repchain_status", []],
    ["repchain_getRepresentatives", []],
    ["repchain_getCandidates", []],
    ["repchain_getElections", [10]],
    ["repchain_getRecentBlocks", [10]],
  ])) as [Status, Standing[], Candidate[], Election[], BlockSummary[]];
  text("node-id", status.nodeId);
  text("role", status.role);
  text("height", status.height);
  text("epoch", status.epoch);
  text("to-election", status.blocksUntilElection);
  text("l1-block", status.l1.confirmedBlock);
  text("peers", status.peers.length === 0 ? "none" : status.peers.join(", "));
  fillTable(
    "representatives",
    reps.map((r) => [short(r.address), r.votes]),
    reps.map((r) => r.address),
  );
  fillTable(
    "candidates",
    candidates.map((c) => [short(c.address), c.votes, c.representative ? `${c.status} ★` : c.status]),
    candidates.map((c) => c.address),
  );
  fillTable(
    "elections",
    elections.map((e) => [e.epoch, e.height, describeChange(e)]),
    elections.map((e) => String(e.epoch)),
  );
  fillTable(
    "blocks",
    blocks.map((b) => [b.height, short(b.proposer), b.round, b.signers.length]),
    blocks.map((b) => String(b.height)),
  );
  drawChart(elections);
}

function describeChange(e: Election): string {
  if (e.added.length === 0 && e.removed.length === 0) return "no change";
  return [...e.added.map((a) => `+${short(a)}`), ...e.removed.map((a) => `−${short(a)}`)].join(" ");
}

async function loop(): Promise<void> {
  try {
    await refresh();
    text("error", "");
  } catch (err) {
    text("error", `cannot reach the node: ${(err as Error).message}`);
  }
  setTimeout(() => void loop(), POLL_MS);
}

void loop();
