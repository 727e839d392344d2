/**
 * The scanner's key cache against CPython: keys that share a cache slot (same length, first and
 * last unit, different middle), prefixes of each other, escaped, with control characters
 * (strict off), empty, longer than the cache holds, duplicated, `__proto__`; many per document
 * and across documents decoded in a row, in both models.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loads } from "../src/index.js";
import { ourOutcome, PY_OUTCOME, pyOutcomes } from "./decode-oracle.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_OUTCOME);
});
afterAll(async () => {
  await py.close();
});

// Key texts as they appear between the quotes in the document.
const colliding = fc
  .tuple(fc.constantFrom("a", "b", "é"), fc.string({ unit: "grapheme-ascii", minLength: 0, maxLength: 3 }))
  .map(([edge, mid]) => `${edge}${mid.replace(/["\\]/g, "x")}${edge}`);
const keyText = fc.oneof(
  colliding,
  colliding,
  fc.constantFrom(
    "",
    "a",
    "ab",
    "abc",
    "abcd",
    "__proto__",
    "constructor",
    "toString",
    "\\u0061b",
    'a\\"b',
    "a\\nb",
    "\\ud83d\\ude00",
    "😀",
    "\t",
    "x".repeat(64),
    "x".repeat(65),
    `${"x".repeat(64)}y`,
  ),
  fc.string({ unit: "grapheme-ascii", maxLength: 6 }).map((s) => s.replace(/["\\]/g, "_")),
);
const valueText = fc.oneof(
  fc.constantFrom('"v"', "null", "true", "1.5", "[]", "{}"),
  keyText.map((k) => `"${k}"`),
);
const objectText = fc
  .array(fc.tuple(keyText, valueText), { maxLength: 12 })
  .map((items) => `{${items.map(([k, v]) => `"${k}": ${v}`).join(", ")}}`);
const docText = fc.array(objectText, { minLength: 1, maxLength: 30 }).map((objs) => `[${objs.join(", ")}]`);

test("faithful model: keys through the cache are CPython's, across documents in a row", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(docText, { minLength: 30, maxLength: 30 }), async (texts) => {
      const want = await pyOutcomes(py, texts);
      expect(texts.map((t) => [t, ourOutcome(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
      const wantLax = await pyOutcomes(py, texts, { strict: false });
      expect(texts.map((t) => [t, ourOutcome(t, { strict: false })])).toEqual(
        texts.map((t, i) => [t, wantLax[i]]),
      );
    }),
    { numRuns: 25 },
  );
});

/** A natural-model value (strings, null, true, floats, arrays, objects) in CPython's tagged form. */
function tagNatural(v: unknown): unknown {
  if (v === null || typeof v !== "object") return typeof v === "number" ? { $f: String(v) } : v;
  if (Array.isArray(v)) return v.map(tagNatural);
  return { $d: Object.entries(v).map(([k, x]) => [k, tagNatural(x)]) };
}

test("natural model: keys through the cache are CPython's (the scanner, not JSON.parse)", async () => {
  // NaN sends a document to the scanner; integer-like keys are left out (a JS object orders them first).
  const natKey = keyText.filter((k) => !/^(0|[1-9]\d*)$/.test(k));
  const natObject = fc
    .array(fc.tuple(natKey, valueText), { maxLength: 12 })
    .map((items) => `{${items.map(([k, v]) => `"${k}": ${v}`).join(", ")}}`);
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.array(natObject, { minLength: 1, maxLength: 30 }).map((objs) => `[${objs.join(", ")}, NaN]`),
        { minLength: 30, maxLength: 30 },
      ),
      async (texts) => {
        const want = (await pyOutcomes(py, texts)) as { ok?: unknown; str?: string }[];
        const got = texts.map((t) => {
          try {
            const v = loads(t) as unknown[];
            return Number.isNaN(v.pop()) ? tagNatural(v) : "no NaN at the end";
          } catch (e) {
            return { err: (e as Error).message };
          }
        });
        const expected = want.map((w) => ("ok" in w ? (w.ok as unknown[]).slice(0, -1) : { err: w.str }));
        expect(texts.map((t, i) => [t, got[i]])).toEqual(texts.map((t, i) => [t, expected[i]]));
      },
    ),
    { numRuns: 15 },
  );
});

test("short keys stay cached across calls: a later document's key in the same slot is its own", async () => {
  // Same length, first and last unit: one slot. Keys under 13 units stay cached between calls.
  const texts = [
    '{"acb": 1}',
    '{"adb": 2}',
    '{"acb": 3, "adb": 4}',
    '{"a\\u0063b": 5}',
    '{"aeb": {"afb": 6}}',
  ];
  for (const model of ["faithful", "natural"] as const) {
    const want = await pyOutcomes(py, texts);
    const got = texts.map((t) => ourOutcome(t));
    expect(got).toEqual(want);
    for (const t of texts) loads(t, { model });
    expect(Object.keys(loads('{"agb": 0}') as object)).toEqual(["agb"]);
  }
});
