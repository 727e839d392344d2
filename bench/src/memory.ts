import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Phase } from "./measure.js";
import type { ProbeResult } from "./memory-probe.js";
import { BENCH_ROOT, type BenchOptions } from "./options.js";
import { runPython } from "./workloads.js";

const PROBE = fileURLToPath(new URL("./memory-probe.js", import.meta.url));
const MB = 1024 * 1024;

/** Node memory of one operation: the probe's numbers plus the peak read from --trace-gc. */
export interface NodeMemory extends ProbeResult {
  /** Peak heap growth: max(heap used before each GC inside the operation, heap at its end) minus
   * the heap before it, plus the external (ArrayBuffer) growth. */
  peakGrowth?: number;
}

export interface PythonMemory {
  op: string;
  error?: string;
  /** tracemalloc: peak and retained growth. */
  peakGrowth?: number;
  retained?: number;
  rssPeakGrowth?: number | null;
}

// "... ms: Scavenge 3.9 (4.4) -> 3.5 (5.4) MB, ..." and the same for Mark-Compact and friends.
const GC_LINE =
  /: (?:Scavenge|Mark-Compact|Mark-Sweep|Minor Mark-Compact|Minor Mark-Sweep)\D*?([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/i;

/** Parses the probe's stdout: trace-gc lines between the markers give the in-operation peak. */
export function parseProbe(stdout: string): NodeMemory {
  let inside = false;
  let peakBefore = 0;
  let result: NodeMemory | null = null;
  for (const line of stdout.split("\n")) {
    if (line === "@@BEGIN") inside = true;
    else if (line === "@@END") inside = false;
    else if (line.startsWith("@@RESULT ")) result = JSON.parse(line.slice(9)) as NodeMemory;
    else if (inside) {
      const m = GC_LINE.exec(line);
      if (m) peakBefore = Math.max(peakBefore, Number(m[1]) * MB);
    }
  }
  if (!result) return { kind: "?", error: "probe printed no result" };
  if (result.heapBefore !== undefined && result.heapEnd !== undefined) {
    const peakHeap = Math.max(peakBefore, result.heapEnd);
    result.peakGrowth = Math.max(0, peakHeap - result.heapBefore) + Math.max(0, result.externalGrowth ?? 0);
  }
  return result;
}

const SKIPPED = "skipped: time limit";

/** Runs one Node probe in a fresh process, killed after `timeoutS` seconds. */
export function nodeMemory(
  kind: string,
  file: string,
  extra: readonly string[] = [],
  timeoutS = 600,
): NodeMemory {
  if (timeoutS <= 0) return { kind, error: SKIPPED };
  const r = spawnSync(process.execPath, ["--expose-gc", "--trace-gc", PROBE, kind, file, ...extra], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: Math.ceil(timeoutS * 1000),
  });
  if (r.signal) return { kind, error: SKIPPED };
  if (r.error) return { kind, error: r.error.message };
  const parsed = parseProbe(r.stdout);
  if (!parsed.error && r.status !== 0) parsed.error = `exit ${r.status}: ${r.stderr.trim().split("\n")[0]}`;
  return parsed;
}

/** Runs one CPython probe (time-cpython.py mem) in a fresh process, killed after `timeoutS`. */
export function pythonMemory(opts: BenchOptions, op: string, file: string, timeoutS = 600): PythonMemory {
  if (timeoutS <= 0) return { op, error: SKIPPED };
  try {
    const script = join(BENCH_ROOT, "scripts", "time-cpython.py");
    const out = runPython(opts, [script, "mem", "--file", file, "--op", op], timeoutS);
    return JSON.parse(out.trim().split("\n").pop()!) as PythonMemory;
  } catch (e) {
    return { op, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Memory probes under a phase deadline: each probe may use up to a third of the time left (a
 * probe of a slow implementation is killed and reported as skipped, the others still run).
 */
export function memoryRunner(phase: Phase) {
  const share = (): number => Math.min(phase.secondsLeft(), phase.secondsLeft() / 3 + 5);
  return {
    node: (kind: string, file: string, extra: readonly string[] = []): NodeMemory =>
      nodeMemory(kind, file, extra, share()),
    python: (opts: BenchOptions, op: string, file: string): PythonMemory =>
      pythonMemory(opts, op, file, share()),
  };
}
