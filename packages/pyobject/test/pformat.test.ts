import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  Ellipsis,
  PyByteArray,
  PyComplex,
  PyDict,
  PyError,
  PyFrozenSet,
  PyGlobal,
  PyInstance,
  PySet,
  PyTuple,
  PyValueError,
  pformat,
} from "../src/index.js";
import { pyBytes, pyComplex, pyFloat, pyInt, pyStr } from "./support/arbitraries.js";
import { pySource } from "./support/py-source.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec("import pprint");
});
afterAll(async () => {
  await py.close();
});

interface Case {
  value: unknown;
  width?: number;
  indent?: number;
  compact?: boolean;
  depth?: number;
  sortDicts?: boolean;
}

/** CPython's `pprint.pformat` of each case, evaluated from independent source text. */
async function cpython(cases: readonly Case[]): Promise<string[]> {
  const calls = cases.map((c) => {
    const args = [
      `width=${c.width ?? 80}`,
      `indent=${c.indent ?? 1}`,
      `compact=${c.compact ? "True" : "False"}`,
      `depth=${c.depth ?? "None"}`,
      `sort_dicts=${c.sortDicts === false ? "False" : "True"}`,
    ];
    return `pprint.pformat(${pySource(c.value)}, ${args.join(", ")})`;
  });
  return py.eval<string[]>(`[${calls.join(",\n")}]`);
}

function ours(c: Case): string {
  return pformat(c.value, {
    width: c.width ?? 80,
    indent: c.indent ?? 1,
    compact: c.compact ?? false,
    depth: c.depth ?? null,
    sortDicts: c.sortDicts ?? true,
  });
}

async function expectSame(cases: readonly Case[]): Promise<void> {
  const expected = await cpython(cases);
  for (let i = 0; i < cases.length; i++) {
    const got = ours(cases[i]!);
    if (got !== expected[i]) {
      // Show the failing case with its source, not just two texts.
      expect({ source: pySource(cases[i]!.value), got }).toEqual({
        source: pySource(cases[i]!.value),
        got: expected[i],
      });
    }
  }
}

const words = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.stringMatching(/^[a-z]{1,9}$/) },
      { weight: 2, arbitrary: fc.constantFrom(" ", "  ", "\n", "\t", "\r\n", "\u2028", "\x0b", "\x1c") },
      { weight: 1, arbitrary: pyStr },
    ),
    { maxLength: 40 },
  )
  .map((a) => a.join(" "));

// Sets print in CPython's hash order on one line; small ints inserted in ascending order into
// a table of 8 slots keep that order, so these sets compare exactly.
const smallIntSet = fc
  .uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 4 })
  .map((a) => a.sort((x, y) => x - y).map((n) => BigInt(n)));

// Keys of one type per dict: keys of unorderable mixed types sort by address in CPython.
const dictKeys = fc.oneof(
  fc.array(fc.oneof(pyStr, fc.stringMatching(/^[a-z]{1,12}$/)), { maxLength: 6 }),
  fc.array(pyInt, { maxLength: 6 }),
  fc.array(pyBytes, { maxLength: 6 }),
  fc.array(
    fc.array(fc.bigInt({ min: -3n, max: 3n }), { maxLength: 3 }).map((a) => new PyTuple(a)),
    { maxLength: 6 },
  ),
);

const leaf = fc.oneof(
  pyInt,
  pyFloat,
  fc.boolean(),
  fc.constant(null),
  pyStr,
  words,
  pyBytes,
  fc.uint8Array({ maxLength: 70 }),
  fc.uint8Array({ maxLength: 30 }).map((b) => new PyByteArray(b)),
  pyComplex,
  fc.constant(Ellipsis),
);

const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(tie("v"), { maxLength: 6 }) },
    { weight: 2, arbitrary: fc.array(tie("v"), { maxLength: 4 }).map((a) => new PyTuple(a)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(dictKeys, fc.array(tie("v"), { minLength: 6, maxLength: 6 }))
        .map(([ks, vs]) => new PyDict(ks.map((k, i) => [k, vs[i]] as [unknown, unknown]))),
    },
    { weight: 1, arbitrary: smallIntSet.map((a) => new PySet(a)) },
    { weight: 1, arbitrary: smallIntSet.map((a) => new PyFrozenSet(a)) },
  ),
})).v;

describe("pformat matches CPython's pprint.pformat", () => {
  test("scalars and short containers print as their repr", async () => {
    await expectSame([
      { value: 1n },
      { value: -(2n ** 100n) },
      { value: 1.5 },
      { value: 1e16 },
      { value: Number.NaN },
      { value: -0 },
      { value: true },
      { value: null },
      { value: "it's" },
      { value: "" },
      { value: new Uint8Array([0, 39, 255]) },
      { value: new PyByteArray(new Uint8Array([1, 2])) },
      { value: new PyComplex(1, -2) },
      { value: [] },
      { value: new PyTuple([1n]) },
      { value: new PyTuple([]) },
      { value: new PyDict() },
      { value: new PySet() },
      { value: new PyFrozenSet() },
      { value: new PySet([1n, 2n]) },
      { value: new PyFrozenSet([3n]) },
      {
        value: new PyDict<unknown, unknown>([
          ["b", 1n],
          ["a", new PyTuple([2n, "x"])],
        ]),
      },
    ]);
  });

  test("wide containers break one item per line, dict keys sorted", async () => {
    const row = (i: number) =>
      new PyDict<unknown, unknown>([
        ["name", `user number ${i}`],
        ["id", BigInt(i)],
        ["scores", [1.5, 2.25, BigInt(i * 1000)]],
        ["tags", new PyTuple(["alpha", "beta", "gamma"])],
      ]);
    await expectSame([
      { value: Array.from({ length: 30 }, (_, i) => BigInt(i * 7919)) },
      { value: [row(1), row(2), row(3)] },
      {
        value: new PyDict<unknown, unknown>([
          [new PyTuple([1n, 2n]), [row(4)]],
          [new PyTuple([0n]), "short"],
        ]),
      },
      { value: new PyTuple([row(5)]) },
      { value: new PySet(Array.from({ length: 40 }, (_, i) => BigInt(1000 - i * 13))) },
      { value: new PyFrozenSet(Array.from({ length: 40 }, (_, i) => `item${i}`)) },
      {
        value: new PyDict<unknown, unknown>([
          [3n, "c"],
          ["a", 1n],
          [2.5, null],
          [null, 0n],
        ]),
      },
      { value: [row(6)], width: 30, indent: 4 },
      { value: [row(7), row(8)], compact: true, width: 50 },
      { value: [[[[1n, [2n, [3n]]]]], row(9)], depth: 2 },
      { value: [row(10)], sortDicts: false, width: 40 },
    ]);
  });

  test("long strings and bytes split into adjacent literals", async () => {
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(5);
    await expectSame([
      { value: text },
      { value: `${text}\nsecond line\n${text}` },
      { value: [text, "short"] },
      { value: new PyDict([["key", text]]) },
      { value: "x".repeat(200) },
      { value: new Uint8Array(Array.from({ length: 100 }, (_, i) => i)) },
      { value: new PyByteArray(new Uint8Array(Array.from({ length: 100 }, (_, i) => 255 - i))) },
      { value: [new Uint8Array(90).fill(65)] },
      { value: `naïve 日本語 😀 text with spaces ${"é".repeat(30)} and more words ${"😀".repeat(40)}` },
      { value: "\u2028".repeat(3) + "a b c ".repeat(20) },
      { value: text, width: 20 },
    ]);
  });

  test("random values at several widths (fast-check, 400 cases)", async () => {
    const cases = fc
      .sample(fc.tuple(value, fc.constantFrom(8, 20, 40, 80), fc.constantFrom(1, 2, 4), fc.boolean()), {
        numRuns: 400,
        seed: 20261125,
      })
      .map(([v, width, indent, compact]) => ({ value: v, width, indent, compact }));
    await expectSame(cases);
  });
});

describe("pformat beyond CPython's own text", () => {
  test("a container inside itself prints a recursion marker", () => {
    const a: unknown[] = [1n];
    a.push(a);
    expect(pformat(a)).toBe("[1, <Recursion on list with id=1>]");
    const wide: unknown[] = ["x".repeat(90)];
    wide.push(wide);
    expect(pformat(wide)).toBe(`['${"x".repeat(90)}',\n <Recursion on list with id=1>]`);
  });

  test("globals and inert instances print as pyRepr does", () => {
    const inst = new PyInstance(new PyGlobal("samples", "Point"), [], "newobj");
    // Protocols 0-1 build instances through copyreg: they print as the class they make.
    const old = new PyInstance(new PyGlobal("copyreg", "_reconstructor"), [
      new PyGlobal("samples", "Point"),
      new PyGlobal("builtins", "object"),
      null,
    ]);
    expect(pformat(old)).toBe("<samples.Point object>");
    expect(pformat([inst, new PyGlobal("collections", "OrderedDict")])).toBe(
      "[<samples.Point object>, <class 'collections.OrderedDict'>]",
    );
  });

  test("the natural view: Map, Set and plain objects, integral numbers as ints", () => {
    const v = { b: [1, 2.5], a: new Map<unknown, unknown>([[2, "x"]]), c: new Set([1]) };
    expect(pformat(v, { model: "natural" })).toBe("{'a': {2: 'x'}, 'b': [1, 2.5], 'c': {1}}");
    expect(pformat(v)).toBe("{'a': {2.0: 'x'}, 'b': [1.0, 2.5], 'c': {1.0}}");
  });

  test("bad options and too deep nesting throw typed errors", () => {
    expect(() => pformat(1n, { width: 0 })).toThrow(PyValueError);
    expect(() => pformat(1n, { indent: -1 })).toThrow(PyValueError);
    expect(() => pformat(1n, { depth: 0 })).toThrow(PyValueError);
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let caught: unknown;
    try {
      pformat(deep);
    } catch (e) {
      caught = e;
    }
    expect(PyError.isInstance(caught) && (caught as PyError).pyType).toBe("RecursionError");
  });

  test("underscoreNumbers groups thousands", () => {
    expect(pformat([1234567n, -1000n, 999n], { underscoreNumbers: true })).toBe("[1_234_567, -1_000, 999]");
  });
});
