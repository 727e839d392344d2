import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ourOutcome, PY_OUTCOME, pyOutcomes } from "./decode-oracle.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_OUTCOME);
});
afterAll(async () => {
  await py.close();
});

// Hand-picked malformed and edge-case texts: every CPython message, at the edges of each check.
const TEXTS: string[] = [
  "",
  " ",
  "\n\n  ",
  "[",
  "]",
  "{",
  "}",
  "[1",
  "[1,",
  "[1,]",
  "[,1]",
  "[1 2]",
  "[1,,2]",
  "[1]]",
  "[1] x",
  '{"a"',
  '{"a":',
  '{"a":1',
  '{"a":1,',
  '{"a":1,}',
  '{"a" 1}',
  "{1:2}",
  "{'a':1}",
  '{"a":1 "b":2}',
  '{"a"::1}',
  '"abc',
  '"\\',
  '"\\x"',
  '"\\u"',
  '"\\u12',
  '"\\u1234',
  '"\\u1234"',
  '"\\u12x4"',
  '"\\uD800"',
  '"\\ud800\\u12x4"',
  '"\\ud800\\udc0"',
  '"\\ud800\\udc00"',
  '"\\ud800\\udc00',
  '"\\ud800\\u0041"',
  '"\\ud800\\',
  '"\\ud800\\"',
  '"\\ud800\\n"',
  '"\\udc00\\ud800"',
  '"a\u0001b"',
  '"\t"',
  '"\u001f"',
  '"\u007f"',
  '\u2028"x"',
  '"\u2028"',
  "-",
  "-x",
  "--1",
  "+1",
  "01",
  "-01",
  "1.",
  "1.e5",
  ".5",
  "1e",
  "1e+",
  "1e-",
  "1E5",
  "1e+5",
  "1.5e-3",
  "-0",
  "-0.0",
  "0e0",
  "1e400",
  "-1e400",
  "1e-400",
  "123456789012345678901234567890",
  "-9007199254740993",
  "9007199254740991",
  "nul",
  "null",
  "nulll",
  "tru",
  "true",
  "fals",
  "false",
  "NaN",
  "Nan",
  "nan",
  "Infinity",
  "Infinit",
  "-Infinity",
  "-Infinit",
  "-NaN",
  // a '-' starts a number unless "I" follows (the scanner tests numbers first)
  "-",
  "[-]",
  "[-I]",
  "[-Inf]",
  "[-Infinityx]",
  "[-x]",
  "[1, -",
  "[-Infinity, -1, -0, -12345678901234567890, -1.5e3, 12345678901234567890123]",
  '{"a": -Infinity, "b": -7}',
  "[--1]",
  "[-01]",
  "inf",
  "[NaN, Infinity, -Infinity]",
  "\ufeff1",
  "\ufeff",
  "1\ufeff",
  " \r\n\t1 \r\n\t",
  "\u00a01",
  "1\u00a0",
  "\f1",
  "\u000b1",
  "[1,\n2,\n3 x]",
  "\n\n\nx",
  "x\n",
  '"\ud83d\ude00" x',
  '["\ud83d\ude00", 1 x]',
  '"\ud83d" x',
  '"\ude00\ud83d" x',
  '{"\ud83d\ude00\ud83d\ude00":1 2}',
  "\u00e9\n\u00e9 x",
  '{"__proto__": {"a": 1}}',
  '{"a":1,"a":2,"b":3,"a":4}',
  '{"1":1,"b":2,"0":3}',
  "[[[[[]]]]]",
  "[[[[[]]]]",
  '{"a":{"b":{"c":[1,{"d":}]}}}',
  '"\\/\\b\\f\\n\\r\\t\\"\\\\"',
  "[1,2]\n[3]",
  "  []  ",
  "{} {}",
  "1 2",
  '"a" "b"',
  "[true false]",
  "[1e5.5]",
  "[0x10]",
];

describe("decode errors and edge cases match CPython exactly", () => {
  test("hand-picked texts (value or msg/pos/lineno/colno)", async () => {
    const expected = await pyOutcomes(py, TEXTS);
    const got = TEXTS.map((t) => ourOutcome(t));
    for (let i = 0; i < TEXTS.length; i++) expect([TEXTS[i], got[i]]).toEqual([TEXTS[i], expected[i]]);
  });

  test("strict: false accepts control characters as CPython does", async () => {
    const texts = ['"a\u0000b"', '"\u001f\n\t"', '{"\n":"\r"}', '"\u0001', '"\u0002\\x"'];
    const expected = await pyOutcomes(py, texts, { strict: false });
    expect(texts.map((t) => ourOutcome(t, { strict: false }))).toEqual(expected);
  });

  test("int digit limit (sys.int_info.default_max_str_digits) as CPython", async () => {
    const texts = [
      "1".repeat(4300),
      "1".repeat(4301),
      `-${"9".repeat(4301)}`,
      `[${"1".repeat(5000)}.5]`,
      `${"1".repeat(4300)}e1`,
    ];
    expect(texts.map((t) => ourOutcome(t))).toEqual(await pyOutcomes(py, texts));
  });
});
