import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  PyByteArray,
  PyComplex,
  PyDict,
  PyFrozenSet,
  PyKeyError,
  PySet,
  PyTuple,
  PyTypeError,
  pyRepr,
} from "../src/index.js";
import { pyHashable } from "./support/arbitraries.js";
import { pySource } from "./support/py-source.js";
import { SORTED_SET_REPR_PY, sortedSetRepr } from "./support/set-order.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(SORTED_SET_REPR_PY);
  await py.exec(`
def run_ops(keys, ops):
    d = {}
    s = set()
    for i, (op, k) in enumerate(ops):
        key = keys[k]
        if op == 0:
            d[key] = i
            s.add(key)
        else:
            d.pop(key, None)
            s.discard(key)
    return [sorted_set_repr(k) + ': ' + repr(v) for k, v in d.items()], sorted(map(sorted_set_repr, s))
`);
});
afterAll(async () => {
  await py.close();
});

describe("dict key rules, as CPython", () => {
  test("1, 1.0, True and complex(1, 0) are one key; the first key object stays, the last value wins", () => {
    const d = new PyDict<unknown, string>([
      [1n, "a"],
      [1, "b"],
      [true, "c"],
      [new PyComplex(1, 0), "d"],
    ]);
    expect(d.size).toBe(1);
    expect(pyRepr(d)).toBe("{1: 'd'}");
    expect(d.get(1.0)).toBe("d");
  });

  test("-0.0 and 0 are one key; NaN keys are each their own", () => {
    const d = new PyDict<unknown, string>([
      [-0, "a"],
      [0n, "b"],
      [NaN, "c"],
      [NaN, "d"],
    ]);
    expect(pyRepr(d)).toBe("{-0.0: 'b', nan: 'c', nan: 'd'}");
    expect(d.has(NaN)).toBe(false);
  });

  test("tuple, frozenset, bytes, None, float, complex and big int keys", () => {
    const d = new PyDict<unknown, number>();
    const keys = [
      new PyTuple([1n, "a"]),
      new PyFrozenSet([1n, 2n]),
      new Uint8Array([1, 2]),
      null,
      2.5,
      new PyComplex(1, 2),
      2n ** 80n,
      2n ** 53n + 1n,
    ];
    for (const [i, k] of keys.entries()) d.set(k, i);
    // equal keys built anew find the same entries
    expect(d.get(new PyTuple([true, "a"]))).toBe(0);
    expect(d.get(new PyFrozenSet([2, 1]))).toBe(1);
    expect(d.get(new Uint8Array([1, 2]))).toBe(2);
    expect(d.get(undefined)).toBe(3);
    expect(d.get(2.5)).toBe(4);
    expect(d.get(new PyComplex(1, 2))).toBe(5);
    expect(d.get(2 ** 80)).toBe(6);
    expect(d.get(2 ** 53 + 2)).toBeUndefined(); // 2**53+2 != 2**53+1
    expect(d.get(2n ** 53n + 1n)).toBe(7);
  });

  test("unhashable keys throw Python's TypeError; a missing key throws KeyError with its repr", () => {
    const d = new PyDict();
    for (const k of [[], new PyDict(), new PySet(), new PyByteArray(), new PyTuple([[]])]) {
      expect(() => d.set(k, 1)).toThrow(PyTypeError);
    }
    expect(() => d.getItem("x")).toThrow(PyKeyError);
    expect(() => d.getItem("x")).toThrow("'x'");
  });

  test("random set/delete sequences give CPython's dict and set, order included", async () => {
    const cases = fc.sample(
      fc.record({
        // NaN keys are left out: CPython finds the same NaN object again by identity
        keys: fc.array(
          pyHashable.filter((k) => !pyRepr(k).includes("nan")),
          { minLength: 1, maxLength: 12 },
        ),
        ops: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat()), { maxLength: 80 }),
      }),
      { numRuns: 300, seed: 21 },
    );
    for (const { keys, ops } of cases) {
      const norm = ops.map(([op, k]) => [op === 0 ? 1 : 0, k % keys.length] as [number, number]);
      const d = new PyDict<unknown, bigint>();
      const s = new PySet<unknown>();
      norm.forEach(([op, k], i) => {
        if (op === 0) {
          d.set(keys[k], BigInt(i));
          s.add(keys[k]);
        } else {
          d.delete(keys[k]);
          s.delete(keys[k]);
        }
      });
      const [items, members] = await py.eval<[string[], string[]]>(
        `run_ops([${keys.map(pySource).join(", ")}], ops)`,
        { ops: norm },
      );
      expect([...d].map(([k, v]) => `${sortedSetRepr(k)}: ${v}`)).toEqual(items);
      expect([...s].map(sortedSetRepr).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(members);
    }
  });

  test("deleted entries leave no trace in iteration or repr", () => {
    const d = new PyDict<unknown, string>([
      [1n, "a"],
      [2n, "b"],
      [3n, "c"],
    ]);
    d.delete(2);
    d.delete(3n);
    d.set(2n, "B");
    expect(pyRepr(d)).toBe("{1: 'a', 2: 'B'}");
    const s = new PySet([1n, 2n, 3n]);
    s.delete(1n);
    s.delete(3n);
    expect(pyRepr(s)).toBe("{2}");
    s.delete(2n);
    expect(pyRepr(s)).toBe("set()");
  });

  test("many deletions compact the table and keep order", () => {
    const d = new PyDict<unknown, number>();
    for (let i = 0; i < 1000; i++) d.set(BigInt(i), i);
    for (let i = 0; i < 1000; i += 1) if (i % 10 !== 0) d.delete(i);
    expect([...d.keys()]).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i * 10)));
    d.set(5, 5);
    expect(d.get(5n)).toBe(5);
    expect(d.size).toBe(101);
  });

  test("deeply nested frozenset and tuple keys", () => {
    let k: unknown = 0n;
    for (let i = 0; i < 100_000; i++) k = i % 2 ? new PyTuple([k]) : new PyFrozenSet([k]);
    const d = new PyDict([[k, "deep"]]);
    let k2: unknown = 0;
    for (let i = 0; i < 100_000; i++) k2 = i % 2 ? new PyTuple([k2]) : new PyFrozenSet([k2]);
    expect(d.get(k2)).toBe("deep");
  });
});

describe("PyDict.fromStrEntries (one-pass build from key and value arrays)", () => {
  test("matches dict(zip(keys, values)) (0-40 keys) then random set/delete of str and int keys, as CPython", async () => {
    await py.exec(`
def zip_then_ops(keys, values, pool, ops):
    d = dict(zip(keys, values))
    for i, (op, k) in enumerate(ops):
        key = pool[k]
        if op == 0:
            d[key] = i
        else:
            d.pop(key, None)
    return [repr(k) + ': ' + repr(v) for k, v in d.items()]
`);
    // Few distinct names, so repeats are common; up to 16 keys are checked pairwise, more by a Map.
    const name = fc.constantFrom("a", "b", "c", "1", "__proto__", "", "é", "\ud800", "k9", "constructor");
    const cases = fc.sample(
      fc.record({
        keys: fc.oneof(fc.array(name, { maxLength: 8 }), fc.array(name, { minLength: 9, maxLength: 40 })),
        ops: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat()), { maxLength: 60 }),
      }),
      { numRuns: 300, seed: 33 },
    );
    // Ops reach str keys and the int keys 1 and 2 (1 must stay apart from "1").
    const pool: unknown[] = ["a", "1", "zz", "b", 1n, 2n, "k9", "__proto__"];
    for (const { keys, ops } of cases) {
      const values = keys.map((_, i) => BigInt(i));
      const norm = ops.map(([op, k]) => [op === 0 ? 1 : 0, k % pool.length] as [number, number]);
      const d = PyDict.fromStrEntries<unknown>([...keys], [...values]) as PyDict<unknown, unknown>;
      norm.forEach(([op, k], i) => {
        if (op === 0) d.set(pool[k], BigInt(i));
        else d.delete(pool[k]);
      });
      const want = await py.eval<string[]>(
        `zip_then_ops(keys, values, [${pool.map(pySource).join(", ")}], ops)`,
        {
          keys,
          values: values.map(Number),
          ops: norm,
        },
      );
      expect([...d].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)).toEqual(want);
      for (const k of pool) expect(d.has(k)).toBe(want.some((line) => line.startsWith(`${pyRepr(k)}: `)));
    }
  });
});

describe("prototype safety", () => {
  test("keys named like Object.prototype members are ordinary str keys", () => {
    const d = new PyDict<unknown, number>();
    for (const k of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) d.set(k, 1);
    expect(d.size).toBe(5);
    expect(d.get("__proto__")).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
