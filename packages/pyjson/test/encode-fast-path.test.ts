/**
 * The encoder's fast paths against CPython's json.dumps, byte for byte: the table escaper that
 * writes `ensureAscii` text as bytes (runs of many strings crossing its buffer, long strings
 * past it, surrogates, non-ASCII separators and indents interleaved) and the float text.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps, encodeBasestringAscii, type JSONEncoderOptions } from "../src/index.js";
import { PY_HELPERS, pyKwargs, pySource } from "./encode-pysource.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_HELPERS);
});
afterAll(async () => {
  await py.close();
});

type Outcome = ["ok", string] | ["err", string, string];

async function compare(cases: [unknown, JSONEncoderOptions][], faithful = false): Promise<void> {
  const want = await py.call<Outcome[]>(
    "dumps_cases",
    cases.map(([v, o]) => [pySource(v, faithful), pyKwargs(o as Record<string, unknown>)]),
  );
  const got = cases.map(([v, o]): Outcome => ["ok", dumps(v, faithful ? { ...o, model: "faithful" } : o)]);
  for (let i = 0; i < cases.length; i++) expect(got[i], `case ${i}`).toEqual(want[i]);
}

const unit = fc.oneof(
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 12 }),
  fc.constantFrom(
    "\ud800",
    "\udfff",
    "\ud83d\ude00",
    "\x7f",
    '"',
    "\\",
    "\n",
    "\x00",
    "\x1f",
    "é",
    "\u2028",
    "\uffff",
  ),
);
const str = fc.array(unit, { maxLength: 6 }).map((a) => a.join(""));
const longStr = fc.array(unit, { minLength: 300, maxLength: 900 }).map((a) => a.join(""));
const options = fc.constantFrom<JSONEncoderOptions>(
  {},
  { separators: [",", ":"] },
  { separators: ["，", "："] },
  { indent: "→" },
  { indent: 1, sortKeys: true },
);

test("ensureAscii byte runs: many strings, long strings, non-ASCII separators (CPython's text)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.array(fc.oneof(str, str, longStr, fc.integer(), fc.double()), { maxLength: 3000 }),
            fc.dictionary(str, fc.oneof(str, fc.array(str, { maxLength: 5 })), { maxKeys: 300 }),
          ),
          options,
        ),
        { minLength: 4, maxLength: 4 },
      ),
      async (cases) => compare(cases),
    ),
    { numRuns: 12 },
  );
});

test("encodeBasestringAscii matches json.encoder.encode_basestring_ascii", async () => {
  await py.exec(
    "import json.encoder\ndef _eba(xs):\n    return [json.encoder.encode_basestring_ascii(x) for x in xs]",
  );
  const xs = [...fc.sample(str, { numRuns: 400, seed: 9 }), ...fc.sample(longStr, { numRuns: 20, seed: 9 })];
  expect(xs.map(encodeBasestringAscii)).toEqual(await py.call<string[]>("_eba", xs));
});

test("floats at repr's boundaries (exponent switch, 17 digits, subnormals) as CPython writes them", async () => {
  const edges: number[] = [];
  for (let e = -330; e <= 310; e++) {
    const x = 10 ** e;
    if (Number.isFinite(x))
      edges.push(x, -x, x * 1.0000000000000002, x / 1.0000000000000002, x * 9.999999999999998);
  }
  const random = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 3000, seed: 13 });
  const bits = fc.sample(
    fc.bigUint64Array({ minLength: 1, maxLength: 1 }).map((a) => new Float64Array(a.buffer)[0]!),
    { numRuns: 2000, seed: 17 },
  );
  const all = [
    ...edges,
    ...random,
    ...bits.filter(Number.isFinite),
    5e-324,
    2.2250738585072014e-308,
    1e16,
    1e-4,
    9999999999999998,
  ];
  await compare([[all, {}]]);
  await compare([[all, {}]], true);
});

test("integral numbers past 2**53 (natural model) as CPython's exact int, as values and as keys", async () => {
  const xs: number[] = [];
  for (let k = 53; k <= 1023; k++) {
    const p = 2 ** k;
    xs.push(p, -p, p * (2 - 2 ** -52), p + 2 ** (k - 52), p * 1.5);
  }
  const bits = fc.sample(
    fc.bigUint64Array({ minLength: 1, maxLength: 1 }).map((a) => new Float64Array(a.buffer)[0]!),
    { numRuns: 3000, seed: 23 },
  );
  xs.push(
    ...bits.filter((x) => Number.isFinite(x) && Math.abs(x) > 2 ** 53),
    1e21,
    1e22,
    1e300,
    Number.MAX_VALUE,
  );
  // Many in one array (the digits share one byte run) and as keys (the string path).
  await compare([
    [xs, {}],
    [xs, { indent: 1 }],
    [new Map(xs.slice(0, 500).map((x, i) => [x, i])), {}],
    [{ a: xs.slice(0, 50), b: "é", c: xs.slice(-50) }, { ensureAscii: false }],
  ]);
});

test("ints of every size written as digits among strings, escapes and floats, across byte runs", async () => {
  const int = fc.oneof(
    fc.integer({ min: -9, max: 9 }),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.constantFrom(
      2 ** 31,
      -(2 ** 31),
      2 ** 31 - 1,
      2 ** 53,
      -(2 ** 53),
      2 ** 53 - 1,
      10 ** 15,
      10 ** 16,
      0,
      -0,
    ),
    fc.double({ min: -1e300, max: 1e300, noNaN: true }).map(Math.trunc),
  );
  const item = fc.oneof(int, int, str, longStr, fc.double());
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.array(item, { minLength: 1000, maxLength: 6000 }),
            fc.dictionary(str, fc.oneof(int, fc.array(item, { maxLength: 8 })), { maxKeys: 200 }),
          ),
          fc.constantFrom<JSONEncoderOptions>(
            {},
            { ensureAscii: false },
            { separators: ["，", ":"] },
            { indent: 2 },
          ),
        ),
        { minLength: 3, maxLength: 3 },
      ),
      async (cases) => compare(cases),
    ),
    { numRuns: 8, endOnFailure: true },
  );
});
