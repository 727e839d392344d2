/**
 * The faithful model's dicts, gathered as key and value arrays and built in one pass when the
 * object closes, against CPython: repeated keys keep their first position and take their last
 * value (small objects and those past the scanned-key limit, nested and with hooks), and every
 * key stays a str.
 */

import { isPyDict, type PyDict } from "@x/pyobject";
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

// Few names, so objects repeat keys often; "\\u0061" is "a" written as an escape.
const key = fc.constantFrom('"a"', '"b"', '"1"', '"\\u0061"', '"__proto__"', '""', '"k"', '"é"', '"\\ud800"');
const leaf = fc.constantFrom("1", "-0", "2.5", '"s"', "null", "true", "[]", "{}", "12345678901234567890");
const json: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { weight: 3, arbitrary: leaf },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.array(fc.tuple(key, tie("v")), { maxLength: 8 }),
          fc.array(fc.tuple(key, tie("v")), { minLength: 9, maxLength: 30 }),
        )
        .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
    },
    { weight: 1, arbitrary: fc.array(tie("v"), { maxLength: 4 }).map((a) => `[${a.join(",")}]`) },
  ),
})).v;

test("objects with repeated keys, small and large, nested: CPython's dicts, order included", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(json, { minLength: 60, maxLength: 60 }), async (texts) => {
      const want = await pyOutcomes(py, texts);
      expect(texts.map((t) => [t, ourOutcome(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
    }),
    { numRuns: 40 },
  );
});

test("edge cases: every key repeated, repeats past 8 keys, empty objects, errors after a repeat", async () => {
  const many = Array.from({ length: 20 }, (_, i) => `"k${i % 7}": ${i}`).join(", ");
  const texts = [
    '{"a": 1, "a": 2}',
    '{"a": 1, "b": 2, "a": 3, "b": 4, "c": 5}',
    `{${many}}`,
    `{${Array.from({ length: 12 }, (_, i) => `"k${i}": ${i}`).join(", ")}, "k0": "last"}`,
    '[{"x": {}}, {}, {"x": {"x": 1, "x": {}}}]',
    '{"a": 1, "a": 2,}',
    '{"a": 1, "a" 2}',
    '{"a": [1, {"b": 1, "b": 2}], "a": 3}',
  ];
  const want = await pyOutcomes(py, texts);
  expect(texts.map((t) => [t, ourOutcome(t)])).toEqual(texts.map((t, i) => [t, want[i]]));
});

test('keys stay str: "1" is not the int 1; the dict takes later writes as a dict', () => {
  const d = loads('{"1": "s", "2": 2, "1": "t"}', { model: "faithful" }) as PyDict<unknown, unknown>;
  expect([...d.keys()]).toEqual(["1", "2"]);
  expect(d.get("1")).toBe("t");
  expect(d.has(1n)).toBe(false);
  d.set(1n, "int");
  expect(d.size).toBe(3);
  expect(d.get("1")).toBe("t");
  expect(d.get(1)).toBe("int");
});

test("objectHook sees each faithful dict built, innermost first", () => {
  const seen: unknown[] = [];
  const out = loads('{"a": {"b": 1, "b": 2}, "a": {"c": 3}}', {
    model: "faithful",
    objectHook: (o) => {
      expect(isPyDict(o)).toBe(true);
      seen.push([...(o as PyDict<string, unknown>).entries()]);
      return seen.length;
    },
  });
  expect(seen).toEqual([[["b", 2n]], [["c", 3n]], [["a", 2]]]);
  expect(out).toBe(3);
});
