import { type Stats, summarize } from "./stats.js";

/** One sample lasts about this long: long enough that hrtime and scheduling noise stay small. */
const TARGET_SAMPLE_S = 0.002;
const WARMUP_S = 0.05;
const MIN_SAMPLES = 5;
/** Operations slower than SLOW_S take fewer samples, so the whole run fits in its time limit. */
const MIN_SAMPLES_SLOW = 3;
const SLOW_S = 0.1;
const MAX_SAMPLES = 200;

const now = (): bigint => process.hrtime.bigint();
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Times `fn` the way the CPython script does: calibrate a batch size, warm up (so V8 has optimized
 * the hot paths), then take samples until `budget` seconds are spent. Results of a batch stay alive
 * until the timer stops; collecting them is left to later GCs, which land inside later samples
 * (JS pays for its garbage here, CPython's deallocation is not timed: conservative for us).
 * @throws whatever `fn` throws.
 */
export function measure(fn: () => unknown, budget: number): Stats {
  gc?.();
  let t0 = now();
  let keep0: unknown = fn();
  const single = Number(now() - t0) / 1e9;
  keep0 = undefined;
  const iters = Math.max(1, Math.floor(TARGET_SAMPLE_S / Math.max(single, 1e-9)));
  const keep: unknown[] = new Array<unknown>(iters).fill(undefined);
  // Warm-up (V8 tiers up the hot paths); for a call slower than SLOW_S the calibration call and
  // one more are warm-up enough, which keeps the whole run within its time limit.
  const w0 = now();
  do {
    for (let i = 0; i < iters; i++) keep[i] = fn();
    keep.fill(undefined);
  } while (single <= SLOW_S && Number(now() - w0) / 1e9 < WARMUP_S);
  const minSamples = single > SLOW_S ? MIN_SAMPLES_SLOW : MIN_SAMPLES;
  const samples: number[] = [];
  const start = now();
  for (;;) {
    t0 = now();
    for (let i = 0; i < iters; i++) keep[i] = fn();
    const t1 = now();
    keep.fill(undefined);
    samples.push(Number(t1 - t0) / 1e9 / iters);
    const n = samples.length;
    if (n >= MAX_SAMPLES || (n >= minSamples && Number(now() - start) / 1e9 >= budget)) break;
  }
  void keep0;
  return summarize(samples, iters);
}
