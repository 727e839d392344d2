import { describe, expect, test } from "vitest";
import { probeCount } from "../src/hash-table.js";
import { PyDict, PySet, pyHash } from "../src/index.js";

/**
 * Hash flooding: keys chosen to collide must not make PyDict/PySet lookups degrade. Each
 * attack runs at 4 doubling sizes, counting the index entries probed (an op count, unaffected
 * by a busy machine): the count must grow linearly, a few probes per operation, where
 * colliding chains would grow it quadratically. (Before the keyed index these inputs took
 * minutes: V8's Map hashes a BigInt by its lowest digit.)
 */
const LINEAR = 1.5;
/** Average probes per insert or lookup: CPython's dict at 2/3 load averages under 2. */
const PER_OP = 4;

/** Probes per operation at each size, and the growth of the total over the growth of n. */
function growthRatios(run: (n: number) => void, sizes: readonly number[]): number[] {
  const steps = sizes.map((n) => {
    const before = probeCount.steps;
    run(n);
    const total = probeCount.steps - before;
    // fill() makes 4 operations per key: set and add, then has and has.
    expect(total / (4 * n), `probes per operation at n=${n}`).toBeLessThan(PER_OP);
    return total;
  });
  return steps.slice(1).map((s, i) => s / steps[i]!);
}
const growthOverSize = (ratios: readonly number[]) => ratios.reduce((a, b) => a * b, 1) / 2 ** ratios.length;

/** Inserts every key into a PyDict and a PySet, then looks each up again. */
function fill(keys: readonly unknown[]): void {
  const d = new PyDict();
  const s = new PySet();
  for (const k of keys) {
    d.set(k, 1);
    s.add(k);
  }
  for (const k of keys) if (!d.has(k) || !s.has(k)) throw new Error("lost a key");
  if (d.size !== keys.length || s.size !== keys.length) throw new Error("merged keys");
}

/**
 * `count` bytes keys that all collide under the former lookup hash (32-bit FNV-1a from a fixed
 * seed): a 4-byte block pair colliding from each state, chained, gives 2**pairs keys.
 */
function fnvMulticollision(count: number): Uint8Array[] {
  const step = (h: number, block: number): number => {
    for (let i = 0; i < 4; i++) h = Math.imul(h ^ ((block >>> (8 * i)) & 0xff), 0x01000193);
    return h;
  };
  let state = 0x3c6ef372;
  const pairs: [number, number][] = [];
  let rng = 12345;
  for (let p = 0; 2 ** p < count; p++) {
    const seen = new Map<number, number>();
    for (;;) {
      rng = (Math.imul(rng, 1103515245) + 12345) >>> 0;
      const block = rng ^ (rng << 7);
      const h = step(state, block) | 0;
      const other = seen.get(h);
      if (other !== undefined && other !== block) {
        pairs.push([other, block]);
        state = h;
        break;
      }
      seen.set(h, block);
    }
  }
  const keys: Uint8Array[] = [];
  for (let k = 0; k < count; k++) {
    const out = new Uint8Array(pairs.length * 4);
    pairs.forEach((pair, p) => {
      const block = pair[(k >>> p) & 1]!;
      for (let i = 0; i < 4; i++) out[p * 4 + i] = (block >>> (8 * i)) & 0xff;
    });
    keys.push(out);
  }
  return keys;
}

describe("hash flooding: chosen keys keep lookups linear", () => {
  test("int keys sharing their low 64 bits (V8 hashes a BigInt by its lowest digit)", () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => (BigInt(i + 1) << 64n) | 0x5eedn);
    const ratios = growthRatios((n) => fill(keys(n)), [2000, 4000, 8000, 16000]);
    expect(growthOverSize(ratios), `ratios ${ratios}`).toBeLessThan(LINEAR);
  }, 120_000);

  test("integral float keys i * 2**70 (canonical big ints)", () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * 2 ** 70);
    const ratios = growthRatios((n) => fill(keys(n)), [2000, 4000, 8000, 16000]);
    expect(growthOverSize(ratios), `ratios ${ratios}`).toBeLessThan(LINEAR);
  }, 120_000);

  test("big ints over all their digits: keys that differ only in their top digits", () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => (BigInt(i + 1) << 1024n) + 7n);
    const ratios = growthRatios((n) => fill(keys(n)), [1000, 2000, 4000, 8000]);
    expect(growthOverSize(ratios), `ratios ${ratios}`).toBeLessThan(LINEAR);
  }, 120_000);

  test("bytes keys built to collide under an unkeyed FNV hash", () => {
    const all = fnvMulticollision(8192);
    const ratios = growthRatios((n) => fill(all.slice(0, n)), [1024, 2048, 4096, 8192]);
    expect(growthOverSize(ratios), `ratios ${ratios}`).toBeLessThan(LINEAR);
  }, 120_000);

  test("int keys congruent modulo 2**61-1 (equal pyHash, as they are in CPython)", () => {
    const P = (1n << 61n) - 1n;
    const keys = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i + 1) * P);
    expect(new Set(keys(4).map((k) => pyHash(k))).size).toBe(1);
    const ratios = growthRatios((n) => fill(keys(n)), [2000, 4000, 8000, 16000]);
    expect(growthOverSize(ratios), `ratios ${ratios}`).toBeLessThan(LINEAR);
  }, 120_000);

  test("deleting and re-inserting colliding keys stays linear and keeps order", () => {
    const run = (n: number) => {
      const d = new PyDict();
      for (let i = 0; i < n; i++) d.set((BigInt(i) << 64n) | 1n, i);
      for (let i = 0; i < n; i += 2) d.delete((BigInt(i) << 64n) | 1n);
      for (let i = 0; i < n; i += 2) d.set((BigInt(i) << 64n) | 1n, i);
      if (d.size !== n) throw new Error("lost keys");
    };
    const ratios = growthRatios(run, [2000, 4000, 8000, 16000]);
    expect(growthOverSize(ratios), `ratios ${ratios}`).toBeLessThan(LINEAR);
    const d = new PyDict<bigint, number>();
    for (let i = 0n; i < 6n; i++) d.set(i << 64n, Number(i));
    d.delete(2n << 64n);
    d.set(2n << 64n, 9);
    expect([...d.values()]).toEqual([0, 1, 3, 4, 5, 9]);
  }, 120_000);
});
