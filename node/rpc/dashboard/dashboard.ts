/// <reference lib="dom" />
// The dashboard's script: runs in the browser, polls the node's JSON-RPC once a second and renders.
// Served transpiled by node/rpc/dashboardPages.ts; no framework, no build step.

interface Standing {
  address: string;
  votes: string;
}
/** The voting token's metadata (absent until the node has read it, or when the token has none). */
interface VotingToken {
  symbol: string;
  decimals: number;
}
interface Status {
  nodeId: string;
  votingToken?: VotingToken;
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
  /** Candidates the chain's own rules left out, and why; null on old records. */
  excluded: { candidate: string; reason: string }[] | null;
}
/** repchain_getEvidence: equivocation evidence in finalized blocks and the candidates it jailed. */
interface EvidenceReport {
  jailed: { candidate: string }[];
  committed: { kind: string; signer: string; height: number; round: number; committedAt: number }[];
}
interface BlockSummary {
  height: number;
  proposer: string;
  round: number;
  signers: string[];
  timestampMs: number;
  /** Absent for blocks the node replayed from its store at start-up. */
  finalizedAtMs?: number;
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

/** A table cell whose text is rounded for reading; `title` (the hover) holds the exact value. */
interface Cell {
  text: string;
  title: string;
}

const SHOWN_FRACTION_DIGITS = 4;

/**
 * Token units (a decimal string, as the RPC sends uint256 values) in whole tokens: "1,234.5 RVOTE", at most
 * four decimals, "≈" when more were cut; the title keeps the exact amount and the raw units. Without the
 * token's metadata the raw units are shown.
 */
function tokenAmount(units: string, token: VotingToken | undefined): Cell {
  if (token === undefined) return { text: units, title: `${units} token units` };
  const raw = BigInt(units);
  const scale = 10n ** BigInt(token.decimals);
  const whole = (raw / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction =
    token.decimals === 0 ? "" : (raw % scale).toString().padStart(token.decimals, "0").replace(/0+$/, "");
  const shown = fraction.slice(0, SHOWN_FRACTION_DIGITS).replace(/0+$/, "");
  const cut = shown.length < fraction.length ? "≈ " : "";
  const exact = `${whole}${fraction === "" ? "" : `.${fraction}`}`;
  return {
    text: `${cut}${whole}${shown === "" ? "" : `.${shown}`} ${token.symbol}`,
    title: `${exact} ${token.symbol} = ${units} token units`,
  };
}

/** Token units as a number of whole tokens, for a chart's scale (exactness is the tables' job). */
function wholeTokens(units: string, token: VotingToken | undefined): number {
  return token === undefined ? Number(units) : Number(units) / 10 ** token.decimals;
}

function fillTable(id: string, rows: (string | number | Cell)[][], keys: string[] = []): void {
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
        if (typeof cell === "object") {
          td.textContent = cell.text;
          td.title = cell.title;
        } else {
          td.textContent = String(cell);
        }
        tr.appendChild(td);
      }
      return tr;
    }),
  );
}

/** One line of a chart: a legend entry and its points; `tip` is what hovering a point shows. */
interface Series {
  label: string;
  title: string;
  points: { x: number; y: number; tip: string }[];
}
interface Axes {
  xLabel: string;
  yLabel: string;
}

// The plot area inside each chart's 400×240 viewBox; the margins hold the ticks and axis labels.
const PLOT = { left: 56, right: 390, top: 10, bottom: 196 };

function escapeXml(value: string): string {
  return value.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above `value`, so the axis ticks are round numbers. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= value) ?? 10 * power;
}

function tickValues(max: number): number[] {
  const step = max / 4;
  return [0, 1, 2, 3, 4].map((i) => i * step);
}

function formatTick(value: number): string {
  if (value >= 1e6 || (value > 0 && value < 0.01)) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

/** Draws `series` into the SVG `svgId` with labelled axes and fills the legend list `legendId`. */
function drawLineChart(svgId: string, legendId: string, series: Series[], axes: Axes): void {
  const svg = document.getElementById(svgId);
  const legend = document.getElementById(legendId);
  if (!svg || !legend) return;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const yMax = niceCeil(Math.max(1e-9, ...all.map((p) => p.y)) * 1.05);
  const width = PLOT.right - PLOT.left;
  const height = PLOT.bottom - PLOT.top;
  const x = (v: number): number => PLOT.left + (xMax === xMin ? width / 2 : ((v - xMin) * width) / (xMax - xMin));
  const y = (v: number): number => PLOT.bottom - (v / yMax) * height;
  const yTicks = tickValues(yMax).map(
    (v) =>
      `<line x1="${PLOT.left - 3}" y1="${y(v)}" x2="${PLOT.right}" y2="${y(v)}" stroke="#eee"/>` +
      `<text x="${PLOT.left - 6}" y="${y(v) + 3}" font-size="9" text-anchor="end">${formatTick(v)}</text>`,
  );
  const xTicks = [...new Set(xs)]
    .sort((a, b) => a - b)
    .filter((_, i, arr) => arr.length <= 12 || i % Math.ceil(arr.length / 12) === 0)
    .map((v) => `<text x="${x(v)}" y="${PLOT.bottom + 12}" font-size="9" text-anchor="middle">${v}</text>`);
  const lines = series.map((s, k) => {
    const colour = COLOURS[k % COLOURS.length];
    const points = s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(" ");
    const dots = s.points.map(
      (p) => `<circle cx="${x(p.x)}" cy="${y(p.y)}" r="3" fill="${colour}"><title>${escapeXml(p.tip)}</title></circle>`,
    );
    return (
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}" data-series="${escapeXml(s.title)}">` +
      `<title>${escapeXml(s.title)}</title></polyline>${dots.join("")}`
    );
  });
  svg.innerHTML =
    yTicks.join("") +
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#999"/>` +
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#999"/>` +
    xTicks.join("") +
    lines.join("") +
    `<text class="axis-label" x="${(PLOT.left + PLOT.right) / 2}" y="232" font-size="10" text-anchor="middle">${escapeXml(axes.xLabel)}</text>` +
    `<text class="axis-label" x="12" y="${(PLOT.top + PLOT.bottom) / 2}" font-size="10" text-anchor="middle" transform="rotate(-90 12 ${(PLOT.top + PLOT.bottom) / 2})">${escapeXml(axes.yLabel)}</text>`;
  legend.replaceChildren(
    ...series.map((s, k) => {
      const li = document.createElement("li");
      li.dataset.series = s.title;
      li.title = s.title;
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = COLOURS[k % COLOURS.length];
      li.append(swatch, s.label);
      return li;
    }),
  );
}

/** Votes (in whole tokens) of every candidate that was elected in one of the shown elections, by epoch. */
function drawVotesChart(elections: Election[], token: VotingToken | undefined): void {
  const byCandidate = new Map<string, Series>();
  for (const e of [...elections].reverse()) {
    for (const r of e.representatives) {
      let s = byCandidate.get(r.address);
      if (!s) byCandidate.set(r.address, (s = { label: short(r.address), title: r.address, points: [] }));
      const votes = tokenAmount(r.votes, token);
      s.points.push({
        x: e.epoch,
        y: wholeTokens(r.votes, token),
        tip: `${r.address}: votes ${votes.text} in epoch ${e.epoch}`,
      });
    }
  }
  const yLabel = token === undefined ? "votes (token units)" : `votes (${token.symbol})`;
  drawLineChart("chart", "chart-legend", [...byCandidate.values()], { xLabel: "epoch", yLabel });
}

/** Blocks per second (over the last few blocks) and finality latency, per block this node finalized live. */
function drawPerformanceChart(blocks: BlockSummary[]): void {
  const live = [...blocks].reverse().filter((b) => b.finalizedAtMs !== undefined);
  const WINDOW = 5;
  const rate: Series = { label: "blocks/s", title: "blocks per second", points: [] };
  const latency: Series = { label: "finality latency (s)", title: "finality latency in seconds", points: [] };
  live.forEach((b, i) => {
    const at = b.finalizedAtMs as number;
    const seconds = Math.max(0, at - b.timestampMs) / 1000;
    latency.points.push({
      x: b.height,
      y: seconds,
      tip: `block ${b.height}: finalized ${seconds.toFixed(3)} s after its proposal`,
    });
    if (i === 0) return;
    const first = live[Math.max(0, i - WINDOW)];
    const spanMs = at - (first.finalizedAtMs as number);
    if (spanMs <= 0) return;
    const perSecond = ((i - live.indexOf(first)) * 1000) / spanMs;
    rate.points.push({ x: b.height, y: perSecond, tip: `block ${b.height}: ${perSecond.toFixed(2)} blocks/s` });
  });
  drawLineChart("performance", "performance-legend", [rate, latency], {
    xLabel: "height",
    yLabel: "blocks/s · latency (s)",
  });
}

async function refresh(): Promise<void> {
  const [status, reps, candidates, elections, blocks, evidence] = (await rpcBatch([
    ["repchain_status", []],
    ["repchain_getRepresentatives", []],
    ["repchain_getCandidates", []],
    ["repchain_getElections", [10]],
    ["repchain_getRecentBlocks", [50]],
    ["repchain_getEvidence", []],
  ])) as [Status, Standing[], Candidate[], Election[], BlockSummary[], EvidenceReport];
  text("node-id", status.nodeId);
  text("role", status.role);
  text("height", status.height);
  text("epoch", status.epoch);
  text("to-election", status.blocksUntilElection);
  text("l1-block", status.l1.confirmedBlock);
  text("peers", status.peers.length === 0 ? "none" : status.peers.join(", "));
  fillTable(
    "representatives",
    reps.map((r) => [short(r.address), tokenAmount(r.votes, status.votingToken)]),
    reps.map((r) => r.address),
  );
  fillTable(
    "candidates",
    candidates.map((c) => [
      short(c.address),
      tokenAmount(c.votes, status.votingToken),
      c.representative ? `${c.status} ★` : c.status,
    ]),
    candidates.map((c) => c.address),
  );
  fillTable(
    "elections",
    elections.map((e) => [e.epoch, e.height, describeChange(e)]),
    elections.map((e) => String(e.epoch)),
  );
  const newestEvidence = [...evidence.committed].reverse().slice(0, 10);
  fillTable(
    "evidence",
    newestEvidence.map((e) => [short(e.signer), `${e.kind}s`, e.height, e.round, e.committedAt]),
    newestEvidence.map((e) => e.signer),
  );
  text("jailed", evidence.jailed.length === 0 ? "none" : evidence.jailed.map((j) => short(j.candidate)).join(", "));
  fillTable(
    "blocks",
    blocks.slice(0, 10).map((b) => [b.height, short(b.proposer), b.round, b.signers.length]),
    blocks.slice(0, 10).map((b) => String(b.height)),
  );
  drawVotesChart(elections, status.votingToken);
  drawPerformanceChart(blocks);
}

/** Excluded candidates named in an election's row; the rest are counted. */
const EXCLUDED_SHOWN = 3;

function describeChange(e: Election): string {
  const change =
    e.added.length === 0 && e.removed.length === 0
      ? "no change"
      : [...e.added.map((a) => `+${short(a)}`), ...e.removed.map((a) => `−${short(a)}`)].join(" ");
  const excluded = e.excluded ?? [];
  if (excluded.length === 0) return change;
  const named = excluded.slice(0, EXCLUDED_SHOWN).map((x) => `${short(x.candidate)} (${x.reason})`);
  const more = excluded.length > EXCLUDED_SHOWN ? ` and ${excluded.length - EXCLUDED_SHOWN} more` : "";
  return `${change} · left out: ${named.join(", ")}${more}`;
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
