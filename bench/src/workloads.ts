import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_ROOT, type BenchOptions } from "./options.js";

export const PROTOCOLS = [2, 4, 5] as const;

export interface Workload {
  readonly name: string;
  readonly description: string;
  /** File names by key: "p2", "p4", "p5", "json" (the last only when the value is JSON-able). */
  readonly files: Readonly<Record<string, string>>;
  readonly sizes: Readonly<Record<string, number>>;
  /** Whether CPython's dumps of its own loads gives the file back (the reference for identity). */
  readonly cpythonRoundTrip: Readonly<Record<string, boolean>>;
}

export interface Manifest {
  readonly python: string;
  readonly workloads: readonly Workload[];
  readonly stream?: { readonly file: string; readonly count: number; readonly size: number };
}

/**
 * Runs gen-workloads.py (deterministic; a no-op when the data is already there) and reads its
 * manifest.
 * @throws when python3 is missing or the script fails: the bench needs CPython, it never skips it.
 */
export function generateWorkloads(opts: BenchOptions): Manifest {
  const args = [
    join(BENCH_ROOT, "scripts", "gen-workloads.py"),
    "--out",
    opts.dataDir,
    "--scale",
    String(opts.scale),
  ];
  if (opts.only.length > 0) args.push("--only", opts.only.join(","));
  runPython(opts, args);
  return JSON.parse(readFileSync(join(opts.dataDir, "manifest.json"), "utf8")) as Manifest;
}

/**
 * Runs python3 with `args`, passing its stderr through; returns stdout.
 * @throws when python3 cannot start or exits non-zero.
 */
export function runPython(opts: BenchOptions, args: readonly string[], timeoutS?: number): string {
  const r = spawnSync(opts.python, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 28,
    ...(timeoutS === undefined ? {} : { timeout: Math.ceil(timeoutS * 1000) }),
  });
  if (r.signal && timeoutS !== undefined) throw new Error("skipped: time limit");
  if (r.error) throw new Error(`cannot run ${opts.python}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${opts.python} ${args.join(" ")} exited with ${r.status}`);
  return r.stdout;
}

/** A file as a plain Uint8Array view (not a Buffer, so no implementation takes a Buffer-only path). */
export function readBytes(path: string): Uint8Array {
  const buf = readFileSync(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
