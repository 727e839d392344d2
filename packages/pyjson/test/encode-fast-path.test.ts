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

/** The next double away from zero / towards zero (one ulp off). */
function nextUp(x: number, dir: 1 | -1): number {
  const f = new Float64Array([x]);
  const u = new BigInt64Array(f.buffer);
  u[0] = u[0]! + BigInt(dir);
  return f[0]!;
}

test("floats of at most two decimals (written as digits) and their neighbours, as CPython writes them", async () => {
  // k/100 over every magnitude the digit path takes and past its bounds (0.01, 1e13), each with
  // the doubles one ulp away (no longer two-decimal: repr has 17 digits), negatives and -0.0.
  const ks = fc.sample(
    fc.oneof(
      fc.integer({ min: -10_000, max: 10_000 }),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.double({ min: -1e18, max: 1e18, noNaN: true }).map(Math.trunc),
    ),
    { numRuns: 3000, seed: 29 },
  );
  const xs: number[] = [];
  for (const k of ks) xs.push(k / 100, k / 10);
  for (let e = -3; e <= 17; e++) {
    const p = 10 ** e;
    xs.push(p, p - 0.01, p + 0.01, p - 0.1, p + 0.05, 2 ** (e + 30) / 100, -p / 100);
  }
  xs.push(0.01, 0.009999999999999998, 0.005, 9999999999999.99, 1e13 - 0.01, 1e13 + 0.01, 0.1 + 0.2, -0);
  for (const x of xs.slice()) if (x !== 0) xs.push(nextUp(x, 1), nextUp(x, -1));
  // Many in one array (one byte run), between strings that close and open runs, and as values.
  const mixed = xs.flatMap((x, i) => (i % 7 === 0 ? [x, "é", `s${i}`] : [x]));
  await compare([
    [xs, {}],
    [mixed, {}],
    [{ a: xs.slice(0, 300), b: Object.fromEntries(xs.slice(0, 200).map((x, i) => [`k${i}`, x])) }, {}],
    [mixed, { ensureAscii: false }],
  ]);
  await compare(
    [
      [xs, {}],
      [mixed, {}],
    ],
    true,
  );
});

test("safe ints of every digit count (written as digits, two at a time) as CPython writes them", async () => {
  const xs: number[] = [0, -0, 1, -1];
  for (let e = 1; e <= 16; e++) {
    const p = 10 ** e;
    xs.push(p, p - 1, p + 1, -p, -(p - 1), p / 2, p * 9 + 9);
  }
  for (let k = 0; k <= 53; k++) xs.push(2 ** k, 2 ** k - 1, -(2 ** k), 2 ** k + 1);
  xs.push(
    ...fc.sample(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -999, max: 999 })), {
      numRuns: 4000,
      seed: 31,
    }),
  );
  // 100000001 ... : zeros inside the low eight digits and at the split.
  xs.push(100000001, 2147483648, 2147483647, 4294967296, 100000000000000, 1000000000000001, 9007199254740992);
  await compare([
    [xs, {}],
    [xs.map((x, i) => (i % 5 === 0 ? [x, "ü"] : x)), {}],
  ]);
});

test("every code unit's \\uXXXX escape, in the sink's byte run and in the growing scratch buffer, alternating (CPython's text)", async () => {
  // Each unit after printable ASCII (the escape loop starts at the first unit to escape), in
  // 64-unit strings that the sink writes into its byte run, between strings too long for it
  // (escaped in the scratch buffer, which grows): the escaper's view must follow the buffer.
  await py.exec(
    "import json.encoder\ndef _eba(xs):\n    return [json.encoder.encode_basestring_ascii(x) for x in xs]",
  );
  const all = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c));
  const items: string[] = [];
  for (let c = 0; c < 0x10000; c += 64) {
    items.push(`ab${all.slice(c, c + 64).join("")}`);
    if (c % 0x2000 === 0) {
      const n = 11000 + 4 * c;
      items.push(`x${all.slice(0, n % 0x10000).join("")}${"é".repeat(Math.max(0, n - 0x10000))}`);
    }
  }
  await compare([
    [items, {}],
    [items.slice(0, 300), { separators: [",", ":"] }],
    [Object.fromEntries(items.slice(0, 200).map((s, i) => [s, i])), {}],
  ]);
  expect(items.map(encodeBasestringAscii)).toEqual(await py.call<string[]>("_eba", items));
});

test("strings escaped in one pass up to 256 units, past it through the regex and the rope (CPython's text)", async () => {
  const cases: [unknown, JSONEncoderOptions][] = [];
  for (const n of [0, 1, 63, 64, 65, 255, 256, 257, 300])
    for (const edge of ["", '"', "\\", "\n", "é", "\ud800", "\ud83d\ude00", "\x7f", "\x00"]) {
      const body = "a".repeat(Math.max(0, n - edge.length));
      const plain = body + edge;
      const head = edge + body;
      cases.push([[plain, head, 7, plain, { [head]: plain }], {}]);
      cases.push([[1, plain, 2.5, head, "x"], { ensureAscii: true, separators: [",", ":"] }]);
      cases.push([[plain, head], { ensureAscii: false }]);
      cases.push([{ k: [plain, head] }, { indent: 2 }]);
    }
  await compare(cases);
});
