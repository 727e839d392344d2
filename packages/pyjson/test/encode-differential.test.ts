/**
 * Differential tests: dumps and iterencode against CPython's json.dumps / JSONEncoder.iterencode,
 * byte for byte (and error type + message), over generated values x option combinations.
 */

import { numericKey, PyDict, PyTuple } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumps, JSONEncoder, type JSONEncoderOptions } from "../src/index.js";
import { jsOutcome, type Outcome, PY_HELPERS, pyKwargs, pySource } from "./encode-pysource.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_HELPERS);
});
afterAll(async () => {
  await py.close();
});

// Strings: any code points plus the characters every escaper treats specially, lone surrogates included.
const special = fc.constantFrom(
  "\ud800",
  "\udfff",
  "\ud83d",
  "\ude00",
  "\x7f",
  '"',
  "\\",
  "\n",
  "\x00",
  "\x1f",
  "é",
  "😀",
  "\u2028",
  "\uffff",
  "/",
);
const str = fc
  .array(fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), fc.string({ maxLength: 6 }), special), {
    maxLength: 4,
  })
  .map((a) => a.join(""));
const num = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    1e16,
    1e-5,
    1e21,
    1e22,
    2 ** 53,
    -(2 ** 53) - 2,
    0.1,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    5e-324,
  ),
);
const big = fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n });
const scalar = fc.oneof(str, num, big, fc.boolean(), fc.constant(null));
const dictKey = fc.oneof(str, num, big, fc.boolean(), fc.constant(null));

/** Drops Map keys that Python's == would merge (1, 1.0, true; 0 and -0.0). */
function uniquePyKeys(entries: [unknown, unknown][]): [unknown, unknown][] {
  const seen = new Set<unknown>();
  return entries.filter(([k]) => {
    const c = typeof k === "string" ? `s${k}` : k === null ? "none" : (numericKey(k) ?? k);
    const id = typeof c === "number" || typeof c === "bigint" ? `n${String(c)}` : c;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(tie("value"), { maxLength: 3 }).map((a) => new PyTuple(a)),
    fc.dictionary(str, tie("value"), { maxKeys: 4 }),
    fc.array(fc.tuple(dictKey, tie("value")), { maxLength: 4 }).map((e) => new Map(uniquePyKeys(e))),
    fc.array(fc.tuple(dictKey, tie("value")), { maxLength: 3 }).map((e) => new PyDict(uniquePyKeys(e))),
  ),
}));

const options: fc.Arbitrary<JSONEncoderOptions> = fc.record(
  {
    indent: fc.constantFrom(null, 0, 2, 4, -1, "\t", "ab"),
    separators: fc.constantFrom(
      null,
      [",", ":"] as const,
      [", ", ": "] as const,
      [" , ", " : "] as const,
      ["", ""] as const,
    ),
    sortKeys: fc.boolean(),
    ensureAscii: fc.boolean(),
    skipkeys: fc.boolean(),
    allowNan: fc.boolean(),
    checkCircular: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Compares every case; returns how many encoded without error (so tests can check coverage). */
async function compareDumps(cases: [unknown, JSONEncoderOptions][], faithful: boolean): Promise<number> {
  const expected = await py.call<Outcome[]>(
    "dumps_cases",
    cases.map(([v, o]) => [pySource(v, faithful), pyKwargs(o as Record<string, unknown>)]),
  );
  cases.forEach(([v, o], i) => {
    const got = jsOutcome(() => dumps(v, faithful ? { ...o, model: "faithful" } : o));
    expect(got, `case ${pySource(v, faithful)} with ${pyKwargs(o as Record<string, unknown>)}`).toEqual(
      expected[i],
    );
  });
  return expected.filter((r) => r[0] === "ok").length;
}

describe("dumps matches CPython byte for byte", () => {
  test("generated values x option combinations (natural model)", async () => {
    const cases = fc.sample(fc.tuple(value, options), { numRuns: 1500, seed: 7 });
    const ok = await compareDumps(cases, false);
    // Both outcomes are well represented: most cases encode, many hit an error path.
    expect(ok).toBeGreaterThan(cases.length * 0.5);
    expect(ok).toBeLessThan(cases.length * 0.95);
  });

  test("generated values x option combinations (faithful model)", async () => {
    const cases = fc.sample(fc.tuple(value, options), { numRuns: 800, seed: 11 });
    expect(await compareDumps(cases, true)).toBeGreaterThan(cases.length * 0.5);
  });

  test("property: random seeds, default options and compact", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 20, maxLength: 20 }), async (vs) => {
        await compareDumps(
          vs.map((v, i) => [v, i % 2 === 0 ? {} : { separators: [",", ":"], sortKeys: true }]),
          false,
        );
      }),
      { numRuns: 20 },
    );
  });

  test("strings alone, both escapers", async () => {
    const strs = fc.sample(str, { numRuns: 500, seed: 3 });
    await compareDumps(
      strs.flatMap((s) => [
        [s, {}],
        [s, { ensureAscii: false }],
      ]),
      false,
    );
  });

  test("numbers: ints of any size, float repr edges", async () => {
    const nums = [
      ...fc.sample(fc.double(), { numRuns: 400, seed: 5 }),
      ...fc.sample(fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), { numRuns: 100, seed: 5 }),
      ...fc.sample(big, { numRuns: 100, seed: 5 }),
      1e16,
      1e15,
      1e-4,
      1e-5,
      0.0001,
      123456789012345680000,
      1.7976931348623157e308,
      -0,
      2 ** 63,
      -(2 ** 64),
    ];
    await compareDumps(
      nums.map((n) => [n, {}]),
      false,
    );
    await compareDumps(
      nums.map((n) => [n, {}]),
      true,
    );
    await compareDumps(
      nums.map((n) => [[n], { allowNan: false }]),
      true,
    );
    await compareDumps(
      nums.map((n) => [[n], { allowNan: false, indent: 1 }]),
      true,
    );
  });
});

describe("iterencode yields CPython's chunks", () => {
  test("generated values x options: same chunks, same error after the same chunks", async () => {
    const cases = fc.sample(fc.tuple(value, options), { numRuns: 800, seed: 13 });
    const expected = await py.call<[string[], [string, string] | null][]>(
      "iter_cases",
      cases.map(([v, o]) => [pySource(v), pyKwargs(o as Record<string, unknown>)]),
    );
    cases.forEach(([v, o], i) => {
      const chunks: string[] = [];
      let error: [string, string] | null = null;
      try {
        for (const c of new JSONEncoder(o).iterencode(v)) chunks.push(c);
      } catch (e) {
        const err = e as { pyType?: string; message: string };
        if (err.pyType === undefined) throw e;
        error = [err.pyType, err.message];
      }
      expect([chunks, error], `case ${pySource(v)} with ${pyKwargs(o as Record<string, unknown>)}`).toEqual(
        expected[i],
      );
    });
  });
});

describe("hand-picked cases", () => {
  test("mixed key types, sortKeys and skipkeys", async () => {
    const cases: [unknown, JSONEncoderOptions][] = [
      [
        new Map<unknown, unknown>([
          [1, "a"],
          ["b", 2],
        ]),
        { sortKeys: true },
      ],
      [
        new Map<unknown, unknown>([
          ["b", 2],
          [1, "a"],
        ]),
        { sortKeys: true },
      ],
      [
        new Map<unknown, unknown>([
          [null, 1],
          [2, 3],
        ]),
        { sortKeys: true },
      ],
      [
        new Map<unknown, unknown>([
          [2.5, 1],
          [2n, 3],
          [true, 4],
          [-1, 5],
        ]),
        { sortKeys: true },
      ],
      [
        new Map<unknown, unknown>([
          [NaN, 1],
          [2, 3],
          [1, 4],
          [0.5, 2],
        ]),
        { sortKeys: true },
      ],
      [new Map<unknown, unknown>([[new PyTuple([1, 2]), 1]]), {}],
      [
        new Map<unknown, unknown>([
          [new PyTuple([1, 2]), 1],
          ["a", 2],
        ]),
        { skipkeys: true },
      ],
      [
        new Map<unknown, unknown>([
          [new PyTuple([1, 2]), 1],
          [new PyTuple([1, 3]), 2],
        ]),
        { sortKeys: true },
      ],
      [
        new Map<unknown, unknown>([
          [new PyTuple([1, 2]), 1],
          [new PyTuple(["a"]), 2],
        ]),
        { sortKeys: true },
      ],
      [new Map<unknown, unknown>([[new Uint8Array([97]), 1]]), {}],
      [
        new Map<unknown, unknown>([
          [new Uint8Array([97]), 1],
          ["b", 2],
        ]),
        { sortKeys: true },
      ],
      [new Map<unknown, unknown>([[NaN, 1]]), { allowNan: false }],
      [new Map<unknown, unknown>([[Infinity, 1]]), { allowNan: false, indent: 2 }],
      [
        new Map<unknown, unknown>([
          ["\uffff", 1],
          ["\u{10000}", 2],
          ["\ud800", 3],
          ["a", 4],
        ]),
        { sortKeys: true },
      ],
      [{ "\uffff": 1, "\u{10000}": 2, "\ud800x": 3, a: 4 }, { sortKeys: true }],
      // A pair and a lone high surrogate + U+E000 share their first unit: the first differing
      // code points are the whole pair and the lone D83D (found by the property test, seed-dependent).
      [
        { "\u{1F600}": null, "\ud83d\ue000": 0, "\ud83d": 1, "\ude00": 2, "\ud83d\ud800\udc00": 3 },
        { sortKeys: true },
      ],
      [
        { "\u{1F600}": null, "\ud83d\ue000": 0 },
        { sortKeys: true, ensureAscii: false },
      ],
      [
        new Map<unknown, unknown>([
          [1, "a"],
          [2, "b"],
        ]),
        { skipkeys: true, indent: 0 },
      ],
      [new Map<unknown, unknown>([[new PyTuple([]), 1]]), { skipkeys: true, indent: 2 }],
      [new Set([1]), {}],
      [new Uint8Array([1, 2]), {}],
      [[1, new Set()], { indent: 2 }],
    ];
    await compareDumps(cases, false);
  });

  test("mixed key types in larger dicts (first run of CPython's sort)", async () => {
    const entries: [unknown, unknown][] = [];
    for (let i = 0; i < 40; i++) entries.push([i % 7 === 3 ? `k${i}` : i * 1.5, i]);
    await compareDumps([[new Map(entries), { sortKeys: true }]], false);
    const nanKeys = new Map<unknown, unknown>();
    for (let i = 0; i < 30; i++) nanKeys.set(i % 10 === 0 ? NaN : (i * 37) % 11, i);
    await compareDumps([[nanKeys, { sortKeys: true }]], false);
  });

  test("mixed key types past 64 keys: errors from CPython's run phase and first merge", async () => {
    const cases: [unknown, JSONEncoderOptions][] = [];
    for (const [n, at] of [
      [100, 80],
      [100, 50],
      [100, 10],
      [130, 129],
      [200, 3],
    ] as const) {
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) m.set(i === at ? "s" : (i * 7919) % 1009, i);
      cases.push([m, { sortKeys: true }]);
    }
    // Two sorted runs of different types: the error comes from merging them.
    const runs = new Map<unknown, unknown>();
    for (let i = 0; i < 70; i++) runs.set(i, i);
    for (let i = 0; i < 70; i++) runs.set(`k${i}`, i);
    cases.push([runs, { sortKeys: true }]);
    // Large total orders: any stable sort gives CPython's order.
    const big = new Map<unknown, unknown>();
    for (let i = 0; i < 500; i++) big.set(((i * 7919) % 1009) + (i % 3 === 0 ? 0.5 : 0), i);
    cases.push([big, { sortKeys: true }]);
    await compareDumps(cases, false);
  });
});
