/** Summary of one measurement: per-operation seconds. */
export interface Stats {
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
  /** Number of samples. */
  readonly n: number;
  /** Operations per sample (small operations are batched so a sample outlasts timer noise). */
  readonly iters: number;
  /** Fresh worker processes whose samples were pooled (absent: measured in the bench process). */
  readonly processes?: number;
}

/** A cell that could not be measured: the implementation is missing ("n/a") or threw. */
export interface Failure {
  readonly error: string;
}

export type Cell = Stats | Failure | undefined;

export function isStats(c: unknown): c is Stats {
  return typeof c === "object" && c !== null && typeof (c as Stats).median === "number";
}

/** Linear-interpolated quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

/** Summarizes per-operation sample times (seconds). */
export function summarize(samples: readonly number[], iters: number): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    p25: quantile(s, 0.25),
    p75: quantile(s, 0.75),
    min: s[0] ?? Number.NaN,
    max: s[s.length - 1] ?? Number.NaN,
    n: s.length,
    iters,
  };
}
