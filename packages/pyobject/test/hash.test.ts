import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  PY_EQ,
  PY_HASH,
  PyByteArray,
  PyComplex,
  PyDict,
  PyFrozenSet,
  PyGlobal,
  PyInstance,
  PySet,
  PyTuple,
  PyTypeError,
  pyHash,
} from "../src/index.js";
import { pyBytes, pyComplex, pyFloat, pyHashable, pyInt, pyStr } from "./support/arbitraries.js";
import { pySource } from "./support/py-source.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
});
afterAll(async () => {
  await py.close();
});

/** Python's hash of each value (the oracle runs with PYTHONHASHSEED=0). */
async function cpythonHashes(values: readonly unknown[]): Promise<bigint[]> {
  const hs = await py.eval<(number | bigint)[]>(`[hash(x) for x in [${values.map(pySource).join(", ")}]]`);
  return hs.map((h) => BigInt(h));
}

async function expectSameAsCPython(values: readonly unknown[]): Promise<void> {
  const expected = await cpythonHashes(values);
  expect(values.map((v) => pyHash(v))).toEqual(expected);
}

/** CPython 3.11 hashes NaN by address: leave values holding one out of exact comparisons. */
function hasNaN(v: unknown): boolean {
  if (typeof v === "number") return Number.isNaN(v);
  if (v instanceof PyComplex) return Number.isNaN(v.real) || Number.isNaN(v.imag);
  if (v instanceof PyTuple || v instanceof PyFrozenSet) return [...v].some(hasNaN);
  return false;
}

/** Values CPython hashes by address (None, Ellipsis, NotImplemented) are compared separately. */
function byAddress(v: unknown): boolean {
  if (v === null || (typeof v === "object" && !(v instanceof Uint8Array) && !(v instanceof PyComplex))) {
    if (v instanceof PyTuple || v instanceof PyFrozenSet) return [...v].some(byAddress);
    return true;
  }
  return false;
}

describe("pyHash matches CPython 3.11 (PYTHONHASHSEED=0)", () => {
  test("the oracle runs with the fixed seed", async () => {
    expect(await py.eval("__import__('sys').flags.hash_randomization")).toBe(0);
    expect(await py.eval("__import__('sys').hash_info.algorithm")).toBe("siphash13");
  });

  test("ints, floats, bools: the numeric hash", async () => {
    await expectSameAsCPython([
      0n,
      1n,
      -1n,
      -2n,
      2n ** 61n - 2n,
      2n ** 61n - 1n,
      2n ** 61n,
      -(2n ** 61n - 1n),
      -(2n ** 61n),
      2n ** 64n + 5n,
      -(2n ** 200n) - 1n,
      true,
      false,
      0,
      -0,
      1,
      -1,
      0.5,
      -0.5,
      1.5,
      0.1,
      1e-300,
      5e-324,
      -5e-324,
      1.7976931348623157e308,
      2 ** 61,
      2 ** 62 - 2 ** 10,
      1e100,
      Infinity,
      -Infinity,
      Math.PI,
    ]);
  });

  test("random ints and floats", async () => {
    await expectSameAsCPython(fc.sample(pyInt, { numRuns: 2000, seed: 1 }));
    await expectSameAsCPython(fc.sample(pyFloat, { numRuns: 3000, seed: 2 }).filter((x) => !Number.isNaN(x)));
    await expectSameAsCPython(fc.sample(fc.double({ noNaN: true }), { numRuns: 3000, seed: 3 }));
  });

  test("complex", async () => {
    await expectSameAsCPython([
      new PyComplex(0, 0),
      new PyComplex(1, 0),
      new PyComplex(0, 1),
      new PyComplex(-1, -1),
    ]);
    await expectSameAsCPython(fc.sample(pyComplex, { numRuns: 2000, seed: 4 }).filter((c) => !hasNaN(c)));
  });

  test("str and bytes (SipHash-1-3): latin-1, UCS-2 and UCS-4 strings, lone surrogates", async () => {
    await expectSameAsCPython([
      "",
      "a",
      "abcdefg",
      "abcdefgh",
      "abcdefghi",
      "é",
      "\xff",
      "\u0100",
      "中文",
      "😀",
      "a😀b",
      "\ud800",
      "\udfff\ud800",
      "x".repeat(1000),
      new Uint8Array(0),
      new Uint8Array([0]),
      new Uint8Array(300).map((_, i) => i & 255),
    ]);
    await expectSameAsCPython(fc.sample(pyStr, { numRuns: 3000, seed: 5 }));
    await expectSameAsCPython(fc.sample(pyBytes, { numRuns: 2000, seed: 6 }));
  });

  test("tuples and frozensets, nested, random", async () => {
    await expectSameAsCPython([
      new PyTuple(),
      new PyTuple([1n]),
      new PyTuple([new PyTuple()]),
      new PyTuple([1n, 2.5, "a", new Uint8Array([1])]),
      new PyFrozenSet(),
      new PyFrozenSet([1n, 2n, 3n]),
      new PyFrozenSet([new PyFrozenSet([new PyFrozenSet()])]),
      new PyTuple([new PyFrozenSet([new PyTuple([1n, "x"])])]),
    ]);
    const samples = fc
      .sample(pyHashable, { numRuns: 3000, seed: 9 })
      .filter((v) => !hasNaN(v) && !byAddress(v));
    expect(samples.length).toBeGreaterThan(1000);
    for (let i = 0; i < samples.length; i += 500) await expectSameAsCPython(samples.slice(i, i + 500));
  });

  test("equal values hash alike: 1 == 1.0 == True, -0.0 == 0, tuples of them, frozenset order", () => {
    expect(pyHash(1n)).toBe(pyHash(1));
    expect(pyHash(1n)).toBe(pyHash(true));
    expect(pyHash(new PyComplex(1, 0))).toBe(pyHash(1n));
    expect(pyHash(-0)).toBe(pyHash(0n));
    expect(pyHash(new PyTuple([1n, 0]))).toBe(pyHash(new PyTuple([true, -0])));
    expect(pyHash(new PyFrozenSet([1n, "a", 3n]))).toBe(pyHash(new PyFrozenSet([3, "a", true])));
    expect(pyHash(2 ** 80)).toBe(pyHash(2n ** 80n));
  });
});

describe("values CPython hashes by address get stable substitutes", () => {
  test("None, NaN, Ellipsis, globals, instances", () => {
    expect(pyHash(null)).toBe(0xfca86420n);
    expect(pyHash(undefined)).toBe(pyHash(null));
    expect(pyHash(NaN)).toBe(0n);
    expect(pyHash(new PyGlobal("m", "C"))).toBe(pyHash(new PyTuple(["m", "C"])));
    const inst = new PyInstance(new PyGlobal("m", "C"), []);
    expect(pyHash(inst)).toBe(pyHash(inst));
    expect(pyHash(inst)).not.toBe(pyHash(new PyInstance(new PyGlobal("m", "C"), [])));
  });
});

describe("unhashable values", () => {
  test("raise Python's TypeError with the type name", () => {
    const cases: [unknown, string][] = [
      [[], "list"],
      [new PyDict(), "dict"],
      [new PySet(), "set"],
      [new PyByteArray(), "bytearray"],
      [new Map(), "dict"],
      [new Set(), "set"],
      [{}, "dict"],
      [new PyTuple([1n, []]), "list"],
    ];
    for (const [v, name] of cases) {
      expect(() => pyHash(v)).toThrow(PyTypeError);
      expect(() => pyHash(v)).toThrow(`unhashable type: '${name}'`);
    }
    expect(() => pyHash(() => 0)).toThrow(PyTypeError);
    expect(() => pyHash(Symbol.iterator)).toThrow(PyTypeError);
    expect(() => pyHash({ [PY_EQ]: () => true })).toThrow(PyTypeError);
    expect(() => new PySet([new PyTuple([[1n]])])).toThrow("unhashable type: 'list'");
  });
});

describe("depth and hooks", () => {
  test("100,000 nested tuples hash without a stack overflow, matching CPython", async () => {
    let t: PyTuple = new PyTuple();
    for (let i = 0; i < 100_000; i++) t = new PyTuple([t, BigInt(i)]);
    const expected = await py.eval<number | bigint>(
      "hash(__import__('functools').reduce(lambda t, i: (t, i), range(100000), ()))",
    );
    expect(pyHash(t)).toBe(BigInt(expected));
  });

  test("100,000 levels of alternating frozensets and tuples, matching CPython", async () => {
    let k: unknown = new PyTuple();
    for (let i = 0; i < 100_000; i++) {
      k = i % 2 ? new PyTuple([k, BigInt(i)]) : new PyFrozenSet([k, BigInt(i)]);
    }
    const expected = await py.eval<number | bigint>(
      "hash(__import__('functools').reduce(lambda t, i: (t, i) if i % 2 else frozenset([t, i]), range(100000), ()))",
    );
    expect(pyHash(k)).toBe(BigInt(expected));
  });

  test("a hash hook supplies the hash", () => {
    const d = { [PY_HASH]: () => 42n, [PY_EQ]: () => undefined };
    expect(pyHash(d)).toBe(42n);
    expect(pyHash(new PyTuple([d]))).toBe(pyHash(new PyTuple([42n])));
    expect(pyHash({ [PY_HASH]: () => -1n })).toBe(-2n);
    expect(pyHash({ [PY_HASH]: () => 3 })).toBe(3n);
    expect(() => pyHash({ [PY_HASH]: () => 1.5 })).toThrow("__hash__ method should return an integer");
    expect(() => new PySet([{ [PY_HASH]: () => "x" }])).toThrow(PyTypeError);
  });
});
