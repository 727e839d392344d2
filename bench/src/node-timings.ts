import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Implementations, Model } from "./implementations.js";
import { measure, type Phase, TimeLimitError } from "./measure.js";
import type { BenchOptions } from "./options.js";
import type { Cell } from "./stats.js";
import { type Manifest, readBytes } from "./workloads.js";

/** Whether our output equals CPython's bytes: true/false, or why it could not be checked. */
export type Identity = boolean | string;

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

const NA: Cell = { error: "n/a" };

function message(e: unknown): string {
  const m = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return m.split("\n")[0]!.slice(0, 200);
}

const SKIPPED: Cell = { error: "skipped: time limit" };

function timed(run: (() => unknown) | null, budget: number, phase: Phase): Cell {
  const cap = phase.nextCell();
  if (!run) return NA;
  try {
    return measure(run, budget, cap);
  } catch (e) {
    return e instanceof TimeLimitError ? SKIPPED : { error: message(e) };
  }
}

/** Node cells of a workload, for the phase's time shares. */
export function nodeCellCount(w: { files: Readonly<Record<string, string>> }): number {
  return Object.keys(w.files).reduce((n, k) => n + (k === "json" ? 4 : 5), 0);
}

function tryValue<T>(f: () => T): { value: T } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: message(e) };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function dumpsCell(
  impl: Implementations,
  data: Uint8Array,
  protocol: number,
  model: Model,
  budget: number,
  phase: Phase,
): { cell: Cell; identical: Identity } {
  const { pickleLoads, pickleDumps } = impl;
  const early = (cell: Cell, identical: Identity) => {
    phase.nextCell();
    return { cell, identical };
  };
  if (!pickleDumps) return early(NA, "n/a");
  if (!pickleLoads) return early({ error: "n/a (needs loads for the value)" }, "n/a");
  if (phase.secondsLeft() <= 0) return early(SKIPPED, "n/a");
  const loaded = tryValue(() => pickleLoads(data, model));
  if ("error" in loaded) return early({ error: `loads: ${loaded.error}` }, "n/a");
  const value = loaded.value;
  const out = tryValue(() => pickleDumps(value, protocol, model));
  if ("error" in out) return early({ error: out.error }, out.error);
  const identical = out.value instanceof Uint8Array ? sameBytes(out.value, data) : "not a Uint8Array";
  return { cell: timed(() => pickleDumps(value, protocol, model), budget, phase), identical };
}

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
  const budget = opts.budget;
  if (key !== "json") {
    const p = Number(key.slice(1));
    const data = readBytes(join(opts.dataDir, file));
    const { pickleLoads, pickleparser } = impl;
    const oursNatural = timed(pickleLoads && (() => pickleLoads(data, "natural")), budget, phase);
    const f = dumpsCell(impl, data, p, "faithful", budget, phase);
    const oursFaithful = timed(pickleLoads && (() => pickleLoads(data, "faithful")), budget, phase);
    const pp = timed(pickleparser && (() => pickleparser(data)), budget, phase);
    const n = dumpsCell(impl, data, p, "natural", budget, phase);
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
  const text = readFileSync(join(opts.dataDir, file), "utf8");
  const { jsonLoads, jsonDumps } = impl;
  const pyjsonLoads = timed(jsonLoads && (() => jsonLoads(text, "natural")), budget, phase);
  const jsonParse = timed(() => JSON.parse(text), budget, phase);
  const pyjsonLoadsFaithful = timed(jsonLoads && (() => jsonLoads(text, "faithful")), budget, phase);
  // Both dumps time the same data: the natural value JSON.parse gives.
  const value: unknown = JSON.parse(text);
  const pyjsonDumps = timed(jsonDumps && (() => jsonDumps(value, "natural")), budget, phase);
  const jsonStringify = timed(() => JSON.stringify(value), budget, phase);
  let identical: Identity = "n/a";
  if (jsonLoads && jsonDumps && phase.secondsLeft() > 0) {
    const r = tryValue(() => jsonDumps(jsonLoads(text, "faithful"), "faithful"));
    identical = "error" in r ? r.error : r.value === text;
  }
  out.json = { pyjsonLoads, pyjsonLoadsFaithful, jsonParse, pyjsonDumps, jsonStringify, identical };
}
