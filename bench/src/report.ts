import type { NodeMemory, PythonMemory } from "./memory.js";
import type { Identity, NodeWorkloadTimings } from "./node-timings.js";
import { type Cell, isStats } from "./stats.js";
import { PROTOCOLS } from "./workloads.js";

export interface WorkloadResult {
  readonly name: string;
  readonly description: string;
  readonly sizes: Readonly<Record<string, number>>;
  readonly cpythonRoundTrip: Readonly<Record<string, boolean>>;
  /** Keys: pN_loads_gc, pN_loads_nogc, pN_dumps, json_loads, json_dumps. */
  readonly cpython: Readonly<Record<string, Cell>>;
  readonly node: NodeWorkloadTimings;
}

export interface MemoryResult {
  readonly workload: string;
  readonly file: string;
  readonly op: string;
  readonly node: Record<string, NodeMemory>;
  cpython: PythonMemory;
}

export interface StreamResult {
  readonly file: string;
  readonly count: number;
  readonly size: number;
  node: NodeMemory;
  cpython: PythonMemory;
}

/** `Pickler.dump` + `clearMemo` called many times on one small message (pickler-stream.ts). */
export interface PicklerStreamResult {
  readonly calls?: number;
  readonly protocol?: number;
  /** CPU µs per call and total bytes written, ours and CPython's `pickle.Pickler`. */
  readonly ours?: { readonly us: number; readonly bytes: number };
  readonly cpython?: { readonly us: number; readonly bytes: number };
  readonly error?: string;
}

export interface BenchResults {
  readonly meta: {
    readonly date: string;
    readonly node: string;
    readonly python: string;
    readonly cpu: string;
    readonly commit: string;
    readonly quick: boolean;
    readonly budgetSeconds: number;
    /** Fresh worker processes per Node cell for payloads under 64 KiB (larger: 1); 0 = in-process. */
    readonly isolation?: number;
    readonly durationSeconds: number;
    readonly command: string;
    readonly missing: Readonly<Record<string, string>>;
  };
  readonly workloads: readonly WorkloadResult[];
  readonly memory: readonly MemoryResult[];
  readonly stream: StreamResult | null;
  readonly picklerStream?: PicklerStreamResult | null;
}

/** The goals of issue 8: a ratio (ours / reference) at most `limit`. */
export const GOALS = {
  loads: 1.0,
  dumps: 1.0,
  jsonDumps: 1.2,
  jsonLoads: 1.2,
  jsonLoadsFaithful: 2.0,
  loadsFaithful: 1.5,
  memory: 1.5,
} as const;

/** Stream heap growth (post-GC, first tenth to end) under this counts as flat. */
export const FLAT_BYTES = 1024 * 1024;

export function formatTime(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 1e-6) return `${(s * 1e9).toPrecision(3)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "n/a";
  const a = Math.abs(n);
  if (a < 1024) return `${n} B`;
  if (a < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Collects error messages as numbered footnotes so table cells stay short. */
class Notes {
  readonly list: string[] = [];
  ref(where: string, message: string): string {
    const text = `${where}: ${message}`;
    let i = this.list.indexOf(text);
    if (i < 0) i = this.list.push(text) - 1;
    return `err[${i + 1}]`;
  }
}

/** A cell that holds no time: n/a (missing), skipped (time limit) or a numbered error. */
function failure(error: string, notes: Notes, where: string): string {
  if (error.startsWith("n/a")) return "n/a";
  if (error.startsWith("skipped")) return "skipped";
  return notes.ref(where, error);
}

function cell(c: Cell, notes: Notes, where: string): string {
  if (c === undefined) return "—";
  if (!isStats(c)) return failure(c.error, notes, where);
  if (c.n === 1) return `${formatTime(c.median)} (1 run)`;
  const spread = c.median > 0 ? Math.round(((c.p75 - c.p25) / 2 / c.median) * 100) : 0;
  return `${formatTime(c.median)} ±${spread}%`;
}

/** Peak ÷ retained; none when the retained size is not positive (heap noise on tiny results). */
export function peakRatio(peak: number | undefined, retained: number | undefined): number | null {
  return peak !== undefined && retained !== undefined && retained > 0 ? peak / retained : null;
}

export function ratio(ours: Cell, ref: Cell): number | null {
  return isStats(ours) && isStats(ref) && ref.median > 0 ? ours.median / ref.median : null;
}

function ratioText(r: number | null, limit?: number): string {
  if (r === null) return "—";
  const t = `${r < 10 ? r.toFixed(2) : r.toFixed(0)}×`;
  return limit === undefined ? t : `${t} ${r <= limit ? "✓" : "✗"}`;
}

function identityText(i: Identity | undefined, notes: Notes, where: string): string {
  if (i === true) return "yes";
  if (i === false) return "**no**";
  if (i === undefined || i === "n/a") return "n/a";
  return notes.ref(where, i);
}

interface GoalTally {
  met: number;
  missed: number;
  na: number;
  worst: { where: string; r: number } | null;
}

function tally(): GoalTally {
  return { met: 0, missed: 0, na: 0, worst: null };
}

function count(t: GoalTally, r: number | null, limit: number, where: string, extraOk = true): void {
  if (r === null) {
    t.na++;
    return;
  }
  if (r <= limit && extraOk) t.met++;
  else t.missed++;
  if (!t.worst || r > t.worst.r) t.worst = { where, r };
}

function goalLine(label: string, t: GoalTally, limit: number, unit = "×"): string {
  const total = t.met + t.missed + t.na;
  const state = t.missed === 0 && t.na === 0 ? "**met**" : t.met + t.missed === 0 ? "n/a" : `**missed**`;
  const worst = t.worst ? `; worst ${t.worst.r.toFixed(2)}${unit} (${t.worst.where})` : "";
  return `| ${label} | ≤ ${limit}${unit} | ${state} | ${t.met}/${total} met, ${t.missed} missed, ${t.na} n/a${worst} |`;
}

/** Renders the results as Markdown: goals first (the headline), then every table. */
export function renderMarkdown(res: BenchResults): string {
  const notes = new Notes();
  const out: string[] = [];
  const m = res.meta;
  const g = {
    loads: tally(),
    loadsFaithful: tally(),
    dumps: tally(),
    jsonDumps: tally(),
    jsonLoads: tally(),
    jsonLoadsFaithful: tally(),
    memory: tally(),
  };

  const loadsRows: string[] = [];
  const dumpsRows: string[] = [];
  for (const w of res.workloads) {
    for (const p of PROTOCOLS) {
      const k = `p${p}`;
      const n = w.node.pickle[k];
      if (!n) continue;
      const where = `${w.name} ${k}`;
      const gcOn = w.cpython[`${k}_loads_gc`];
      const gcOff = w.cpython[`${k}_loads_nogc`];
      const rN = ratio(n.oursNatural, gcOff);
      count(g.loads, rN, GOALS.loads, where);
      count(g.loadsFaithful, ratio(n.oursFaithful, gcOff), GOALS.loadsFaithful, where);
      loadsRows.push(
        `| ${w.name} | ${p} | ${formatBytes(w.sizes[k])} | ${cell(gcOn, notes, `${where} CPython loads`)} | ${cell(gcOff, notes, `${where} CPython loads`)} | ${cell(n.oursNatural, notes, `${where} ours natural`)} | ${ratioText(rN, GOALS.loads)} | ${cell(n.oursFaithful, notes, `${where} ours faithful`)} | ${ratioText(ratio(n.oursFaithful, gcOff))} | ${cell(n.pickleparser, notes, `${where} pickleparser`)} | ${ratioText(ratio(n.pickleparser, gcOff))} |`,
      );
      const cd = w.cpython[`${k}_dumps`];
      const rD = ratio(n.dumpsFaithful, cd);
      count(g.dumps, rD, GOALS.dumps, where, n.identicalFaithful === true);
      dumpsRows.push(
        `| ${w.name} | ${p} | ${cell(cd, notes, `${where} CPython dumps`)} | ${cell(n.dumpsFaithful, notes, `${where} ours dumps faithful`)} | ${ratioText(rD, GOALS.dumps)} | ${identityText(n.identicalFaithful, notes, `${where} dumps faithful`)} | ${cell(n.dumpsNatural, notes, `${where} ours dumps natural`)} | ${ratioText(ratio(n.dumpsNatural, cd))} | ${identityText(n.identicalNatural, notes, `${where} dumps natural`)} |`,
      );
    }
  }

  const jsonRows: string[] = [];
  for (const w of res.workloads) {
    const j = w.node.json;
    if (!j) continue;
    const where = `${w.name} json`;
    const rL = ratio(j.pyjsonLoads, j.jsonParse);
    const rD = ratio(j.pyjsonDumps, j.jsonStringify);
    const rF = ratio(j.pyjsonLoadsFaithful, j.jsonParse);
    count(g.jsonLoads, rL, GOALS.jsonLoads, where);
    count(g.jsonLoadsFaithful, rF, GOALS.jsonLoadsFaithful, where);
    count(g.jsonDumps, rD, GOALS.jsonDumps, where);
    jsonRows.push(
      `| ${w.name} | ${formatBytes(w.sizes.json)} | ${cell(w.cpython.json_loads, notes, `${where} CPython loads`)} | ${cell(j.jsonParse, notes, `${where} JSON.parse`)} | ${cell(j.pyjsonLoads, notes, `${where} pyjson.loads`)} | ${ratioText(rL, GOALS.jsonLoads)} | ${ratioText(ratio(j.pyjsonLoads, w.cpython.json_loads))} | ${cell(j.pyjsonLoadsFaithful, notes, `${where} pyjson.loads faithful`)} | ${ratioText(rF, GOALS.jsonLoadsFaithful)} | ${cell(w.cpython.json_dumps, notes, `${where} CPython dumps`)} | ${cell(j.jsonStringify, notes, `${where} JSON.stringify`)} | ${cell(j.pyjsonDumps, notes, `${where} pyjson.dumps`)} | ${ratioText(rD, GOALS.jsonDumps)} | ${ratioText(ratio(j.pyjsonDumps, w.cpython.json_dumps))} | ${identityText(j.identical, notes, `${where} identity`)} |`,
    );
  }

  const memRows: string[] = [];
  for (const r of res.memory) {
    for (const [kind, nm] of Object.entries(r.node)) {
      const where = `${r.workload} ${r.op} ${kind}`;
      const pr = peakRatio(nm.peakGrowth, nm.retained);
      if (kind === "ours-natural")
        count(g.memory, nm.error ? null : pr, GOALS.memory, `${r.workload} ${r.op}`);
      if (nm.error) {
        memRows.push(`| ${r.workload} | ${r.op} | ${kind} | ${failure(nm.error, notes, where)} | | | | |`);
        continue;
      }
      memRows.push(
        `| ${r.workload} | ${r.op} | ${kind} | ${formatBytes(nm.peakGrowth)} | ${formatBytes(nm.retained)} | ${ratioText(pr, kind === "ours-natural" ? GOALS.memory : undefined)} | ${formatBytes(nm.rssPeakGrowth)} | ${formatBytes(nm.externalGrowth)} |`,
      );
    }
    const c = r.cpython;
    if (c.error)
      memRows.push(
        `| ${r.workload} | ${r.op} | CPython | ${failure(c.error, notes, `${r.workload} ${r.op} CPython`)} | | | | |`,
      );
    else {
      const pr = peakRatio(c.peakGrowth, c.retained);
      memRows.push(
        `| ${r.workload} | ${r.op} | CPython (tracemalloc) | ${formatBytes(c.peakGrowth)} | ${formatBytes(c.retained)} | ${ratioText(pr)} | ${formatBytes(c.rssPeakGrowth)} | |`,
      );
    }
  }

  let streamLine = "";
  let streamState = "n/a";
  if (res.stream) {
    const s = res.stream;
    const n = s.node;
    const samples = n.heapSamples ?? [];
    let nodeText = "n/a";
    if (n.error) nodeText = failure(n.error, notes, "stream ours");
    else if (!n.error && samples.length > 0) {
      const growth = samples[samples.length - 1]! - samples[0]!;
      const flat = growth < FLAT_BYTES && n.count === s.count;
      streamState = flat ? "**met**" : "**missed**";
      nodeText = `${n.count?.toLocaleString("en-US")} objects; heap after GC at 10%: ${formatBytes(samples[0])}, at end: ${formatBytes(samples[samples.length - 1])} (growth ${formatBytes(growth)}); peak RSS growth ${formatBytes(n.rssPeakGrowth)}`;
    }
    const c = s.cpython;
    const cText = c.error
      ? failure(c.error, notes, "stream CPython")
      : `tracemalloc peak ${formatBytes(c.peakGrowth)}, peak RSS growth ${formatBytes(c.rssPeakGrowth)}`;
    streamLine = `| ${s.count.toLocaleString("en-US")} pickles, ${formatBytes(s.size)} | ${nodeText} | ${cText} |`;
  }

  out.push(`# Benchmark results${m.quick ? " (BENCH_QUICK smoke run: not a measurement)" : ""}`);
  out.push("");
  out.push(
    `${m.date} · Node ${m.node} · CPython ${m.python} · ${m.cpu} · commit ${m.commit} · ${m.budgetSeconds} s of samples per cell · whole run ${Math.round(m.durationSeconds)} s · \`${m.command}\``,
  );
  out.push("");
  if (m.isolation !== undefined)
    out.push(
      m.isolation === 0
        ? "Node cells ran one after another inside the bench process (BENCH_ISOLATE=0): each cell's JIT state depends on the cells before it."
        : `Each Node cell ran alone in a fresh Node process (${m.isolation} processes, samples pooled, for payloads under 64 KiB), so no cell inherits the JIT state (type feedback, deoptimizations) of the cells before it.`,
    );
  out.push(
    "Times are medians per operation, ± half the interquartile range. Ratios are ours ÷ reference (below 1 = we are faster); they are the headline, because this machine is shared and noisy. See bench/README.md for how each number is taken.",
  );
  out.push("");
  out.push("## Goals");
  out.push("");
  out.push("| goal | limit | state | cells |");
  out.push("|---|---|---|---|");
  out.push(goalLine("pickle `loads` (natural) vs CPython `pickle.loads`, gc off", g.loads, GOALS.loads));
  out.push(
    goalLine(
      "pickle `loads` (faithful) vs CPython `pickle.loads`, gc off",
      g.loadsFaithful,
      GOALS.loadsFaithful,
    ),
  );
  out.push(
    goalLine("pickle `dumps` (faithful) vs CPython `pickle.dumps`, byte-identical", g.dumps, GOALS.dumps),
  );
  out.push(goalLine("`pyjson.dumps` vs `JSON.stringify`", g.jsonDumps, GOALS.jsonDumps));
  out.push(goalLine("`pyjson.loads` (natural) vs `JSON.parse`", g.jsonLoads, GOALS.jsonLoads));
  out.push(
    goalLine("`pyjson.loads` (faithful) vs `JSON.parse`", g.jsonLoadsFaithful, GOALS.jsonLoadsFaithful),
  );
  out.push(goalLine("peak heap growth ÷ retained size, natural `loads`", g.memory, GOALS.memory));
  out.push(
    `| streaming many small pickles holds the heap flat | < ${formatBytes(FLAT_BYTES)} growth | ${streamState} | |`,
  );
  const ps = res.picklerStream;
  if (ps) {
    const ok = ps.ours && ps.cpython && !ps.error;
    const ratio = ok ? ps.ours!.us / ps.cpython!.us : Number.NaN;
    const cells = ok
      ? `ours ${ps.ours!.us.toFixed(2)} µs, CPython ${ps.cpython!.us.toFixed(2)} µs per call (CPU time, ${ps.calls!.toLocaleString("en-US")} calls, protocol ${ps.protocol}): ${ratio.toFixed(2)}×`
      : failure(ps.error ?? "no result", notes, "Pickler.dump stream");
    out.push(
      `| \`Pickler.dump\` of one small message per call, a stream (with \`clearMemo\`) | ≤ ${GOALS.dumps}× CPython | ${ok ? (ratio <= GOALS.dumps ? "**met**" : "**missed**") : "n/a"} | ${cells} |`,
    );
  }
  out.push("");
  const missing = Object.entries(m.missing);
  if (missing.length > 0) {
    out.push(
      `Not available in this build (cells show n/a): ${missing.map(([k, v]) => `${k} (${v})`).join("; ")}.`,
    );
    out.push("");
  }
  out.push("## Pickle loads");
  out.push("");
  out.push(
    "| workload | proto | size | CPython gc on | CPython gc off | ours natural | ÷ gc off | ours faithful | ÷ gc off | pickleparser | ÷ gc off |",
  );
  out.push("|---|---|---|---|---|---|---|---|---|---|---|");
  out.push(...loadsRows);
  out.push("");
  out.push("## Pickle dumps");
  out.push("");
  out.push(
    "Ours dumps the value our own `loads` returned (faithful model for the identity goal; natural view too, where tuples are lists and integral floats ints, so its bytes can differ by design). Identical = byte-for-byte equal to CPython's `pickle.dumps` of the same data.",
  );
  out.push("");
  out.push(
    "| workload | proto | CPython dumps | ours (faithful) | ÷ CPython | identical | ours (natural) | ÷ CPython | identical |",
  );
  out.push("|---|---|---|---|---|---|---|---|---|");
  out.push(...dumpsRows);
  out.push("");
  out.push("## JSON");
  out.push("");
  out.push(
    "loads parse CPython's `json.dumps` text; all dumps serialize the same value (`JSON.parse` of that text; CPython: `json.loads` of it). Identical = `pyjson.dumps(pyjson.loads(text, faithful), faithful)` equals CPython's text.",
  );
  out.push("");
  out.push(
    "| workload | size | CPython loads | JSON.parse | pyjson.loads | ÷ JSON.parse | ÷ CPython | pyjson.loads faithful | ÷ JSON.parse | CPython dumps | JSON.stringify | pyjson.dumps | ÷ stringify | ÷ CPython | identical |",
  );
  out.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  out.push(...jsonRows);
  out.push("");
  out.push("## Memory");
  out.push("");
  out.push(
    "One fresh process per row. Node: peak = largest heap-used seen by `--trace-gc` inside the operation (or at its end) minus the heap before it, plus ArrayBuffer growth; retained = heap + ArrayBuffer growth after two full GCs with the result alive (for dumps: the output's size). CPython: tracemalloc peak and retained. RSS: the kernel's peak-RSS mark, reset just before the operation.",
  );
  out.push("");
  out.push(
    "| workload | op | implementation | peak growth | retained | peak ÷ retained | peak RSS growth | external |",
  );
  out.push("|---|---|---|---|---|---|---|---|");
  out.push(...memRows);
  out.push("");
  out.push("## Streaming many small pickles");
  out.push("");
  out.push("| file | ours (streaming loader) | CPython (`pickle.load` until EOF) |");
  out.push("|---|---|---|");
  if (streamLine) out.push(streamLine);
  out.push("");
  if (notes.list.length > 0) {
    out.push("## Errors");
    out.push("");
    notes.list.forEach((t, i) => {
      out.push(`${i + 1}. ${t.replaceAll("|", "\\|")}`);
    });
    out.push("");
  }
  return out.join("\n");
}
