/**
 * numpy 2's repr of arrays, scalars and dtypes against numpy itself (the default oracle has
 * numpy 2.x): thousands of random arrays of every fixed-size numeric dtype, random shapes
 * (0-d, empty, multi-d, summarized above 1,000 elements), nice and random-bit values.
 */
import { pformat, pyRepr } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loads, NumpyArray, NumpyDType, NumpyScalar } from "../src/index.js";

let py: PythonOracle;

beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import numpy as np, pickle
assert np.__version__.startswith("2."), np.__version__
def reprs(cases):
    out = []
    for dt, shape, data, order in cases:
        a = np.frombuffer(data, dtype=np.dtype(dt)).reshape(shape, order=order)
        out.append(repr(a))
    return out
def scalar_reprs(cases):
    return [repr(np.frombuffer(data, dtype=np.dtype(dt))[0]) for dt, data in cases]
def dtype_reprs(names):
    return [repr(np.dtype(n)) for n in names]
`);
});
afterAll(async () => {
  await py.close();
});

const DTYPES = [
  "|b1",
  "|i1",
  "|u1",
  "<i2",
  "<u2",
  "<i4",
  "<u4",
  "<i8",
  "<u8",
  "<f2",
  "<f4",
  "<f8",
  "<c8",
  "<c16",
  ">i4",
  ">f8",
  ">c16",
];

/** Bytes of one element: "nice" values (small ints, short decimals, inf, nan, 0, -0) or random bits. */
function element(dt: string): fc.Arbitrary<Uint8Array> {
  const size = Number(dt.slice(2));
  const kind = dt[1];
  const raw = fc.uint8Array({ minLength: size, maxLength: size });
  if (kind === "b") return fc.boolean().map((b) => new Uint8Array([b ? 1 : 0]));
  if (kind === "i" || kind === "u") {
    const small = fc
      .integer({ min: kind === "u" ? 0 : -200, max: 200 })
      .map((n) => encodeInt(BigInt(n), size, dt[0] === ">"));
    return fc.oneof(small, raw);
  }
  const parts = kind === "c" ? 2 : 1;
  const w = size / parts;
  const nice = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map((n) => n / 8),
    fc.integer({ min: -99999, max: 99999 }).map((n) => n / 1000),
    fc.constantFrom(0, -0, Infinity, -Infinity, Number.NaN, 1e-5, 1e10, 0.1, 123456789.123, 1e300, 5e-324),
    fc.double({ noNaN: false }),
  );
  const one = fc.oneof(
    nice.map((x) => encodeFloat(x, w, dt[0] === ">")),
    fc.uint8Array({ minLength: w, maxLength: w }),
  );
  return parts === 1 ? one : fc.tuple(one, one).map(([a, b]) => Uint8Array.from([...a, ...b]));
}

function encodeInt(n: bigint, size: number, big: boolean): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, n);
  for (let i = 0; i < size; i++) {
    out[big ? size - 1 - i : i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function encodeFloat(x: number, w: number, big: boolean): Uint8Array {
  const b = new Uint8Array(w);
  const dv = new DataView(b.buffer);
  if (w === 8) dv.setFloat64(0, x, !big);
  else if (w === 4) dv.setFloat32(0, x, !big);
  else dv.setUint16(0, toHalfBits(x), !big);
  return b;
}

function toHalfBits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0] ?? 0;
  const sign = (u >>> 16) & 0x8000;
  const e = ((u >>> 23) & 0xff) - 127 + 15;
  const m = u & 0x7fffff;
  if (Number.isNaN(x)) return 0x7e00;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) return sign | Math.round((m | 0x800000) / 2 ** (14 - e));
  return sign | (e << 10) | Math.round(m / 8192);
}

const shapeArb = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 }) },
  { weight: 2, arbitrary: fc.integer({ min: 7, max: 40 }).map((n) => [n]) },
  { weight: 1, arbitrary: fc.integer({ min: 990, max: 1500 }).map((n) => [n]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 30, max: 60 }))
      .map(([a, b]) => [a, b]),
  },
);

const caseArb = fc
  .tuple(fc.constantFrom(...DTYPES), shapeArb, fc.constantFrom<"C" | "F">("C", "F"))
  .chain(([dt, shape, order]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    // big arrays: a few distinct elements repeated keeps generation fast
    const distinct = Math.min(n, 64);
    return fc.array(element(dt), { minLength: distinct, maxLength: distinct }).chain((els) =>
      fc.array(fc.nat(Math.max(distinct - 1, 0)), { minLength: n, maxLength: n }).map((idx) => {
        const size = Number(dt.slice(2));
        const data = new Uint8Array(n * size);
        idx.forEach((k, i) => {
          data.set(els[k] ?? new Uint8Array(size), i * size);
        });
        return { dt, shape, order, data };
      }),
    );
  });

test("array repr matches numpy 2 for thousands of random arrays", async () => {
  const cases = fc.sample(caseArb, { numRuns: 2500, seed: 20261203 });
  for (let i = 0; i < cases.length; i += 250) {
    const batch = cases.slice(i, i + 250);
    const want = await py.call<string[]>(
      "reprs",
      batch.map((c) => [c.dt, c.shape, c.data, c.order]),
    );
    batch.forEach((c, k) => {
      const a = new NumpyArray(NumpyDType.of(c.dt), c.shape, c.data, c.order);
      expect(
        pyRepr(a),
        `${c.dt} ${JSON.stringify(c.shape)} ${c.order} ${Buffer.from(c.data.subarray(0, 64)).toString("hex")}`,
      ).toBe(want[k]);
    });
  }
});

test("scalar repr matches numpy 2 (np.float64(1.5), np.True_, np.complex64(1+2j))", async () => {
  const arb = fc.constantFrom(...DTYPES).chain((dt) => element(dt).map((data) => ({ dt, data })));
  const cases = fc.sample(arb, { numRuns: 3000, seed: 7 });
  const want = await py.call<string[]>(
    "scalar_reprs",
    cases.map((c) => [c.dt, c.data]),
  );
  cases.forEach((c, k) => {
    const s = new NumpyScalar(NumpyDType.of(c.dt), c.data);
    expect(pyRepr(s), `${c.dt} ${Buffer.from(c.data).toString("hex")}`).toBe(want[k]);
  });
});

test("dtype repr matches numpy", async () => {
  const names = [...DTYPES, "|S5", "<U3", "<M8[ns]", "<m8[s]"];
  const want = await py.call<string[]>("dtype_reprs", names);
  expect(names.map((n) => pyRepr(NumpyDType.of(n)))).toEqual(want);
});

test("loaded arrays (object arrays too) print as numpy does, in pyRepr and pformat", async () => {
  await py.exec(`
CASES = [np.arange(12, dtype='<i4').reshape(3, 4), np.linspace(0, 1, 7), np.array([1, 'x', None, [2], (3,)], dtype=object),
         np.array([[1.5, np.nan], [-np.inf, 2]]), np.zeros((0, 3), dtype='<i2'), np.array(3.25), np.arange(3000.0),
         np.array([np.arange(2), 'a'], dtype=object), np.float32(0.1), np.int8(-3), np.dtype('>i2')]
def case(i, proto):
    return pickle.dumps(CASES[i], proto)
def case_repr(i):
    return repr(CASES[i])
`);
  for (let i = 0; i < 11; i++) {
    const want = await py.call<string>("case_repr", i);
    for (const proto of [2, 5]) {
      const data = await py.call<Uint8Array>("case", i, proto);
      const v = loads(data, { model: "faithful" });
      expect(pyRepr(v)).toBe(want);
      expect(pformat(v)).toBe(want);
      expect(pformat([v])).toBe(await py.eval("__import__('pprint').pformat([CASES[i]])", { i }));
    }
  }
});
