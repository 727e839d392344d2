/**
 * Differential fuzzing against CPython: random JSON texts (valid, with Python's extensions, and
 * mutated into invalid ones) give the same value or the same error (msg, pos, lineno, colno)
 * here as in CPython's json.loads, as strings and as UTF-8/16/32 bytes; and the natural model
 * (JSON.parse fast path included) agrees with the scanner.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { JSONDecoder, loads } from "../src/index.js";
import { ourOutcome, PY_OUTCOME, pyOutcomes } from "./decode-oracle.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_OUTCOME);
});
afterAll(async () => {
  await py.close();
});

const ws = fc.constantFrom("", "", "", " ", "\n", "\t", "\r\n", "  ");
const strChar = fc.oneof(
  fc.constantFrom(
    "a",
    "Z",
    " ",
    "\u00e9",
    "\ud83d\ude00",
    "\ud800",
    "\udc00",
    "\u2028",
    "\u0000",
    "\t",
    "\u007f",
    "\ufeff",
  ),
  fc.constantFrom(
    '\\"',
    "\\\\",
    "\\/",
    "\\b",
    "\\f",
    "\\n",
    "\\r",
    "\\t",
    "\\u0041",
    "\\ud83d\\ude00",
    "\\ud800",
    "\\udc00x",
    "\\ud800\\u0041",
  ),
);
const str = fc.array(strChar, { maxLength: 6 }).map((cs) => `"${cs.join("")}"`);
const num = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.double().map((d) => (Number.isFinite(d) ? String(d) : "1.5")),
  fc.constantFrom(
    "-0",
    "-0.0",
    "0e0",
    "1E400",
    "-1e-400",
    "1.0",
    "9007199254740993",
    "123.456e-7",
    "NaN",
    "Infinity",
    "-Infinity",
  ),
);
const leaf = fc.oneof(num, str, fc.constantFrom("true", "false", "null"));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
  array: fc
    .tuple(fc.array(fc.tuple(ws, tie("value"), ws), { maxLength: 4 }), ws)
    .map(([items, w]) => `[${w}${items.map(([a, v, b]) => `${a}${v}${b}`).join(",")}]`),
  object: fc
    .tuple(fc.array(fc.tuple(ws, str, ws, ws, tie("value"), ws), { maxLength: 4 }), ws)
    .map(([items, w]) => `{${w}${items.map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`).join(",")}}`),
}));
const docText = fc.tuple(ws, value as fc.Arbitrary<string>, ws).map(([a, v, b]) => `${a}${v}${b}`);

// Mutations that break texts in the ways parsers get broken: drop, duplicate, insert, truncate.
const piece = fc.constantFrom(
  "",
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  '"',
  "\\",
  "\\u",
  "-",
  "0",
  "1",
  ".",
  "e",
  "+",
  "n",
  "N",
  "I",
  " ",
  "\n",
  "\u0001",
  "x",
  "\ud83d\ude00",
);
const mutated = fc
  .tuple(docText, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), piece), { minLength: 1, maxLength: 3 }))
  .map(([t, edits]) => {
    let s = t;
    for (const [at, drop, ins] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(i + drop);
    }
    return s;
  });
const anyText = fc.oneof(docText, mutated, mutated);

const CONSTANTS = (n: string): number => (n === "NaN" ? Number.NaN : n === "Infinity" ? Infinity : -Infinity);
const scannerOnly = new JSONDecoder({ parseConstant: CONSTANTS });

test("random texts: same value or same error as CPython (str input)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(anyText, { minLength: 60, maxLength: 60 }), async (texts) => {
      const want = await pyOutcomes(py, texts);
      expect(texts.map((t) => ourOutcome(t))).toEqual(want);
    }),
    { numRuns: 25 },
  );
});

test("random texts as UTF-8/16/32 bytes: same value or error as CPython", async () => {
  await py.exec(
    "def _encode_all(texts):\n    encs = ('utf-8', 'utf-8-sig', 'utf-16-le', 'utf-16-be', 'utf-16', 'utf-32-le', 'utf-32-be', 'utf-32')\n    return [t.encode(encs[i % len(encs)], 'surrogatepass') for i, t in enumerate(texts)]",
  );
  await fc.assert(
    fc.asyncProperty(fc.array(anyText, { minLength: 40, maxLength: 40 }), async (texts) => {
      const docs = await py.call<Uint8Array[]>("_encode_all", texts);
      const want = await pyOutcomes(py, docs);
      expect(docs.map((d) => ourOutcome(d))).toEqual(want);
    }),
    { numRuns: 10 },
  );
});

test("random bytes: same UnicodeDecodeError or value as CPython", async () => {
  const bytes = fc.uint8Array({ maxLength: 12 }).map((b) => {
    const out = new Uint8Array(b.length + 2);
    out[0] = 0x22;
    out.set(b, 1);
    out[out.length - 1] = 0x22;
    return out;
  });
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(bytes, fc.uint8Array({ maxLength: 8 })), { minLength: 80, maxLength: 80 }),
      async (docs) => {
        expect(docs.map((d) => ourOutcome(d))).toEqual(await pyOutcomes(py, docs));
      },
    ),
    { numRuns: 15 },
  );
});

test("natural model: the JSON.parse fast path agrees with the scanner", () => {
  fc.assert(
    fc.property(anyText, (t) => {
      let a: unknown;
      let b: unknown;
      try {
        a = loads(t);
      } catch (e) {
        a = { error: (e as Error).message };
      }
      try {
        b = t.charCodeAt(0) === 0xfeff ? loads(t) : scannerOnly.decode(t);
      } catch (e) {
        b = { error: (e as Error).message };
      }
      expect(a).toEqual(b);
    }),
    { numRuns: 3000 },
  );
});
