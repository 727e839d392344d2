/**
 * The natural model's JSON.parse fast path (with its big-int rewrite) against CPython: texts built
 * to sit on its decisions (ints around 2**53 and far beyond, `-0` in every context, digit runs and
 * delimiters inside strings, `\u0000`, big ints where keys go, leading zeros, lone surrogates,
 * duplicate and `__proto__` keys, NaN), valid and mutated, give CPython's value or error.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { JSONDecodeError, loads } from "../src/index.js";
import { ourOutcome, PY_OUTCOME, pyOutcomes } from "./decode-oracle.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_OUTCOME);
});
afterAll(async () => {
  await py.close();
});

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** CPython's tagged value in the natural model: ints beyond ±(2**53-1) bigint, dicts objects. */
function natural(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(natural);
  const t = v as { $i?: string; $f?: string; $d?: Array<[string, unknown]> };
  if (t.$i !== undefined) {
    const big = BigInt(t.$i);
    return big > MAX_SAFE || big < -MAX_SAFE ? big : Number(big);
  }
  if (t.$f !== undefined)
    return t.$f === "inf"
      ? Infinity
      : t.$f === "-inf"
        ? -Infinity
        : t.$f === "nan"
          ? Number.NaN
          : Number(t.$f);
  const out: Record<string, unknown> = {};
  for (const [k, x] of t.$d!)
    Object.defineProperty(out, k, {
      value: natural(x),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  return out;
}

function ours(s: string): unknown {
  try {
    return { ok: loads(s) };
  } catch (e) {
    if (JSONDecodeError.isInstance(e)) return { err: e.message, pos: e.pos };
    return { err: (e as Error).message };
  }
}

function theirs(o: { ok?: unknown; err?: string; str?: string; pos?: number }): unknown {
  if ("ok" in o) return { ok: natural(o.ok) };
  return o.err === "JSONDecodeError" ? { err: o.str, pos: o.pos } : { err: o.str };
}

const ws = fc.constantFrom("", "", " ", "\n", "\t", "\r");
const bigDigits = fc.oneof(
  fc.bigInt({ min: 10n ** 14n, max: 10n ** 17n }),
  fc.bigInt({ min: MAX_SAFE - 3n, max: MAX_SAFE + 3n }),
  fc.bigInt({ min: 10n ** 17n, max: 10n ** 40n }),
);
const int = fc.oneof(
  bigDigits.map(String),
  bigDigits.map((b) => `-${b}`),
  fc.integer().map(String),
  fc.constantFrom("-0", "0", "-0.0", "-0e0", "-0E+1", "01234567890123456789", "-01234567890123456789"),
);
const float = fc.oneof(
  bigDigits.map((b) => `${b}.5`),
  bigDigits.map((b) => `0.${b}`),
  bigDigits.map((b) => `1e-${b}`),
  bigDigits.map((b) => `${b}e2`),
  bigDigits.map((b) => `${b}E-1`),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom("NaN", "-Infinity", "1E400"),
);
// String bodies that look like the fast path's tokens.
const strBody = fc
  .array(
    fc.oneof(
      int,
      float,
      fc.constantFrom(
        ",",
        "]",
        "}",
        ":",
        " ",
        "[",
        "-",
        "\\u0000",
        "\\\\",
        '\\"',
        "\\ud800",
        "\\udc00",
        "é",
        "😀",
        "a",
      ),
    ),
    { maxLength: 5 },
  )
  .map((parts) => `"${parts.join("")}"`);
const key = fc.oneof(strBody, fc.constantFrom('"__proto__"', '"a"', '"a"', '"1"'), int);
const leaf = fc.oneof(int, int, float, strBody, fc.constantFrom("true", "null"));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, leaf, tie("array"), tie("object")),
  array: fc
    .array(fc.tuple(ws, tie("value"), ws), { maxLength: 5 })
    .map((items) => `[${items.map(([a, v, b]) => `${a}${v}${b}`).join(",")}]`),
  object: fc
    .array(fc.tuple(ws, key, ws, tie("value")), { maxLength: 5 })
    .map((items) => `{${items.map(([a, k, b, v]) => `${a}${k}${b}:${v}`).join(",")}}`),
}));
const doc = fc.tuple(ws, value as fc.Arbitrary<string>, ws).map(([a, v, b]) => `${a}${v}${b}`);
const mutated = fc
  .tuple(
    doc,
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom('"', ",", ":", "\\", "0", "-", "")), {
      minLength: 1,
      maxLength: 2,
    }),
  )
  .map(([t, edits]) => {
    let s = t;
    for (const [at, drop, ins] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(i + drop);
    }
    return s;
  });

test("natural model: CPython's value or error on texts built around the fast path", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(doc, doc, mutated), { minLength: 80, maxLength: 80 }),
      async (texts) => {
        const want = (await pyOutcomes(py, texts)).map(theirs);
        expect(texts.map((t) => [t, ours(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
      },
    ),
    { numRuns: Number(process.env.FAST_PATH_RUNS ?? 40) },
  );
});

/** Texts on the big-int rewrite's decisions. */
function rewriteEdgeTexts(): string[] {
  return [
    "12345678901234567890",
    "-12345678901234567890",
    "[9007199254740991, 9007199254740992, -9007199254740992, 1234567890123456]",
    '{"a": 12345678901234567890, "__proto__": 98765432109876543210}',
    '{"a": 1, 12345678901234567890: 2}',
    '{"a": 1, 12345678901234567890 : 2}',
    '["x", 12345678901234567890, "\\u0000y"]',
    '["a, 12345678901234567890, b"]',
    '["a\\", 12345678901234567890, \\"b"]',
    '["\\-12345678901234567890"]',
    "[012345678901234567890]",
    "[12345678901234567890 , 1]",
    "[12345678901234567890\n]",
    "[12345678901234567890x]",
    "[1, 12345678901234567890, NaN]",
    "[-0, 12345678901234567890]",
    '["-0", "a -0 ", "-0,"]',
    `[${Array.from({ length: 300 }, (_, i) => `${i % 2 ? "-" : ""}1234567890123456${i + 1000}`).join(", ")}]`,
    `[${Array.from({ length: 300 }, (_, i) => `{"id": ${BigInt(i) + 10n ** 20n}, "pad": "${"x".repeat(200)}"}`).join(", ")}]`,
    " 12345678901234567890 ",
    `[${"9".repeat(4300)}]`,
    `[${"9".repeat(4301)}]`,
    `[1, 2, ${"9".repeat(4301)}, ${"8".repeat(5000)}]`,
    // a bare string whose digits look like a big int value (found by the property above)
    '",000000000000000000000000000000000000000,"',
    '" ,12345678901234567890,"',
    ' ",12345678901234567890 "',
  ];
}

test("natural model: the big-int rewrite's edge cases match CPython", async () => {
  const texts = rewriteEdgeTexts();
  const want = (await pyOutcomes(py, texts)).map(theirs);
  expect(texts.map((t) => [t, ours(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
  expect(typeof (loads("[12345678901234567890]") as unknown[])[0]).toBe("bigint");
});

test("faithful model: CPython's value or error on texts built around the fast path", async () => {
  // Array documents of floats and strings only take JSON.parse in the faithful model.
  const floatsDoc = fc
    .array(fc.tuple(ws, fc.oneof(float, strBody, fc.constantFrom("true", "null", "[]", "[1.5]")), ws), {
      maxLength: 8,
    })
    .map((items) => `[${items.map(([a, v, b]) => `${a}${v}${b}`).join(",")}]`);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(doc, mutated, floatsDoc, floatsDoc), { minLength: 80, maxLength: 80 }),
      async (texts) => {
        const want = await pyOutcomes(py, texts);
        expect(texts.map((t) => [t, ourOutcome(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
      },
    ),
    { numRuns: Number(process.env.FAST_PATH_RUNS ?? 40) },
  );
});

test("faithful model: the JSON.parse path's edge cases match CPython", async () => {
  const pad = `"${"x".repeat(5000)}"`;
  const texts = [
    '[1.0, 2.5, -0.0, 1e400, -1E400, 5e-324, 1e16, [3.0, ["s"]], true, null]',
    "[1.5, 2]",
    "[1.5,2]",
    "[2 , 1.5]",
    "[[1.5], [7]]",
    `[1${"0".repeat(400)}]`,
    `[1.5, -${"9".repeat(400)}]`,
    `[${pad}, 1.0, 7]`,
    `[${pad}, 1.0, -0]`,
    `[${pad}, 1.0, "-0", " 9 ", "[1]"]`,
    `[${pad}, 1.5, {"a": 1.5}]`,
    `[${pad}, 1.5, [{}]]`,
    '[" 9 ", 1.5, "{", "[{", 2.0]',
    '["\\ud800", "\\udc00x", "\\u00e9"]',
    "[NaN, 1.5]",
    "[Infinity]",
    "[1.5, ]",
    " [1.5] ",
    "\n[\t1.5\r]\n",
    '["a\tb"]',
  ];
  const want = await pyOutcomes(py, texts);
  expect(texts.map((t) => [t, ourOutcome(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
  const strictOff = ['["a\tb", 1.5]', "[1.5, 2.0]"];
  const wantLax = await pyOutcomes(py, strictOff, { strict: false });
  expect(strictOff.map((t) => [t, ourOutcome(t, { strict: false })])).toEqual(
    strictOff.map((t, i) => [t, wantLax[i]]),
  );
});

// Texts up to 8 KiB are parsed by JSON.parse first, so an invalid one never reaches the rewrite:
// leading whitespace past that size sends every text through the scan and the rewrite.
const PAD = " ".repeat(8200);

test("natural model: the big-int rewrite's edge cases match CPython in texts over 8 KiB", async () => {
  const texts = [
    ...rewriteEdgeTexts(),
    '{"a": 12345678901234567890 , "b": -98765432109876543210}',
    '{"a": 12345678901234567890 :1}',
    "[1, 12345678901234567890: 2]",
    "[-012345678901234567890]",
    "[ 12345678901234567890]",
    "[1234567890123456,9007199254740993]",
  ].map((t) => PAD + t);
  const want = (await pyOutcomes(py, texts)).map(theirs);
  expect(texts.map((t) => [t, ours(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
});

test("natural model: CPython's value or error on texts over 8 KiB built around the fast path", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(doc, doc, mutated), { minLength: 80, maxLength: 80 }),
      async (docs) => {
        const texts = docs.map((t) => PAD + t);
        const want = (await pyOutcomes(py, texts)).map(theirs);
        expect(texts.map((t) => [t, ours(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
      },
    ),
    { numRuns: Number(process.env.FAST_PATH_RUNS ?? 20) },
  );
});

// Texts over 8 KiB with sparse big ints: JSON.parse reads the text as is and the big numbers are
// paired with the scanned int tokens by double (no rewrite), unless a float could give a big
// number, two tokens share a double, or the pairing in document order fails.
test("natural model: big ints paired by double without a rewrite match CPython", async () => {
  const E20 = "100000000000000000000"; // 10**20 and 10**20 + 1 are one double
  const E20b = "100000000000000000001";
  const records = Array.from(
    { length: 60 },
    (_, i) => `{"id": ${BigInt(i) * 7919n + 10n ** 18n}, "n": ${i}, "s": "caf\\u00e9 ${i}", "x": 0.5}`,
  ).join(", ");
  const texts = [
    `[${records}]`,
    `[${records}, {"id": 1e20}, ${E20}]`,
    `[1e20, ${E20}]`,
    `[${E20}, 1E+20]`,
    `[${E20}, 1.0e20, -1e20, -${E20}]`,
    `[${E20}, 1e0020]`,
    `[${E20}, 100000000000000000000.0]`,
    `[${E20}, 100000000000000000000e0]`,
    `[1e-20, ${E20}, 5e-1]`,
    `[" ${E20b} ,", ${E20}]`,
    // a false alarm in a string that lets a big float take an int's place in the pairing
    `[" ${E20} ,", 1e20, ${E20}]`,
    `[" ${E20} ,", 1E+20, ${E20}]`,
    `[" ${E20} ,", 100000000000000000000.0, ${E20}]`,
    `[" ${E20} ,", -100000000000000000000.5e0, -${E20}]`,
    `[" ${E20} ,", 100000000000000000000e-0, ${E20}]`,
    `[" ${E20} ,", 1000000000000000000000E-1, ${E20}]`,
    `[" ${E20} ,", ${E20}]`,
    `["\\u00e9", ${E20}, "\\u12e5", 2e5]`,
    `{"b": ${E20b}, "1": ${E20}}`,
    `{"b": ${E20b}, "1": 200000000000000000000}`,
    `{"a": ${E20b}, "b": 5, "a": ${E20}}`,
    `{"a": 7, "b": ${E20b}, "a": ${E20}}`,
    `{"a": 300000000000000000000, "b": ${E20b}, "a": ${E20}}`,
    `{"__proto__": ${E20b}, "a": [${E20}, {"__proto__": -${E20}}]}`,
    `[123456789012345678901, 123456789012345678901, -123456789012345678901]`,
    `[1${"0".repeat(400)}]`,
    `[1${"0".repeat(400)}, 2${"0".repeat(400)}]`,
    `[1${"0".repeat(400)}, 1${"0".repeat(400)}]`,
    `[1${"0".repeat(400)}, 1e400]`,
    `${"[".repeat(300)}${E20}${"]".repeat(300)}`,
    `[${"[".repeat(300)}1${"]".repeat(300)}, ${E20}]`,
    `[${E20}, ${"9".repeat(4301)}]`,
    `[${E20}, "\\u0000"]`,
    `[${E20}, 1e20`,
  ].map((t) => PAD + t);
  const want = (await pyOutcomes(py, texts)).map(theirs);
  expect(texts.map((t) => [t, ours(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
  const got = loads(`${PAD}[${records}, ${E20b}]`) as unknown[];
  expect(got[60]).toBe(10n ** 20n + 1n);
  expect((got[0] as { id: unknown }).id).toBe(10n ** 18n);
});
