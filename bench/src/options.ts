import { fileURLToPath } from "node:url";

/** Where the bench lives: bench/ (this file is bench/src or bench/dist). */
export const BENCH_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Everything the run needs, read once from the environment. */
export interface BenchOptions {
  /** BENCH_QUICK=1: workloads 100x smaller, short time budget: a smoke run, not a measurement. */
  readonly quick: boolean;
  /** BENCH_ONLY=a,b: run these workloads only (names from gen-workloads.py, plus "stream"). */
  readonly only: readonly string[];
  /** BENCH_BUDGET: seconds of samples per measurement after warm-up (default 0.4, quick 0.03). */
  readonly budget: number;
  /** Element counts are divided by this (1, or 100 when quick). */
  readonly scale: number;
  /** BENCH_DATA: where workloads are written (default bench/data, or bench/data/quick). */
  readonly dataDir: string;
  /** BENCH_RESULTS: where results go (default bench/results). */
  readonly resultsDir: string;
  /** BENCH_NAME: results file stem (default "latest", or "quick"). */
  readonly name: string;
  /** BENCH_TIME_LIMIT: seconds for the whole run (default 540, quick 180); slow cells get fewer
   * samples and cells past the limit are reported as skipped. */
  readonly timeLimit: number;
  /** BENCH_MEMORY=0 skips the memory probes. */
  readonly memory: boolean;
  /** BENCH_ISOLATE=0 times every Node cell inside the bench process instead of a fresh worker. */
  readonly isolate: boolean;
  /** BENCH_PROCESSES: fresh workers per cell for payloads under 64 KiB (default 2, quick 1; larger: 1). */
  readonly smallProcesses: number;
  /** python3 to use (PYTHON, default python3). */
  readonly python: string;
}

/** Reads the options from `env` (process.env by default). */
export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = env.BENCH_QUICK === "1" || env.BENCH_QUICK === "true";
  const budget = Number(env.BENCH_BUDGET ?? (quick ? 0.03 : 0.4));
  if (!(budget > 0))
    throw new Error(`BENCH_BUDGET must be a positive number of seconds, got ${env.BENCH_BUDGET}`);
  return {
    quick,
    only: (env.BENCH_ONLY ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    budget,
    scale: quick ? 100 : 1,
    dataDir: env.BENCH_DATA ?? `${BENCH_ROOT}data${quick ? "/quick" : ""}`,
    resultsDir: env.BENCH_RESULTS ?? `${BENCH_ROOT}results`,
    name: env.BENCH_NAME ?? (quick ? "quick" : "latest"),
    timeLimit: Number(env.BENCH_TIME_LIMIT ?? (quick ? 180 : 540)),
    memory: env.BENCH_MEMORY !== "0",
    isolate: env.BENCH_ISOLATE !== "0",
    smallProcesses: Math.max(1, Math.floor(Number(env.BENCH_PROCESSES ?? (quick ? 1 : 2))) || 1),
    python: env.PYTHON ?? "python3",
  };
}
