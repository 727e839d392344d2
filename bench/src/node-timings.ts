import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CellOp, type CellRun, type Identity, runCell } from "./cells.js";
import type { Implementations } from "./implementations.js";
import type { Phase } from "./measure.js";
import type { BenchOptions } from "./options.js";
import { type Cell, summarize } from "./stats.js";
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
  phase: Phase,
  op: CellOp,
  path: string,
  protocol: number,
  processes: number,
): { cell: Cell; identical: Identity } {
  const cap = phase.nextCell();
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
): void {
  const w = manifest.workloads.find((x) => x.name === name)!;
  const file = w.files[key];
  if (!file) return;
  const path = join(opts.dataDir, file);
  // Small payloads settle differently from one V8 process to the next: several workers each.
  const processes = (w.sizes[key] ?? 0) < SMALL_BYTES ? opts.smallProcesses : 1;
  const cell = (op: CellOp, protocol = 0) => timed(impl, opts, phase, op, path, protocol, processes);
  if (key !== "json") {
    const p = Number(key.slice(1));
    const oursNatural = cell("loads-natural").cell;
    const f = cell("dumps-faithful", p);
    const oursFaithful = cell("loads-faithful").cell;
    const pp = cell("pickleparser").cell;
    const n = cell("dumps-natural", p);
    out.pickle[key] = {
      oursNatural,
      oursFaithful,
      pickleparser: pp,
      dumpsFaithful: f.cell,
      identicalFaithful: f.identical,
      dumpsNatural: n.cell,
      identicalNatural: n.identical,
    };
    return;
  }
  const pyjsonLoads = cell("json-loads").cell;
  const jsonParse = cell("json-parse").cell;
  const pyjsonLoadsFaithful = cell("json-loads-faithful").cell;
  const dumps = cell("json-dumps");
  const jsonStringify = cell("json-stringify").cell;
  out.json = {
    pyjsonLoads,
    pyjsonLoadsFaithful,
    jsonParse,
    pyjsonDumps: dumps.cell,
    jsonStringify,
    identical: dumps.identical,
  };
}
