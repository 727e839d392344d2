/**
 * Payloads of 64 KiB or more (bytes, bytearray, str, PickleBuffer) go outside frames as CPython
 * writes them; `dumps` keeps them aside and joins them once at the end instead of copying them
 * into its growing buffer. The bytes must still be CPython's, and a failed dump must leave
 * nothing behind.
 */

import { PickleBuffer, PicklingError } from "@x/pickle-core";
import { PyByteArray } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps, Pickler } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle
def py_value(sizes):
    out = []
    for i, n in enumerate(sizes):
        b = bytes((j * 7 + i) & 0xff for j in range(n))
        out.append(b)
        out.append({"k%d" % i: [i, "y%d" % i]})
        out.append(bytearray(b[: n // 2]))
        out.append(("\\u00e9" * (n // 2)) + str(i))
    return out
def py_dumps(sizes, protocol):
    return pickle.dumps(py_value(sizes), protocol)
`);
});
afterAll(async () => {
  await py.close();
});

function jsValue(sizes: number[]): unknown[] {
  const out: unknown[] = [];
  sizes.forEach((n, i) => {
    const b = new Uint8Array(n);
    for (let j = 0; j < n; j++) b[j] = (j * 7 + i) & 0xff;
    out.push(b);
    out.push({ [`k${i}`]: [i, `y${i}`] });
    out.push(new PyByteArray(b.slice(0, n >> 1)));
    out.push(`${"\u00e9".repeat(n >> 1)}${i}`);
  });
  return out;
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");
const SIZES = [10, 65535, 65536, 65537, 70000, 3, 200000, 131072, 0, 1];

test("large bytes, bytearray and str among small values: CPython's bytes at every protocol", async () => {
  for (let p = 0; p <= 5; p++) {
    const theirs = await py.call<Uint8Array>("py_dumps", SIZES, p);
    expect(hexOf(dumps(jsValue(SIZES), { protocol: p })), `protocol ${p}`).toBe(hexOf(theirs));
  }
});

test("the same bytes through a sink, frame by frame", async () => {
  for (const p of [4, 5]) {
    const parts: Uint8Array[] = [];
    new Pickler({ write: (b: Uint8Array) => parts.push(b.slice()) }, { protocol: p }).dump(jsValue(SIZES));
    expect(hexOf(Buffer.concat(parts))).toBe(hexOf(await py.call<Uint8Array>("py_dumps", SIZES, p)));
  }
});

test("several dumps on one pickler, then takeBytes: all of them in order", async () => {
  const p = new Pickler(null, { protocol: 4 });
  p.dump(jsValue([70000]));
  p.clearMemo();
  p.dump(jsValue([65536, 5]));
  const theirs = [
    await py.call<Uint8Array>("py_dumps", [70000], 4),
    await py.call<Uint8Array>("py_dumps", [65536, 5], 4),
  ];
  expect(hexOf(p.takeBytes())).toBe(hexOf(Buffer.concat(theirs)));
});

test("a dump that fails after a large payload leaves no trace in the next result", async () => {
  const p = new Pickler(null, { protocol: 5 });
  p.dump(jsValue([65536]));
  expect(() => p.dump([new Uint8Array(100000), () => 0])).toThrow(PicklingError);
  expect(() => dumps([new Uint8Array(100000), Symbol("no")])).toThrow(PicklingError);
  expect(hexOf(p.takeBytes())).toBe(hexOf(await py.call<Uint8Array>("py_dumps", [65536], 5)));
  expect(hexOf(dumps(jsValue([65536]), { protocol: 5 }))).toBe(
    hexOf(await py.call<Uint8Array>("py_dumps", [65536], 5)),
  );
});

test("protocol 5 out-of-band buffers are handed over, not copied", () => {
  const data = new Uint8Array(1 << 20);
  const seen: PickleBuffer[] = [];
  const out = dumps([new PickleBuffer(data)], { protocol: 5, bufferCallback: (b) => void seen.push(b) });
  expect(out.length).toBeLessThan(64);
  expect(seen).toHaveLength(1);
  expect(seen[0]!.raw().buffer).toBe(data.buffer);
});
