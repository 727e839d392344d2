/**
 * Loaded values never alias the input: a Node Buffer's `slice()` is a view (into Node's shared
 * 8 KB pool for small buffers), so every path that copies bytes out of the input is checked with
 * Buffers at odd offsets inside larger pools, subarrays of plain Uint8Arrays, and with the input
 * overwritten after the load.
 */
import { pyRepr } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loads, NumpyArray, NumpyDType, Unpickler } from "../src/index.js";

let py: PythonOracle;
let cases: [string, number, Uint8Array, string][];

beforeAll(async () => {
  py = await startPython(["numpy"]);
  await py.exec(`
import pickle, numpy as np
VALUES = {
  "bytes-short": b"\\x00\\x01abc",
  "bytes-long": bytes(range(256)) * 40,
  "bytearray": bytearray(b"xyz" * 100),
  "mixed": [b"a" * 7, bytearray(b"b" * 300), "caf\\u00e9", 2**80, 1.5],
  "f8": np.linspace(-1, 1, 9),
  "i4": np.arange(-5, 7, dtype="<i4").reshape(3, 4),
  "c16": np.array([1 + 2j, -0.5j], dtype="<c16"),
  "big-endian": np.array([1, -2, 3], dtype=">i4"),
  "f4-fortran": np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)),
  "u2": np.array([1, 65535], dtype="<u2"),
}
def expected(v):
    if isinstance(v, np.ndarray):
        return repr(v.ravel(order="K").tolist())
    return repr(v)
def make_cases():
    out = []
    for name, v in VALUES.items():
        for proto in range(0, 6):
            out.append([name, proto, pickle.dumps(v, proto), expected(v)])
    return out
`);
  cases = await py.call("make_cases");
}, 60_000);

afterAll(() => py?.close());

/** A Buffer holding `bytes` at an odd offset inside a larger pool filled with junk. */
function inPool(bytes: Uint8Array, offset: number): Buffer {
  const pool = Buffer.alloc(offset + bytes.length + 13, 0xab);
  const b = pool.subarray(offset, offset + bytes.length);
  b.set(bytes);
  return b;
}

/** The value as text to compare: arrays by their elements in memory order. */
function text(v: unknown): string {
  if (v instanceof NumpyArray) return pyRepr(Array.from(v.toTypedArray() as ArrayLike<number>));
  return pyRepr(v);
}

describe("loaded values never alias the input", () => {
  const inputs: [string, (b: Uint8Array) => Uint8Array][] = [
    ["Buffer.from (pooled)", (b) => Buffer.from(b)],
    ["Buffer at odd offset 1", (b) => inPool(b, 1)],
    ["Buffer at odd offset 7", (b) => inPool(b, 7)],
    ["Buffer at offset 4093", (b) => inPool(b, 4093)],
    [
      "Uint8Array subarray at offset 3",
      (b) => {
        const big = new Uint8Array(b.length + 11).fill(0xcd);
        big.set(b, 3);
        return big.subarray(3, 3 + b.length);
      },
    ],
  ];

  for (const [label, make] of inputs) {
    for (const model of ["natural", "faithful"] as const) {
      test(`${label}, ${model}: values equal a fresh copy's and survive overwriting the input`, () => {
        expect(cases.length).toBeGreaterThan(50);
        for (const [name, proto, bytes] of cases) {
          const reference = loads(new Uint8Array(bytes), { model });
          const input = make(bytes);
          const got = loads(input, { model });
          const before = text(got);
          expect(before, `${name} p${proto}`).toBe(text(reference));
          input.fill(0xee);
          expect(text(got), `${name} p${proto} after overwrite`).toBe(before);
        }
      });
    }
  }

  test("numpy elements read from a pooled Buffer are numpy's own (checked by python)", async () => {
    for (const [name, proto, bytes, want] of cases) {
      const got = loads(inPool(bytes, 5));
      if (!(got instanceof NumpyArray)) continue;
      const values = Array.from(got.toTypedArray() as ArrayLike<number>);
      const same = await py.eval<boolean>(
        "(lambda a, v: v == (a.ravel(order='K').view(a.real.dtype) if a.dtype.kind == 'c' " +
          "else a.ravel(order='K')).tolist())(VALUES[n], vals)",
        { vals: values, n: name },
      );
      expect(same, `${name} p${proto}: ${want}`).toBe(true);
    }
  });

  test("NumpyArray over an unaligned Buffer reads its own bytes", () => {
    const values = new Float64Array([1.5, -2.25, 1e300]);
    const data = inPool(new Uint8Array(values.buffer), 3);
    const arr = new NumpyArray(NumpyDType.of("<f8"), [3], data);
    expect(Array.from(arr.toTypedArray() as Float64Array)).toEqual([1.5, -2.25, 1e300]);
    const be = new NumpyArray(
      NumpyDType.of(">i4"),
      [2],
      inPool(new Uint8Array([0, 0, 0, 1, 255, 255, 255, 254]), 5),
    );
    expect(Array.from(be.toTypedArray() as Int32Array)).toEqual([1, -2]);
  });

  test("bytes loaded from a Buffer are plain Uint8Arrays that own their memory", () => {
    for (const [name, proto, bytes] of cases) {
      if (!name.startsWith("bytes")) continue;
      const input = inPool(bytes, 3);
      const got = loads(input) as Uint8Array;
      expect(got.constructor, `${name} p${proto}`).toBe(Uint8Array);
      expect(got.buffer).not.toBe(input.buffer);
    }
  });

  test("load() over a file-like source returning views of one reused Buffer", () => {
    for (const [name, proto, bytes] of cases) {
      const reused = Buffer.alloc(64);
      let pos = 0;
      const source = {
        read(n: number): Uint8Array {
          const k = Math.min(n, bytes.length - pos, reused.length);
          reused.set(bytes.subarray(pos, pos + k));
          pos += k;
          return reused.subarray(0, k);
        },
      };
      const got = new Unpickler(source).load();
      expect(text(got), `${name} p${proto}`).toBe(text(loads(new Uint8Array(bytes))));
    }
  });
});
