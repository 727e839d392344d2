/**
 * CPython 3.11's `Lib/test/test_json` decoder tests, ported (test_decode, test_fail, test_float,
 * test_pass1-3, test_scanstring, test_unicode, and test_speedups' decoder part where it means
 * something here). Where CPython asserts only "raises", we also compare the full outcome with
 * the running CPython.
 */
import { readFileSync } from "node:fs";
import { PyTypeError, PyValueError } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JSONDecodeError, JSONDecoder, load, loads, scanstring, UnicodeDecodeError } from "../src/index.js";
import { ourOutcome, PY_OUTCOME, pyOutcomes } from "./decode-oracle.js";

const DATA = new URL("./data/cpython-test-json/", import.meta.url);
const read = (f: string): string => readFileSync(new URL(f, DATA), "utf8");

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_OUTCOME);
});
afterAll(async () => {
  await py.close();
});

function err(fn: () => unknown): JSONDecodeError {
  try {
    fn();
  } catch (e) {
    if (JSONDecodeError.isInstance(e)) return e;
    throw e;
  }
  throw new Error("expected JSONDecodeError");
}

function expectError(data: string, msg: string, pos: number, line = 1, col = pos + 1): void {
  const e = err(() => loads(data));
  expect([data, e.msg, e.pos, e.lineno, e.colno, e.message]).toEqual([
    data,
    msg,
    pos,
    line,
    col,
    `${msg}: line ${line} column ${col} (char ${pos})`,
  ]);
}

describe("test_decode", () => {
  test("test_decimal / test_float: parse_float and parse_int", () => {
    expect(loads("1.1", { parseFloat: (t) => ({ decimal: t }) })).toEqual({ decimal: "1.1" });
    expect(loads("1", { parseInt: Number.parseFloat, model: "faithful" })).toBe(1);
  });
  test("test_empty_objects", () => {
    expect([loads("{}"), loads("[]"), loads('""')]).toEqual([{}, [], ""]);
  });
  test("test_object_pairs_hook", async () => {
    const s = '{"xkd":1, "kcw":2, "art":3, "hxm":4, "qrt":5, "pad":6, "hoy":7}';
    const p = [
      ["xkd", 1],
      ["kcw", 2],
      ["art", 3],
      ["hxm", 4],
      ["qrt", 5],
      ["pad", 6],
      ["hoy", 7],
    ];
    expect(loads(s)).toEqual(Object.fromEntries(p));
    expect(loads(s, { objectPairsHook: (x) => x })).toEqual(p);
    const stream = new ReadableStream<string>({
      start(c) {
        c.enqueue(s);
        c.close();
      },
    });
    expect(await load(stream, { objectPairsHook: (x) => x })).toEqual(p);
    const od = loads(s, { objectPairsHook: (x) => new Map(x) });
    expect(od).toEqual(new Map(p as Array<[string, number]>));
    expect(loads(s, { objectPairsHook: (x) => new Map(x), objectHook: () => null })).toEqual(od);
    expect(loads("{}", { objectPairsHook: (x) => new Map(x) })).toEqual(new Map());
    expect(loads('{"empty": {}}', { objectPairsHook: (x) => new Map(x) })).toEqual(
      new Map([["empty", new Map()]]),
    );
  });
  test("test_decoder_optimizations", () => {
    expect(loads('{   "key"    :    "value"    ,  "k":"v"    }')).toEqual({ key: "value", k: "v" });
  });
  test("test_extra_data / test_invalid_escape", () => {
    expect(err(() => loads("[1, 2, 3]5")).msg).toBe("Extra data");
    expect(err(() => loads('["abc\\y"]')).msg).toMatch(/escape/);
  });
  test("test_invalid_input_type", () => {
    for (const v of [1, 3.14, [], {}, null]) {
      let e: unknown;
      try {
        loads(v as unknown as string);
      } catch (x) {
        e = x;
      }
      expect(PyTypeError.isInstance(e)).toBe(true);
      expect((e as Error).message).toMatch(/^the JSON object must be str/);
    }
  });
  test("test_string_with_utf8_bom", async () => {
    const bom = "\ufeff[1,2,3]";
    expect(err(() => loads(bom)).message).toContain("BOM");
    await expect(
      load(new Blob([bom]).stream().pipeThrough(new TextDecoderStream("utf-8", { ignoreBOM: true }))),
    ).rejects.toSatisfy((e) => JSONDecodeError.isInstance(e) && e.message.includes("BOM"));
    expect(loads('"\ufeff"')).toBe("\ufeff");
  });
  test("test_negative_index", () => {
    expect(() => new JSONDecoder().rawDecode("a".repeat(42), -50000)).toThrow(PyValueError);
  });
  test("test_limit_int", () => {
    loads("1".repeat(4300));
    expect(() => loads("1".repeat(4301))).toThrow(PyValueError);
  });
});

describe("test_fail", () => {
  const docs = JSON.parse(read("fail-docs.json")) as string[];
  test("test_failures: every JSON_checker fail document fails (except 1 and 18) as in CPython", async () => {
    expect(docs).toHaveLength(34);
    docs.forEach((doc, i) => {
      if (i + 1 === 1 || i + 1 === 18) loads(doc);
      else expect(JSONDecodeError.isInstance(ourOutcome(doc) && err(() => loads(doc)))).toBe(true);
    });
    expect(docs.map((d) => ourOutcome(d))).toEqual(await pyOutcomes(py, docs));
  });
  test("test_truncated_input", () => {
    const cases: Array<[string, string, number]> = [
      ["", "Expecting value", 0],
      ["[", "Expecting value", 1],
      ["[42", "Expecting ',' delimiter", 3],
      ["[42,", "Expecting value", 4],
      ['["', "Unterminated string starting at", 1],
      ['["spam', "Unterminated string starting at", 1],
      ['["spam"', "Expecting ',' delimiter", 7],
      ['["spam",', "Expecting value", 8],
      ["{", "Expecting property name enclosed in double quotes", 1],
      ['{"', "Unterminated string starting at", 1],
      ['{"spam', "Unterminated string starting at", 1],
      ['{"spam"', "Expecting ':' delimiter", 7],
      ['{"spam":', "Expecting value", 8],
      ['{"spam":42', "Expecting ',' delimiter", 10],
      ['{"spam":42,', "Expecting property name enclosed in double quotes", 11],
      ['"', "Unterminated string starting at", 0],
      ['"spam', "Unterminated string starting at", 0],
    ];
    for (const [data, msg, idx] of cases) expectError(data, msg, idx);
  });
  test("test_unexpected_data", () => {
    const cases: Array<[string, string, number]> = [
      ["[,", "Expecting value", 1],
      ['{"spam":[}', "Expecting value", 9],
      ["[42:", "Expecting ',' delimiter", 3],
      ['[42 "spam"', "Expecting ',' delimiter", 4],
      ["[42,]", "Expecting value", 4],
      ['{"spam":[42}', "Expecting ',' delimiter", 11],
      ['["]', "Unterminated string starting at", 1],
      ['["spam":', "Expecting ',' delimiter", 7],
      ['["spam",]', "Expecting value", 8],
      ["{:", "Expecting property name enclosed in double quotes", 1],
      ["{,", "Expecting property name enclosed in double quotes", 1],
      ["{42", "Expecting property name enclosed in double quotes", 1],
      ["[{]", "Expecting property name enclosed in double quotes", 2],
      ['{"spam",', "Expecting ':' delimiter", 7],
      ['{"spam"}', "Expecting ':' delimiter", 7],
      ['[{"spam"]', "Expecting ':' delimiter", 8],
      ['{"spam":}', "Expecting value", 8],
      ['[{"spam":]', "Expecting value", 9],
      ['{"spam":42 "ham"', "Expecting ',' delimiter", 11],
      ['[{"spam":42]', "Expecting ',' delimiter", 11],
      ['{"spam":42,}', "Expecting property name enclosed in double quotes", 11],
    ];
    for (const [data, msg, idx] of cases) expectError(data, msg, idx);
  });
  test("test_extra_data", () => {
    const cases: Array<[string, number]> = [
      ["[]]", 2],
      ["{}}", 2],
      ["[],[]", 2],
      ["{},{}", 2],
      ['42,"spam"', 2],
      ['"spam",42', 6],
    ];
    for (const [data, idx] of cases) expectError(data, "Extra data", idx);
  });
  test("test_linecol", () => {
    const cases: Array<[string, number, number, number]> = [
      ["!", 1, 1, 0],
      [" !", 1, 2, 1],
      ["\n!", 2, 1, 1],
      ["\n  \n\n     !", 4, 6, 10],
    ];
    for (const [data, line, col, idx] of cases) expectError(data, "Expecting value", idx, line, col);
  });
});

describe("test_float", () => {
  test("test_floats round-trip through their repr", () => {
    for (const num of [1617161771.7650001, Math.PI, Math.PI ** 100, Math.PI ** -100, 3.1])
      expect(loads(JSON.stringify(num))).toBe(num);
  });
  test("test_ints", () => {
    for (const num of [1n, 1n << 32n, 1n << 64n])
      expect(loads(num.toString(), { model: "faithful" })).toBe(num);
  });
  test("test_out_of_range", () => {
    expect(loads("[23456789012E666]")).toEqual([Number.POSITIVE_INFINITY]);
    expect(loads("[-23456789012E666]")).toEqual([Number.NEGATIVE_INFINITY]);
  });
  test("test_allow_nan (decoding side)", () => {
    expect(loads("[Infinity]")).toEqual([Number.POSITIVE_INFINITY]);
    expect(loads("[-Infinity]")).toEqual([Number.NEGATIVE_INFINITY]);
    const res = loads("[NaN]") as number[];
    expect(res).toHaveLength(1);
    expect(Number.isNaN(res[0])).toBe(true);
  });
});

describe("test_pass1..3", () => {
  test.each(["pass1.json", "pass2.json", "pass3.json"])("%s decodes to CPython's value", async (f) => {
    const doc = read(f);
    const [want] = await pyOutcomes(py, [doc]);
    expect(want).toHaveProperty("ok");
    expect(ourOutcome(doc)).toEqual(want);
  });
});

describe("test_scanstring", () => {
  test("test_scanstring", () => {
    const cases: Array<[string, number, string, number]> = [
      ['"z\u{1d120}x"', 1, "z\u{1d120}x", 5],
      ['"\\u007b"', 1, "{", 8],
      [
        '"A JSON payload should be an object or array, not a string."',
        1,
        "A JSON payload should be an object or array, not a string.",
        60,
      ],
      ['["Unclosed array"', 2, "Unclosed array", 17],
      ['["extra comma",]', 2, "extra comma", 14],
      ['["double extra comma",,]', 2, "double extra comma", 21],
      ['["Comma after the close"],', 2, "Comma after the close", 24],
      ['["Extra close"]]', 2, "Extra close", 14],
      ['{"Extra comma": true,}', 2, "Extra comma", 14],
      ['{"Extra value after close": true} "misplaced quoted value"', 2, "Extra value after close", 26],
      ['{"Illegal expression": 1 + 2}', 2, "Illegal expression", 21],
      ['{"Illegal invocation": alert()}', 2, "Illegal invocation", 21],
      ['{"Numbers cannot have leading zeroes": 013}', 2, "Numbers cannot have leading zeroes", 37],
      ['{"Numbers cannot be hex": 0x14}', 2, "Numbers cannot be hex", 24],
      ['[[[[[[[[[[[[[[[[[[[["Too deep"]]]]]]]]]]]]]]]]]]]]', 21, "Too deep", 30],
      ['{"Missing colon" null}', 2, "Missing colon", 16],
      ['{"Double colon":: null}', 2, "Double colon", 15],
      ['{"Comma instead of colon", null}', 2, "Comma instead of colon", 25],
      ['["Colon instead of comma": false]', 2, "Colon instead of comma", 25],
      ['["Bad value", truth]', 2, "Bad value", 12],
    ];
    for (const [s, end, value, next] of cases) expect(scanstring(s, end, true)).toEqual([value, next]);
  });
  test("test_surrogates", () => {
    const cases: Array<[string, string]> = [
      ['"z\\ud834\\u0079x"', "z\ud834yx"],
      ['"z\\ud834\\udd20x"', "z\u{1d120}x"],
      ['"z\\ud834\\ud834\\udd20x"', "z\ud834\u{1d120}x"],
      ['"z\\ud834x"', "z\ud834x"],
      ['"z\\ud834\udd20x12345"', "z\ud834\udd20x12345"],
      ['"z\\udd20x"', "z\udd20x"],
      ['"z\ud834\udd20x"', "z\ud834\udd20x"],
      ['"z\ud834\\udd20x"', "z\ud834\udd20x"],
      ['"z\ud834x"', "z\ud834x"],
    ];
    // Python's len(given) counts code points; a literal pair is one there.
    const cpLen = (s: string): number => [...s].length;
    for (const [given, want] of cases) expect(scanstring(given, 1, true)).toEqual([want, cpLen(given)]);
  });
  test("test_bad_escapes (and CPython's exact positions)", async () => {
    const bad = [
      '"\\"',
      '"\\x"',
      '"\\u"',
      '"\\u0"',
      '"\\u01"',
      '"\\u012"',
      '"\\uz012"',
      '"\\u0z12"',
      '"\\u01z2"',
      '"\\u012z"',
      '"\\u0x12"',
      '"\\u0X12"',
      '"\\ud834\\"',
      '"\\ud834\\u"',
      '"\\ud834\\ud"',
      '"\\ud834\\udd"',
      '"\\ud834\\udd2"',
      '"\\ud834\\uzdd2"',
      '"\\ud834\\udzd2"',
      '"\\ud834\\uddz2"',
      '"\\ud834\\udd2z"',
      '"\\ud834\\u0x20"',
      '"\\ud834\\u0X20"',
    ];
    for (const s of bad) expect(() => scanstring(s, 1, true)).toThrow(JSONDecodeError);
    expect(bad.map((s) => ourOutcome(s))).toEqual(await pyOutcomes(py, bad));
  });
  test("test_overflow: an end beyond the text", () => {
    expect(() => scanstring("xxx", Number.MAX_SAFE_INTEGER)).toThrow("end is out of bounds");
    expect(() => scanstring("xxx", -1)).toThrow("end is out of bounds");
  });
  test("strict=False lets control characters through", () => {
    expect(scanstring('"a\tb"', 1, false)).toEqual(["a\tb", 5]);
    expect(() => scanstring('"a\tb"', 1, true)).toThrow("Invalid control character at");
  });
});

describe("test_unicode (decoding side)", () => {
  test("test_big_unicode_decode / test_unicode_decode", () => {
    const u = "z\u{1d120}x";
    expect(loads(`"${u}"`)).toBe(u);
    expect(loads('"z\\ud834\\udd20x"')).toBe(u);
    for (let i = 0; i < 0xd7ff; i += 97) {
      const ch = String.fromCharCode(i);
      expect(loads(`"\\u${i.toString(16).padStart(4, "0")}"`)).toBe(ch);
    }
  });
  test("test_unicode_preservation", () => {
    expect(typeof loads('""')).toBe("string");
    expect(typeof (loads('["a"]') as unknown[])[0]).toBe("string");
  });
  test("test_bytes_decode", async () => {
    const data = ["a\u00b5\u20ac\u{1d120}"];
    await py.exec(
      "def _boms():\n    import codecs\n    out = []\n    for bom, enc in [(b'', 'utf-8'), (codecs.BOM_UTF8, 'utf-8'), (codecs.BOM_UTF16_BE, 'utf-16-be'), (codecs.BOM_UTF16_LE, 'utf-16-le'), (codecs.BOM_UTF32_BE, 'utf-32-be'), (codecs.BOM_UTF32_LE, 'utf-32-le')]:\n        encoded = json.dumps(['a\\xb5\\u20ac\\U0001d120']).encode(enc)\n        out += [bom + encoded, encoded]\n    return out",
    );
    for (const b of await py.call<Uint8Array[]>("_boms")) expect(loads(b)).toEqual(data);
    expect(() => loads(new Uint8Array([0x5b, 0x22, 0x80, 0x22, 0x5d]))).toThrow(UnicodeDecodeError);
    const enc16 = (s: string, le: boolean): Uint8Array => {
      const out = new Uint8Array(s.length * 2);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        out[2 * i + (le ? 0 : 1)] = c & 0xff;
        out[2 * i + (le ? 1 : 0)] = c >> 8;
      }
      return out;
    };
    expect(loads(enc16('"\u2600"', true))).toBe("\u2600");
    expect(loads(enc16('"\u2600"', false))).toBe("\u2600");
    expect(loads(new Uint8Array([0x35, 0]))).toBe(5);
    expect(loads(new Uint8Array([0, 0x37]))).toBe(7);
    expect(loads(new Uint8Array([0x35, 0x37]))).toBe(57);
  });
  test("test_object_pairs_hook_with_unicode", () => {
    const s = '{"xkd":1, "kcw":2, "art":3, "hxm":4, "qrt":5, "pad":6, "hoy":7}';
    expect(loads(s, { objectPairsHook: (x) => x.map(([k]) => k).join() })).toBe(
      "xkd,kcw,art,hxm,qrt,pad,hoy",
    );
  });
});

describe("test_speedups (what applies: strict must be honoured exactly)", () => {
  test("JSONDecoder(strict=False).decode allows control characters; default does not", () => {
    expect(new JSONDecoder({ strict: false }).decode('"\u0000"')).toBe("\u0000");
    expect(() => new JSONDecoder().decode('"\u0000"')).toThrow("Invalid control character at");
  });
});
