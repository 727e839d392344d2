import type { PickleBuffer } from "@x/pickle-core";
import { PyError, pyRepr } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumps, loads, NumpyArray, NumpyDType, type NumpyScalar, PickleError } from "../src/index.js";

let py: PythonOracle;

beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle, numpy as np
rec = np.dtype([("x", "<i4"), ("y", "<f8"), ("z", "S3")])
ARRAYS = {
  "bool": np.array([True, False, True]),
  "i1": np.array([-128, 0, 127], dtype="i1"), "u1": np.array([0, 255], dtype="u1"),
  "i2": np.array([-2, 3], dtype="<i2"), "u2": np.array([65535], dtype="<u2"),
  "i4": np.arange(6, dtype="<i4").reshape(2, 3), "u4": np.array([2**32 - 1], dtype="<u4"),
  "i8": np.array([-2**63, 2**63 - 1], dtype="<i8"), "u8": np.array([2**64 - 1], dtype="<u8"),
  "f2": np.array([1.5, -0.0, np.inf], dtype="<f2"), "f4": np.array([0.1, np.nan], dtype="<f4"),
  "f8": np.linspace(0, 1, 7), "c8": np.array([1 + 2j], dtype="<c8"), "c16": np.array([1j, -1.5], dtype="<c16"),
  "M8": np.array(["2020-01-01T00:00:00.123456789", "NaT"], dtype="<M8[ns]"),
  "M8D": np.array(["1970-01-02"], dtype="M8[D]"), "m8": np.array([5, -1], dtype="<m8[s]"),
  "S": np.array([b"ab", b"c"]), "U": np.array(["h\\u00e9llo", "x"]),
  "rec": np.array([(1, 2.5, b"xy"), (-1, 0.0, b"")], dtype=rec),
  "big": np.array([1, 2], dtype=">i4"), "bigf": np.array([1.5], dtype=">f8"),
  "fortran": np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3)),
  "zerod": np.array(3.25), "empty": np.zeros((0, 3), dtype="<i2"), "3d": np.arange(24, dtype="<u2").reshape(2, 3, 4),
}
SCALARS = {
  "s_f8": np.float64(1.5), "s_i1": np.int8(-3), "s_bool": np.bool_(True), "s_c8": np.complex64(1 + 2j),
  "s_dt": np.datetime64("2020-01-01", "D"), "s_u8": np.uint64(2**64 - 1),
}
DTYPES = {"d_f8": np.dtype("f8"), "d_be": np.dtype(">i2"), "d_U": np.dtype("U3"), "d_rec": rec, "d_M8": np.dtype("M8[us]")}
CASES = {**ARRAYS, **SCALARS, **DTYPES}
from numpy._core import multiarray as _ma, numeric as _nu
def dump_case(name, proto, v1=False):
    # numpy 1.x wrote numpy.core.*: name the functions so while pickling (numpy 2 resolves both).
    funcs = [(_ma._reconstruct, "numpy._core.multiarray"), (_ma.scalar, "numpy._core.multiarray"), (_nu._frombuffer, "numpy._core.numeric")]
    if v1:
        for f, mod in funcs:
            f.__module__ = mod.replace("_core", "core")
    try:
        return pickle.dumps(CASES[name], proto)
    finally:
        for f, mod in funcs:
            f.__module__ = mod
def same(a, b):
    if isinstance(a, np.dtype):
        return a == b and a.str == b.str
    if type(a) is not type(b) or a.dtype != b.dtype or a.dtype.str != b.dtype.str or a.shape != b.shape:
        return False
    if isinstance(a, np.ndarray) and (a.flags.f_contiguous != b.flags.f_contiguous or a.flags.c_contiguous != b.flags.c_contiguous):
        return False
    return a.tobytes() == b.tobytes()
def check(name, proto, data, buffers=None):
    # what numpy itself gets back at this protocol (it loads a big-endian array as native)
    return same(pickle.loads(data, buffers=buffers), pickle.loads(pickle.dumps(CASES[name], proto)))
def dump_oob(name):
    bufs = []
    data = pickle.dumps(CASES[name], 5, buffer_callback=bufs.append)
    return [data, [bytes(b.raw()) for b in bufs]]
def check_expr(expr, data):
    return same(pickle.loads(data), eval(expr))
def dumps_expr(expr, proto):
    return pickle.dumps(eval(expr), proto)
`);
});
afterAll(async () => {
  await py.close();
});

const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");
const ARRAYS = [
  "bool",
  "i1",
  "u1",
  "i2",
  "u2",
  "i4",
  "u4",
  "i8",
  "u8",
  "f2",
  "f4",
  "f8",
  "c8",
  "c16",
  "M8",
  "M8D",
  "m8",
  "S",
  "U",
  "rec",
  "big",
  "bigf",
  "fortran",
  "zerod",
  "empty",
  "3d",
];
const OTHERS = ["s_f8", "s_i1", "s_bool", "s_c8", "s_dt", "s_u8", "d_f8", "d_be", "d_U", "d_rec", "d_M8"];

describe.each([0, 1, 2, 3, 4, 5])("protocol %i", (proto) => {
  test.each([...ARRAYS, ...OTHERS])(
    "%s: numpy's pickle loads and dumps back to the same bytes",
    async (name) => {
      for (const v1 of [false, true]) {
        const data = await py.call<Uint8Array>("dump_case", name, proto, v1);
        for (const model of ["natural", "faithful"] as const) {
          const value = loads(data, { model, strict: true });
          const again = dumps(value, { protocol: proto, model });
          expect(latin1(again), `${model}${v1 ? " numpy 1.x names" : ""}`).toBe(latin1(data));
          expect(await py.call("check", name, proto, again)).toBe(true);
        }
      }
    },
  );
});

test.each(ARRAYS)("%s: protocol 5 out-of-band buffers both ways", async (name) => {
  const [data, buffers] = await py.call<[Uint8Array, Uint8Array[]]>("dump_oob", name);
  const value = loads(data, { buffers });
  const out: PickleBuffer[] = [];
  const again = dumps(value, { protocol: 5, bufferCallback: (b) => void out.push(b) });
  expect(latin1(again)).toBe(latin1(data));
  const raw = out.map((b) => b.raw().slice());
  expect(raw.map(latin1)).toEqual(buffers.map(latin1));
  expect(await py.call("check", name, 5, again, raw)).toBe(true);
});

test("loaded arrays expose dtype, shape, order and a typed-array view", async () => {
  const i4 = loads(await py.call<Uint8Array>("dump_case", "i4", 2)) as NumpyArray;
  expect(i4).toBeInstanceOf(NumpyArray);
  expect([i4.shape, i4.order, i4.dtype.str, i4.dtype.itemsize, i4.ndim, i4.size]).toEqual([
    [2, 3],
    "C",
    "<i4",
    4,
    2,
    6,
  ]);
  const view = i4.toTypedArray();
  expect(view).toBeInstanceOf(Int32Array);
  expect([...view]).toEqual([0, 1, 2, 3, 4, 5]);
  expect(view.buffer).toBe(i4.data.buffer); // zero-copy: the data was aligned
  const f = loads(await py.call<Uint8Array>("dump_case", "fortran", 3)) as NumpyArray;
  expect([f.order, [...f.toTypedArray()]]).toEqual(["F", [0, 3, 1, 4, 2, 5]]);
  const big = loads(await py.call<Uint8Array>("dump_case", "big", 4)) as NumpyArray;
  expect([...big.toTypedArray()]).toEqual([1, 2]);
  const u8 = loads(await py.call<Uint8Array>("dump_case", "u8", 4)) as NumpyArray;
  expect([...u8.toTypedArray()]).toEqual([2n ** 64n - 1n]);
  const rec = loads(await py.call<Uint8Array>("dump_case", "rec", 4)) as NumpyArray;
  expect(rec.dtype.names).toEqual(["x", "y", "z"]);
  expect([...(rec.dtype.fields ?? new Map())].map(([k, [dt, off]]) => [k, dt.str, off])).toEqual([
    ["x", "<i4", 0],
    ["y", "<f8", 4],
    ["z", "|S3", 12],
  ]);
  expect(rec.dtype.itemsize).toBe(15);
  const zerod = loads(await py.call<Uint8Array>("dump_case", "zerod", 2)) as NumpyArray;
  expect([zerod.shape, [...zerod.toTypedArray()]]).toEqual([[], [3.25]]);
  const m8 = loads(await py.call<Uint8Array>("dump_case", "M8", 5)) as NumpyArray;
  expect(m8.dtype.str).toBe("<M8[ns]");
  expect(m8.toTypedArray()[0]).toBe(1577836800123456789n);
  const s = loads(await py.call<Uint8Array>("dump_case", "s_f8", 4)) as NumpyScalar;
  expect([s.value, s.dtype.str]).toEqual([1.5, "<f8"]);
  expect((loads(await py.call<Uint8Array>("dump_case", "s_c8", 2)) as NumpyScalar).value).toEqual([1, 2]);
  expect((loads(await py.call<Uint8Array>("dump_case", "s_bool", 2)) as NumpyScalar).value).toBe(true);
  expect(pyRepr(loads(await py.call<Uint8Array>("dump_case", "d_be", 2)))).toBe("dtype('>i2')");
});

const FROM_JS: [string, () => NumpyArray][] = [
  [
    "np.arange(1, 7, dtype='<f8').reshape(2, 3)",
    () => NumpyArray.from(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }),
  ],
  [
    "np.asfortranarray(np.arange(1, 7, dtype='<f8').reshape(2, 3))",
    () => NumpyArray.from(new Float64Array([1, 4, 2, 5, 3, 6]), { shape: [2, 3], order: "F" }),
  ],
  ["np.array([-1, 2], dtype='i1')", () => NumpyArray.from(new Int8Array([-1, 2]))],
  ["np.array([1, 65535], dtype='<u2')", () => NumpyArray.from(new Uint16Array([1, 65535]))],
  ["np.array([7], dtype='<i4')", () => NumpyArray.from(new Int32Array([7]))],
  ["np.array([0.5], dtype='<f4')", () => NumpyArray.from(new Float32Array([0.5]))],
  ["np.array([-2**63], dtype='<i8')", () => NumpyArray.from(new BigInt64Array([-(2n ** 63n)]))],
  ["np.array([2**64-1], dtype='<u8')", () => NumpyArray.from(new BigUint64Array([2n ** 64n - 1n]))],
  ["np.array([True, False])", () => NumpyArray.from(new Uint8Array([1, 0]), { dtype: "b1" })],
  ["np.array([1j], dtype='<c16')", () => NumpyArray.from(new Float64Array([0, 1]), { dtype: "<c16" })],
  ["np.array([5], dtype='<M8[ns]')", () => NumpyArray.from(new BigInt64Array([5n]), { dtype: "<M8[ns]" })],
  ["np.array(2.5)", () => NumpyArray.from(new Float64Array([2.5]), { shape: [] })],
];

describe.each([2, 3, 4, 5])("JS typed arrays at protocol %i", (proto) => {
  test.each(FROM_JS)("%s: numpy loads it; bytes equal numpy's", async (expr, make) => {
    const data = dumps(make(), { protocol: proto });
    expect(await py.call("check_expr", expr, data)).toBe(true);
    expect(latin1(data)).toBe(latin1(await py.call<Uint8Array>("dumps_expr", expr, proto)));
  });
});

test("bad array data raises typed errors", () => {
  expect(() => new NumpyArray(NumpyDType.of("<i4"), [3], new Uint8Array(8))).toThrow(/needs 12/);
  expect(() => NumpyDType.of("<x9")).toThrow(/unsupported dtype/);
  expect(() => NumpyArray.from(new Float64Array(4), { shape: [3] })).toThrow(/needs 24/);
});

test("damaged numpy pickles fail only with typed errors", async () => {
  const corpus: Uint8Array[] = [];
  for (const name of [...ARRAYS, ...OTHERS]) {
    for (const proto of [2, 5]) corpus.push(await py.call<Uint8Array>("dump_case", name, proto, false));
  }
  fc.assert(
    fc.property(
      fc.nat({ max: corpus.length - 1 }),
      fc.nat(),
      fc.integer({ min: 0, max: 255 }),
      fc.boolean(),
      (i, at, byte, truncate) => {
        const src = corpus[i] as Uint8Array;
        const pos = at % src.length;
        const data = truncate ? src.slice(0, pos) : src.slice();
        if (!truncate) data[pos] = byte;
        for (const model of ["natural", "faithful"] as const) {
          try {
            const v = loads(data, { model });
            if (v instanceof NumpyArray && v.dtype.kind !== "V") v.toTypedArray();
          } catch (e) {
            if (!(PickleError.isInstance(e) || PyError.isInstance(e))) throw e;
          }
        }
      },
    ),
    { numRuns: 3000 },
  );
});

// `_reconstruct` makes its |u1 dtype without parsing, and dtype.itemsize is parsed from the
// name once: both must be the dtype the parser gives, for every kind and size.
test("the unparsed |u1 dtype and cached itemsizes equal the parsed dtype's", async () => {
  const u1 = NumpyDType.u1();
  const parsed = NumpyDType.of("u1");
  expect(u1.name).toBe(parsed.name);
  expect(u1.state?.items).toEqual(parsed.state?.items);
  expect(u1.str).toBe("|u1");
  const descrs = [
    "|b1",
    "<i2",
    ">i4",
    "<u8",
    "<f2",
    "<f4",
    ">f8",
    "<c8",
    "<c16",
    "|S7",
    "<U3",
    "<M8[ns]",
    "<m8[s]",
  ];
  const sizes = await py.eval<number[]>(`[np.dtype(d).itemsize for d in ${JSON.stringify(descrs)}]`);
  descrs.forEach((d, i) => {
    const dt = NumpyDType.of(d);
    expect(dt.itemsize, d).toBe(sizes[i]);
    expect(dt.itemsize, `${d} again`).toBe(sizes[i]);
  });
});
