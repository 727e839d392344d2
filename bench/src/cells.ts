/**
 * One Node cell: an operation of one implementation on one workload file, measured. The same code
 * runs inside the bench process (BENCH_ISOLATE=0) or alone in a fresh worker process (the default,
 * `cell-worker.ts`), so both modes time exactly the same call.
 */
import { readFileSync } from "node:fs";
import type { Implementations, Model } from "./implementations.js";
import { measureSamples, TimeLimitError } from "./measure.js";
import { readBytes } from "./workloads.js";

/** Whether our output equals CPython's bytes: true/false, or why it could not be checked. */
export type Identity = boolean | string;

export const PICKLE_OPS = [
  "loads-natural",
  "dumps-faithful",
  "loads-faithful",
  "pickleparser",
  "dumps-natural",
] as const;
export const JSON_OPS = [
  "json-loads",
  "json-parse",
  "json-loads-faithful",
  "json-dumps",
  "json-stringify",
] as const;
export type CellOp = (typeof PICKLE_OPS)[number] | (typeof JSON_OPS)[number];

export interface CellSpec {
  readonly op: CellOp;
  /** The workload file: a pickle, or JSON text for the json-* ops. */
  readonly path: string;
  /** The pickle protocol dumps writes (the file's); 0 for JSON. */
  readonly protocol: number;
}

/** A cell's raw outcome: samples (seconds per call) or why there are none; identity for dumps. */
export type CellRun =
  | { readonly samples: number[]; readonly iters: number; readonly identical?: Identity }
  | { readonly error: string; readonly identical?: Identity };

function message(e: unknown): string {
  const m = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return m.split("\n")[0]!.slice(0, 200);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Warm-up per cell: a worker starts cold, so V8 gets longer than the in-process default to tier up. */
const WARMUP_S = 0.1;

function sample(run: () => unknown, budget: number, cap: number, identical?: Identity): CellRun {
  try {
    const { samples, iters } = measureSamples(run, budget, cap, WARMUP_S);
    return identical === undefined ? { samples, iters } : { samples, iters, identical };
  } catch (e) {
    const error = e instanceof TimeLimitError ? "skipped: time limit" : message(e);
    return identical === undefined ? { error } : { error, identical };
  }
}

function pickleDumps(
  impl: Implementations,
  data: Uint8Array,
  spec: CellSpec,
  model: Model,
  budget: number,
  cap: number,
): CellRun {
  const { pickleLoads, pickleDumps: dumps } = impl;
  if (!dumps) return { error: "n/a", identical: "n/a" };
  if (!pickleLoads) return { error: "n/a (needs loads for the value)", identical: "n/a" };
  let value: unknown;
  try {
    value = pickleLoads(data, model);
  } catch (e) {
    return { error: `loads: ${message(e)}`, identical: "n/a" };
  }
  let out: Uint8Array;
  try {
    out = dumps(value, spec.protocol, model);
  } catch (e) {
    return { error: message(e), identical: message(e) };
  }
  const identical = out instanceof Uint8Array ? sameBytes(out, data) : "not a Uint8Array";
  return sample(() => dumps(value, spec.protocol, model), budget, cap, identical);
}

/** Runs and measures one cell in this process. */
export function runCell(impl: Implementations, spec: CellSpec, budget: number, cap: number): CellRun {
  if (cap <= 0) return { error: "skipped: time limit" };
  if (spec.op.startsWith("json-")) {
    const text = readFileSync(spec.path, "utf8");
    const { jsonLoads, jsonDumps } = impl;
    switch (spec.op) {
      case "json-loads":
        return jsonLoads ? sample(() => jsonLoads(text, "natural"), budget, cap) : { error: "n/a" };
      case "json-loads-faithful":
        return jsonLoads ? sample(() => jsonLoads(text, "faithful"), budget, cap) : { error: "n/a" };
      case "json-parse":
        return sample(() => JSON.parse(text), budget, cap);
      case "json-stringify": {
        const value: unknown = JSON.parse(text);
        return sample(() => JSON.stringify(value), budget, cap);
      }
      default: {
        // Both dumps time the same data (the natural value JSON.parse gives); identity is checked
        // on the faithful round trip, outside the timing.
        if (!jsonDumps) return { error: "n/a", identical: "n/a" };
        let identical: Identity = "n/a";
        if (jsonLoads) {
          try {
            identical = jsonDumps(jsonLoads(text, "faithful"), "faithful") === text;
          } catch (e) {
            identical = message(e);
          }
        }
        const value: unknown = JSON.parse(text);
        return sample(() => jsonDumps(value, "natural"), budget, cap, identical);
      }
    }
  }
  const data = readBytes(spec.path);
  const { pickleLoads, pickleparser } = impl;
  switch (spec.op) {
    case "loads-natural":
      return pickleLoads ? sample(() => pickleLoads(data, "natural"), budget, cap) : { error: "n/a" };
    case "loads-faithful":
      return pickleLoads ? sample(() => pickleLoads(data, "faithful"), budget, cap) : { error: "n/a" };
    case "pickleparser":
      return pickleparser ? sample(() => pickleparser(data), budget, cap) : { error: "n/a" };
    case "dumps-faithful":
      return pickleDumps(impl, data, spec, "faithful", budget, cap);
    default:
      return pickleDumps(impl, data, spec, "natural", budget, cap);
  }
}
