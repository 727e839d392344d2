import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  brandOf,
  Ellipsis,
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
  pyEquals,
} from "../src/index.js";
import { pyValue } from "./support/arbitraries.js";
import { pySource } from "./support/py-source.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
});
afterAll(async () => {
  await py.close();
});

/**
 * A value Python considers equal to `v` (when it holds no NaN) but built differently: ints as
 * floats or bools where exact, bytes as bytearray, dicts and sets in reverse order, complex
 * with a zero imaginary part as a float. `flip` picks which changes apply.
 */
function twin(v: unknown, flip: number): unknown {
  if (typeof v === "bigint") {
    if (flip & 1 && (v === 0n || v === 1n)) return v === 1n;
    if (flip & 2 && v >= -(2n ** 53n) && v <= 2n ** 53n) return Number(v);
    return v;
  }
  if (typeof v === "number" && flip & 4 && Number.isInteger(v)) return BigInt(v);
  if (v instanceof PyComplex) {
    // a new object: with a NaN part, CPython's == is False unless it is the same object
    return v.imag === 0 && flip & 8 ? v.real : new PyComplex(v.real, v.imag);
  }
  if (v instanceof Uint8Array && flip & 16) return new PyByteArray(v.slice());
  if (v instanceof PyByteArray && flip & 16) return v.bytes.slice();
  if (Array.isArray(v)) return v.map((x) => twin(x, flip));
  switch (brandOf(v)) {
    case "tuple":
      return new PyTuple((v as PyTuple).items.map((x) => twin(x, flip)));
    case "dict":
      return new PyDict(
        [...(v as PyDict)].reverse().map(([k, x]) => [twin(k, flip & ~16), twin(x, flip)] as const),
      );
    case "set":
      return flip & 32
        ? new PyFrozenSet([...(v as PySet)].reverse().map((x) => twin(x, flip & ~16)))
        : new PySet([...(v as PySet)].reverse().map((x) => twin(x, flip & ~16)));
    case "frozenset":
      return new PyFrozenSet([...(v as PyFrozenSet)].reverse().map((x) => twin(x, flip & ~16)));
  }
  return v;
}

async function cpythonEquals(pairs: readonly [unknown, unknown][]): Promise<boolean[]> {
  return py.eval<boolean[]>(
    `[a == b for a, b in [${pairs.map(([a, b]) => `(${pySource(a)}, ${pySource(b)})`).join(", ")}]]`,
  );
}

describe("pyEquals matches CPython's ==", () => {
  test("random twins (mostly equal) and random pairs (mostly not)", async () => {
    const values = fc.sample(pyValue, { numRuns: 3000, seed: 11 });
    const flips = fc.sample(fc.integer({ min: 0, max: 63 }), { numRuns: 3000, seed: 12 });
    const pairs: [unknown, unknown][] = [];
    for (let i = 0; i < values.length; i++) {
      pairs.push([values[i], twin(values[i], flips[i]!)]);
      pairs.push([values[i], values[(i * 7 + 1) % values.length]]);
    }
    let equalSeen = 0;
    for (let i = 0; i < pairs.length; i += 500) {
      const batch = pairs.slice(i, i + 500);
      const expected = await cpythonEquals(batch);
      const got = batch.map(([a, b]) => pyEquals(a, b));
      const bad = batch
        .filter((_, j) => got[j] !== expected[j])
        .map(([a, b]) => `${pySource(a)} == ${pySource(b)}`);
      expect(bad).toEqual([]);
      equalSeen += expected.filter(Boolean).length;
    }
    expect(equalSeen).toBeGreaterThan(1500);
  });

  test("the numeric tower and edge cases", async () => {
    const pairs: [unknown, unknown][] = [
      [1n, 1],
      [1n, true],
      [1, true],
      [0n, -0],
      [-0, 0],
      [2n ** 53n + 1n, 2 ** 53 + 2],
      [2n ** 53n + 1n, 2 ** 53],
      [2n ** 53n, 2 ** 53],
      [2n ** 1024n, Infinity],
      [NaN, NaN],
      [new PyComplex(1, 0), 1n],
      [new PyComplex(1, 0), true],
      [new PyComplex(1, 1), 1n],
      [new PyComplex(NaN, 0), NaN],
      [new Uint8Array([1]), new PyByteArray(new Uint8Array([1]))],
      [new Uint8Array([1]), [1n]],
      [[], new PyTuple()],
      [new PySet([1n]), new PyFrozenSet([1])],
      [new PyDict([[1n, "a"]]), new PyDict([[true, "a"]])],
      [new PyDict([[1n, "a"]]), new PyDict([[1n, "b"]])],
      [null, null],
      [null, 0n],
      ["1", 1n],
      [Ellipsis, Ellipsis],
      [[NaN], [NaN]],
      [new PyTuple([1n, [2]]), new PyTuple([true, [2n]])],
    ];
    expect(pairs.map(([a, b]) => pyEquals(a, b))).toEqual(await cpythonEquals(pairs));
  });
});

describe("identity, cycles, depth", () => {
  test("an object equals itself without looking inside (as CPython's identity shortcut)", () => {
    const l: unknown[] = [NaN];
    l.push(l);
    expect(pyEquals(l, l)).toBe(true);
    expect(pyEquals([l], [l])).toBe(true);
  });

  test("100,000 nested lists, tuples and dicts compare without a stack overflow", () => {
    const build = (leaf: unknown): unknown => {
      let v = leaf;
      for (let i = 0; i < 100_000; i++) {
        const k = i % 3;
        v = k === 0 ? [v] : k === 1 ? new PyTuple([v]) : new PyDict([["k", v]]);
      }
      return v;
    };
    expect(pyEquals(build(1n), build(1))).toBe(true);
    expect(pyEquals(build(1n), build(2n))).toBe(false);
  });

  test("globals by name, instances by identity", () => {
    expect(pyEquals(new PyGlobal("m", "C"), new PyGlobal("m", "C"))).toBe(true);
    expect(pyEquals(new PyGlobal("m", "C"), new PyGlobal("m", "D"))).toBe(false);
    const inst = new PyInstance(new PyGlobal("m", "C"), []);
    expect(pyEquals(inst, inst)).toBe(true);
    expect(pyEquals(inst, new PyInstance(new PyGlobal("m", "C"), []))).toBe(false);
  });
});

describe("equality hooks for registered types", () => {
  class Money {
    constructor(readonly cents: bigint) {}
    [PY_EQ](other: unknown): boolean | undefined {
      if (other instanceof Money) return other.cents === this.cents;
      if (typeof other === "bigint") return other * 100n === this.cents; // like Decimal == int
      return undefined;
    }
    [PY_HASH](): bigint {
      return this.cents;
    }
  }

  test("x.__eq__(y), the reflected y.__eq__(x), then identity", () => {
    expect(pyEquals(new Money(5n), new Money(5n))).toBe(true);
    expect(pyEquals(new Money(5n), new Money(6n))).toBe(false);
    expect(pyEquals(new Money(100n), 1n)).toBe(true);
    expect(pyEquals(1n, new Money(100n))).toBe(true);
    expect(pyEquals(new Money(100n), "1")).toBe(false);
    expect(pyEquals(new PyTuple([new Money(1n)]), new PyTuple([new Money(1n)]))).toBe(true);
    const m = new Money(1n);
    expect(pyEquals(m, m)).toBe(true);
  });

  test("hooked objects are dict keys and set members by value", () => {
    const d = new PyDict<unknown, string>([[new Money(5n), "five"]]);
    expect(d.get(new Money(5n))).toBe("five");
    d.set(new Money(5n), "FIVE");
    expect(d.size).toBe(1);
    expect(new PySet([new Money(1n), new Money(1n), new Money(2n)]).size).toBe(2);
    expect(new PyFrozenSet([new PyTuple([new Money(1n)])]).has(new PyTuple([new Money(1n)]))).toBe(true);
  });
});
