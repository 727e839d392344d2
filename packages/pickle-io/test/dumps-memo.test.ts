/**
 * The str memo (an open-addressing table over a seeded hash) and the idle pickler `dumps`
 * reuses: repeated strings become GETs exactly where CPython's shared str objects do, long
 * equal-length strings (one V8 hash for all of them) stay distinct, and nothing of one `dumps`
 * leaks into the next, whatever options alternate.
 */

import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps, Pickler } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle
def py_strings(n, distinct, length, protocol):
    base = [("%0" + str(length) + "d") % i for i in range(distinct)]
    return pickle.dumps([base[(i * 7) % distinct] for i in range(n)], protocol)
`);
});
afterAll(async () => {
  await py.close();
});

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

function jsStrings(n: number, distinct: number, length: number): string[] {
  // Built fresh each time (no shared JS string objects): equal values must still meet.
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String((i * 7) % distinct).padStart(length, "0"));
  return out;
}

test("repeated strings are GETs as for CPython's shared str objects, long equal-length ones included", async () => {
  for (const [n, distinct, length] of [
    [10, 3, 1],
    [5000, 2500, 8],
    [300, 100, 20000],
  ] as const) {
    for (let p = 0; p <= 5; p++) {
      const theirs = hexOf(await py.call<Uint8Array>("py_strings", n, distinct, length, p));
      expect(
        hexOf(dumps(jsStrings(n, distinct, length), { protocol: p })),
        `${n}/${distinct}/${length} p${p}`,
      ).toBe(theirs);
    }
  }
});

test("consecutive dumps with alternating options share nothing", async () => {
  const v = ["same", "same", { same: "same" }];
  const want = new Map<number, string>();
  for (let p = 0; p <= 5; p++) {
    want.set(p, await py.eval<string>(`pickle.dumps(['same', 'same', {'same': 'same'}], ${p}).hex()`));
  }
  for (let round = 0; round < 3; round++) {
    for (let p = 0; p <= 5; p++) expect(hexOf(dumps(v, { protocol: p }))).toBe(want.get(p));
    for (let p = 5; p >= 0; p--) expect(hexOf(dumps(v, { protocol: p }))).toBe(want.get(p));
  }
  // A failed dumps leaves the reused pickler clean too.
  expect(() => dumps(["same", () => 0])).toThrow();
  expect(hexOf(dumps(v))).toBe(want.get(5));
});

test("a Pickler keeps its memo across dump() calls until clearMemo(), as CPython's does", async () => {
  const parts: Uint8Array[] = [];
  const p = new Pickler({ write: (b: Uint8Array) => parts.push(b.slice()) }, { protocol: 4 });
  p.dump("a string");
  p.dump("a string");
  p.clearMemo();
  p.dump("a string");
  const cpython = await py.eval<string>(
    "(lambda s, f: (lambda p: (p.dump(s), p.dump(s), p.clear_memo(), p.dump(s), f.getvalue().hex())[-1])(pickle.Pickler(f, 4)))('a string', __import__('io').BytesIO())",
  );
  expect(hexOf(Buffer.concat(parts))).toBe(cpython);
});

test("distinct long strings of one length (one V8 hash for all of them) are memoized in linear time", () => {
  // Strings that differ only in their last units: comparing two of them reads them whole, so a
  // table where they all collide costs n^2 * length; the seeded table stays linear.
  const make = (n: number) => {
    const head = "x".repeat(20000);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(`${head}${String(i).padStart(6, "0")}`);
    return out;
  };
  const sizes = [100, 200, 400, 800];
  const times = sizes.map((n) => {
    const v = make(n);
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      dumps(v, { protocol: 4 });
      best = Math.min(best, performance.now() - t);
    }
    return Math.max(best, 0.05);
  });
  // Each doubling: linear ~2x the time, quadratic ~4x. The median of the three doublings is
  // steady on a busy machine where one pair of timings may not be; 8x overall: ~8x vs ~64x.
  const doublings = [1, 2, 3].map((i) => times[i]! / times[i - 1]!).sort((a, b) => a - b);
  expect(doublings[1]!, `times ${times.join(", ")} ms`).toBeLessThan(3);
  expect(times[3]! / times[0]!, `times ${times.join(", ")} ms`).toBeLessThan(40);
});
