/**
 * Growth checks that hold on a noisy shared machine: the same attack at 4 sizes, each size
 * doubling, timed as the best of a few runs after a warm-up; linear work doubles per step
 * (a ratio near 2), quadratic work quadruples. The bound allows noise but not a quadratic.
 */
export function growthRatios(run: (n: number) => void, sizes: readonly number[], repeats = 5): number[] {
  run(sizes[sizes.length - 1]!); // warm-up: JIT tiers, allocation of big arrays
  const times = sizes.map((n) => {
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      run(n);
      best = Math.min(best, performance.now() - t0);
    }
    return Math.max(best, 0.05);
  });
  return times.slice(1).map((t, i) => t / times[i]!);
}

/** Total growth from the smallest to the largest size over the growth of the size itself. */
export function growthOverSize(ratios: readonly number[]): number {
  return ratios.reduce((a, b) => a * b, 1) / 2 ** ratios.length;
}
