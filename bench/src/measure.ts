import { type Stats, summarize } from "./stats.js";

/** One sample lasts about this long: long enough that hrtime and scheduling noise stay small. */
const TARGET_SAMPLE_S = 0.002;
const WARMUP_S = 0.05;
const MIN_SAMPLES = 5;
/** Calls slower than SLOW_S take fewer samples and only one warm-up call. */
const MIN_SAMPLES_SLOW = 3;
const SLOW_S = 0.1;
/** A call slower than this is reported from its single (cold) run: the run must end in time. */
const SINGLE_RUN_S = 1;
const MAX_SAMPLES = 200;

const now = (): bigint => process.hrtime.bigint();
const seconds = (from: bigint): number => Number(now() - from) / 1e9;
const gc = (globalThis as { gc?: () => void }).gc;

/** Thrown instead of measuring once a phase's time is up. */
export class TimeLimitError extends Error {
  constructor() {
    super("skipped: time limit");
    this.name = "TimeLimitError";
  }
}

/**
 * A phase of the run with a deadline shared among its cells: each cell may take an equal share of
 * the time left, so slow implementations cost samples, not the 10-minute limit.
 */
export class Phase {
  private readonly deadline: bigint;
  private cellsLeft: number;

  constructor(budgetSeconds: number, cells: number) {
    this.deadline = now() + BigInt(Math.max(0, Math.round(budgetSeconds * 1e9)));
    this.cellsLeft = Math.max(1, cells);
  }

  /** Seconds left in the phase (negative once it is over). */
  secondsLeft(): number {
    return Number(this.deadline - now()) / 1e9;
  }

  /** The time the next cell may take (its share of what is left); counts the cell. */
  nextCell(): number {
    const cap = this.secondsLeft() / Math.max(1, this.cellsLeft);
    this.cellsLeft = Math.max(1, this.cellsLeft - 1);
    return cap;
  }
}

/**
 * Times `fn` the way the CPython script does: calibrate a batch size, warm up (so V8 has optimized
 * the hot paths), then take samples until `budget` seconds are spent (or the cell's `cap`). Results
 * of a batch stay alive until the timer stops; collecting them is left to later GCs, which land
 * inside later samples (JS pays for its garbage here, CPython's deallocation is not timed:
 * conservative for us).
 * @throws TimeLimitError when `cap` is already spent; whatever `fn` throws.
 */
export function measure(fn: () => unknown, budget: number, cap = Number.POSITIVE_INFINITY): Stats {
  const { samples, iters } = measureSamples(fn, budget, cap);
  return summarize(samples, iters);
}

/** Per-operation sample times of `fn` (seconds) and the batch size: what `measure` summarizes. */
export interface Samples {
  readonly samples: number[];
  readonly iters: number;
}

/** `measure` without the summary, so samples of one cell taken in several processes can be pooled. */
export function measureSamples(
  fn: () => unknown,
  budget: number,
  cap = Number.POSITIVE_INFINITY,
  warmup = WARMUP_S,
): Samples {
  if (cap <= 0) throw new TimeLimitError();
  gc?.();
  const cellStart = now();
  let t0 = now();
  let keep0: unknown = fn();
  const single = seconds(t0);
  keep0 = undefined;
  if (single > SINGLE_RUN_S || single * (MIN_SAMPLES_SLOW + 1) > cap) {
    // Too slow to sample: one run, a warm one when there is time for it (the first call also
    // compiles the code it runs).
    if (single * 2 > cap) return { samples: [single], iters: 1 };
    t0 = now();
    keep0 = fn();
    return { samples: [seconds(t0)], iters: 1 };
  }
  let iters = Math.max(1, Math.floor(TARGET_SAMPLE_S / Math.max(single, 1e-9)));
  let keep: unknown[] = new Array<unknown>(iters).fill(undefined);
  const slow = single > SLOW_S;
  // Warm-up (V8 tiers up the hot paths); for a slow call the calibration call and one more do.
  const w0 = now();
  let perCall = single;
  do {
    const b0 = now();
    for (let i = 0; i < iters; i++) keep[i] = fn();
    perCall = Math.min(perCall, seconds(b0) / iters);
    keep.fill(undefined);
  } while (!slow && seconds(w0) < warmup);
  // The first call was cold (compiling): size the batches from the fastest warm batch instead
  // (the fastest, since any one batch may include a GC or, on a busy machine, a preemption), so
  // a sample of a fast call still lasts about TARGET_SAMPLE_S.
  if (!slow) {
    iters = Math.max(1, Math.floor(TARGET_SAMPLE_S / Math.max(perCall, 1e-9)));
    keep = new Array<unknown>(iters).fill(undefined);
  }
  const minSamples = slow ? MIN_SAMPLES_SLOW : MIN_SAMPLES;
  const samples: number[] = [];
  const start = now();
  for (;;) {
    t0 = now();
    for (let i = 0; i < iters; i++) keep[i] = fn();
    const t1 = now();
    keep.fill(undefined);
    const sample = Number(t1 - t0) / 1e9;
    samples.push(sample / iters);
    const n = samples.length;
    if (n >= MAX_SAMPLES || (n >= minSamples && seconds(start) >= budget)) break;
    if (seconds(cellStart) + sample > cap) break;
  }
  void keep0;
  return { samples, iters };
}
