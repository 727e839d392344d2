import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CellOp, type CellRun, type Identity, runCell } from "./cells.js";
import type { Implementations } from "./implementations.js";
import type { Phase } from "./measure.js";
import type { BenchOptions } from "./options.js";
import { type Cell, isStats, summarize } from "./stats.js";
import type { Manifest } from "./workloads.js";

export type { Identity } from "./cells.js";

export interface PickleTimings {
  oursNatural: Cell;
  oursFaithful: Cell;
  pickleparser: Cell;
  /** dumps of the faithful value (`model: "faithful"`): the one that must be byte-identical. */
  dumpsFaithful: Cell;
  identicalFaithful: Identity;
  /** dumps of the natural value: tuples are lists, integral floats ints, so bytes may differ. */
  dumpsNatural: Cell;
  identicalNatural: Identity;
}

export interface JsonTimings {
  pyjsonLoads: Cell;
  /** `loads(text, { model: "faithful" })`: PyDict, PyFloat, bigint ints. */
  pyjsonLoadsFaithful?: Cell;
  jsonParse: Cell;
  pyjsonDumps: Cell;
  jsonStringify: Cell;
  /** pyjson.dumps(pyjson.loads(text, faithful), faithful) === CPython's text. */
  identical: Identity;
}

export interface NodeWorkloadTimings {
  pickle: Record<string, PickleTimings>;
  json?: JsonTimings;
}

const WORKER = fileURLToPath(new URL("./cell-worker.js", import.meta.url));
/** Seconds a worker may spend beyond its cell's cap: starting Node, importing, reading the data. */
const WORKER_SLACK_S = 30;

/** Node cells of a workload, for the phase's time shares. */
export function nodeCellCount(w: { files: Readonly<Record<string, string>> }): number {
  return Object.keys(w.files).length * 5;
}

/** One worker process: the cell alone in a fresh V8 (see bench/README.md, "Isolation"). */
function runWorker(op: CellOp, path: string, protocol: number, budget: number, cap: number): CellRun {
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", WORKER, JSON.stringify({ op, path, protocol, budget, cap })],
    {
      encoding: "utf8",
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 1 << 26,
      timeout: Math.ceil((cap + WORKER_SLACK_S) * 1000),
    },
  );
  if (r.signal) return { error: "skipped: time limit" };
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{")) {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split("\n")[0]!;
    return { error: `worker: ${why.slice(0, 200)}` };
  }
  return JSON.parse(line) as CellRun;
}

/**
 * Measures one cell: in `processes` fresh workers (their samples pooled: a JIT that settles
 * differently from one process to the next shows as spread, not as a lucky or unlucky median), or
 * in this process when isolation is off.
 */
function timed(
  impl: Implementations,
  opts: BenchOptions,
  cap: number,
  op: CellOp,
  path: string,
  protocol: number,
  processes: number,
): { cell: Cell; identical: Identity } {
  if (!opts.isolate) {
    const r = runCell(impl, { op, path, protocol }, opts.budget, cap);
    return {
      cell: "error" in r ? { error: r.error } : summarize(r.samples, r.iters),
      identical: r.identical ?? "n/a",
    };
  }
  const samples: number[] = [];
  let iters = 0;
  let identical: Identity = "n/a";
  for (let i = 0; i < processes; i++) {
    const r = runWorker(op, path, protocol, opts.budget / processes, cap / processes);
    if (r.identical !== undefined) identical = r.identical;
    if ("error" in r) return { cell: { error: r.error }, identical };
    samples.push(...r.samples);
    iters = Math.max(iters, r.iters);
  }
  return { cell: { ...summarize(samples, iters), processes }, identical };
}

/** Workload files below this size get `smallProcesses` workers per cell. */
const SMALL_BYTES = 64 * 1024;

/**
 * Order of the cells: the default protocol and JSON first, so that a run cut short by its time
 * limit still has every workload's headline cells.
 */
export const CELL_ORDER = ["p5", "json", "p4", "p2"] as const;

/** Times the Node-side cells of one workload for one key of CELL_ORDER, into `out`. */
export function timeWorkloadPart(
  manifest: Manifest,
  name: string,
  key: (typeof CELL_ORDER)[number],
  impl: Implementations,
  opts: BenchOptions,
  phase: Phase,
  out: NodeWorkloadTimings,
  singleRuns: SingleRun[],
): void {
  const w = manifest.workloads.find((x) => x.name === name)!;
  const file = w.files[key];
  if (!file) return;
  const path = join(opts.dataDir, file);
  // Small payloads settle differently from one V8 process to the next: several workers each.
  const processes = (w.sizes[key] ?? 0) < SMALL_BYTES ? opts.smallProcesses : 1;
  const timedHere = (op: CellOp, protocol: number) =>
    timed(impl, opts, phase.nextCell(), op, path, protocol, processes);
  // Registers a cell that got a single run, with where a better measurement goes.
  const note = <T>(entry: T, field: keyof T & string, op: CellOp, protocol: number): void => {
    const c = entry[field] as Cell;
    if (isStats(c) && c.n === 1) {
      singleRuns.push({
        op,
        path,
        protocol,
        processes,
        cell: c,
        replace: (better) => void (entry[field] = better as T[keyof T & string]),
      });
    }
  };
  if (key !== "json") {
    const p = Number(key.slice(1));
    const oursNatural = timedHere("loads-natural", 0).cell;
    const f = timedHere("dumps-faithful", p);
    const oursFaithful = timedHere("loads-faithful", 0).cell;
    const pp = timedHere("pickleparser", 0).cell;
    const n = timedHere("dumps-natural", p);
    const entry: PickleTimings = {
      oursNatural,
      oursFaithful,
      pickleparser: pp,
      dumpsFaithful: f.cell,
      identicalFaithful: f.identical,
      dumpsNatural: n.cell,
      identicalNatural: n.identical,
    };
    out.pickle[key] = entry;
    note(entry, "oursNatural", "loads-natural", 0);
    note(entry, "dumpsFaithful", "dumps-faithful", p);
    note(entry, "oursFaithful", "loads-faithful", 0);
    note(entry, "pickleparser", "pickleparser", 0);
    note(entry, "dumpsNatural", "dumps-natural", p);
    return;
  }
  const pyjsonLoads = timedHere("json-loads", 0).cell;
  const jsonParse = timedHere("json-parse", 0).cell;
  const pyjsonLoadsFaithful = timedHere("json-loads-faithful", 0).cell;
  const dumps = timedHere("json-dumps", 0);
  const jsonStringify = timedHere("json-stringify", 0).cell;
  const entry: JsonTimings = {
    pyjsonLoads,
    pyjsonLoadsFaithful,
    jsonParse,
    pyjsonDumps: dumps.cell,
    jsonStringify,
    identical: dumps.identical,
  };
  out.json = entry;
  note(entry, "pyjsonLoads", "json-loads", 0);
  note(entry, "jsonParse", "json-parse", 0);
  note(entry, "pyjsonLoadsFaithful", "json-loads-faithful", 0);
  note(entry, "pyjsonDumps", "json-dumps", 0);
  note(entry, "jsonStringify", "json-stringify", 0);
}

/** A cell that got one run (too slow for its share of the phase), to time again if time is left. */
export interface SingleRun {
  readonly op: CellOp;
  readonly path: string;
  readonly protocol: number;
  readonly processes: number;
  readonly cell: Cell;
  readonly replace: (better: Cell) => void;
}

/**
 * Which single runs to time again first: the goal cells, each with its reference (JSON.parse and
 * JSON.stringify: a cold reference would flatter pyjson), then the rest.
 */
const RETIME_ORDER: readonly CellOp[] = [
  "loads-natural",
  "dumps-faithful",
  "json-loads",
  "json-parse",
  "json-dumps",
  "json-stringify",
  "loads-faithful",
  "json-loads-faithful",
  "dumps-natural",
  "pickleparser",
];

/**
 * Times single-run cells again with what the phase has left, shared equally among them. A single
 * run is the second call in a fresh process (the first compiles), which for a call of a few
 * hundred ms is not yet steady: records p4 natural `loads` takes 400-520 ms on calls 1-2 and
 * 250-270 ms from call 3. With 4 calls' time the worker warms up and takes 3 samples. A result
 * replaces the single run only when it has more samples. Returns how many were replaced.
 */
export function retimeSingleRuns(
  singleRuns: readonly SingleRun[],
  impl: Implementations,
  opts: BenchOptions,
  phase: Phase,
): number {
  // By priority, then cheapest first: a cell there is no time for leaves its share to the next.
  const cost = (s: SingleRun): number => (isStats(s.cell) ? s.cell.median : 0);
  const order = [...singleRuns].sort(
    (a, b) => RETIME_ORDER.indexOf(a.op) - RETIME_ORDER.indexOf(b.op) || cost(a) - cost(b),
  );
  let replaced = 0;
  for (let i = 0; i < order.length; i++) {
    const s = order[i]!;
    const single = cost(s);
    const cap = phase.secondsLeft() / (order.length - i);
    // Cold call, a warm-up call and three samples, or it would be one run again.
    if (cap < single * 6) continue;
    const r = timed(impl, opts, cap, s.op, s.path, s.protocol, s.processes).cell;
    if (isStats(r) && r.n > 1) {
      s.replace(r);
      replaced++;
    }
  }
  return replaced;
}
