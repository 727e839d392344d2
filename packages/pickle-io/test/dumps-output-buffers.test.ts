/**
 * How `dumps` hands out its bytes: every result owns its ArrayBuffer (so
 * `result.buffer` can go to a Blob, a hash or `postMessage`), large outputs are written across several buffers that
 * are joined once and reused by the next call. Each result must stay CPython's bytes and be
 * independent of every other result, whatever the caller does with them.
 */

import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps, Pickler } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle
def py_small(i, protocol):
    return pickle.dumps({"i": i, "s": "x" * (i % 300), "l": list(range(i % 7))}, protocol)
def py_big(n, protocol):
    return pickle.dumps([{"k": i, "v": "v%d" % i, "f": i + 0.5} for i in range(n)], protocol)
`);
});
afterAll(async () => {
  await py.close();
});

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");
const small = (i: number) => ({ i, s: "x".repeat(i % 300), l: Array.from({ length: i % 7 }, (_, j) => j) });
const big = (n: number) => Array.from({ length: n }, (_, i) => ({ k: i, v: `v${i}`, f: i + 0.5 }));

test("many small results stay independent of each other", async () => {
  const results = Array.from({ length: 600 }, (_, i) => dumps(small(i), { protocol: i % 6 }));
  // Scribbling over one result (or past its end in its ArrayBuffer) must not change another.
  for (const r of results.slice(0, 300)) r.fill(0xee);
  for (let i = 300; i < 600; i++) {
    expect(hexOf(results[i]!), `result ${i}`).toBe(hexOf(await py.call<Uint8Array>("py_small", i, i % 6)));
  }
});

test("every result owns its whole ArrayBuffer, so transferring one leaves the others intact", async () => {
  const results = Array.from({ length: 200 }, (_, i) => dumps(small(i), { protocol: i % 6 }));
  for (const r of results) {
    expect(r.byteOffset).toBe(0);
    expect(r.buffer.byteLength).toBe(r.length);
  }
  structuredClone(results[0]!.buffer, { transfer: [results[0]!.buffer] });
  expect(results[0]!.length).toBe(0);
  for (let i = 1; i < 200; i++) {
    expect(hexOf(results[i]!), `result ${i}`).toBe(hexOf(await py.call<Uint8Array>("py_small", i, i % 6)));
  }
});

test("a large output across several buffers, twice (the second in the first's buffers)", async () => {
  for (const p of [0, 2, 4, 5]) {
    const theirs = hexOf(await py.call<Uint8Array>("py_big", 60000, p));
    const first = dumps(big(60000), { protocol: p });
    const second = dumps(big(60000), { protocol: p });
    expect(hexOf(first), `protocol ${p}`).toBe(theirs);
    expect(hexOf(second), `protocol ${p} again`).toBe(theirs);
    expect(first.buffer).not.toBe(second.buffer);
  }
});

test("through a sink, frame by frame: the parts the sink kept are never overwritten", async () => {
  for (const p of [1, 4, 5]) {
    const parts: Uint8Array[] = [];
    const pickler = new Pickler({ write: (b: Uint8Array) => parts.push(b) }, { protocol: p });
    pickler.dump(big(60000));
    pickler.clearMemo();
    pickler.dump(small(3));
    const want = Buffer.concat([
      await py.call<Uint8Array>("py_big", 60000, p),
      await py.call<Uint8Array>("py_small", 3, p),
    ]);
    expect(hexOf(Buffer.concat(parts)), `protocol ${p}`).toBe(hexOf(want));
  }
});

test("a dump that fails after growing past its first buffer leaves only the earlier pickle", async () => {
  for (const p of [2, 5]) {
    const pickler = new Pickler(null, { protocol: p });
    pickler.dump(small(9));
    pickler.clearMemo();
    expect(() => pickler.dump([...big(60000), Symbol("no")])).toThrow(/Can't pickle/);
    pickler.clearMemo();
    pickler.dump(small(10));
    const want = Buffer.concat([
      await py.call<Uint8Array>("py_small", 9, p),
      await py.call<Uint8Array>("py_small", 10, p),
    ]);
    expect(hexOf(pickler.takeBytes()), `protocol ${p}`).toBe(hexOf(want));
  }
});

test("strings memoized by an earlier pickle: a GET only while the memo holds them", async () => {
  const theirs = await py.eval<Uint8Array[]>(
    "[pickle.dumps(['a', 'bb', 'a'], 4), pickle.dumps(['bb', 'c', 'bb', 'a'], 4)]",
  );
  for (let round = 0; round < 3; round++) {
    expect(hexOf(dumps(["a", "bb", "a"], { protocol: 4 }))).toBe(hexOf(theirs[0]!));
    expect(hexOf(dumps(["bb", "c", "bb", "a"], { protocol: 4 }))).toBe(hexOf(theirs[1]!));
  }
  // One pickler, no clear_memo between dumps: the second pickle GETs what the first wrote.
  const kept = await py.eval<Uint8Array>(
    "(lambda f: (lambda p: (p.dump(['a', 'bb']), p.dump(['bb', 'a']), f.getvalue())[2])(pickle.Pickler(f, 4)))(__import__('io').BytesIO())",
  );
  const p = new Pickler(null, { protocol: 4 });
  p.dump(["a", "bb"]);
  p.dump(["bb", "a"]);
  expect(hexOf(p.takeBytes())).toBe(hexOf(kept));
});
