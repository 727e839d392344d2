/**
 * CPython's Lib/test/test_json encoder tests, ported (test_dump, test_float, test_indent,
 * test_separators, test_default, test_encode_basestring_ascii, test_unicode, test_recursion,
 * test_speedups, test_pass1-3 round trips), each checked against the live CPython as well
 * as against the literal the CPython test asserts.
 */
import { readFileSync } from "node:fs";
import { PyComplex, PyDict, PyError, PyTypeError, PyValueError } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dump, dumps, encodeBasestringAscii, JSONEncoder, loads } from "../src/index.js";
import { PY_HELPERS, pySource } from "./encode-pysource.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_HELPERS);
});
afterAll(async () => {
  await py.close();
});

/** CPython's json.dumps of a Python expression with keyword arguments. */
const cpy = (src: string, kw = ""): Promise<string> =>
  py.eval<string>(`json.dumps(${src}${kw ? `, ${kw}` : ""})`);

function thrown(f: () => unknown): PyError {
  try {
    f();
  } catch (e) {
    if (PyError.isInstance(e)) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("test_dump", () => {
  test("dump and dumps of {}", async () => {
    const out: string[] = [];
    await dump({}, { write: (s: string) => out.push(s) });
    expect(out.join("")).toBe("{}");
    expect(dumps({})).toBe("{}");
  });

  test("skipkeys drops bytes keys, otherwise TypeError", async () => {
    const v = new PyDict<unknown, unknown>([
      [new Uint8Array([105, 110]), false],
      ["valid_key", true],
    ]);
    const e = thrown(() => dumps(v));
    expect(PyTypeError.isInstance(e)).toBe(true);
    expect(e.message).toBe(
      await py.eval("_outcome(lambda: json.dumps({b'in': False, 'valid_key': True}))[2]"),
    );
    expect(dumps(v, { skipkeys: true })).toBe('{"valid_key": true}');
  });

  test("encode true/false keys, sorted with numbers", async () => {
    expect(
      dumps(
        new Map([
          [true, false],
          [false, true],
        ]),
        { sortKeys: true },
      ),
    ).toBe('{"false": true, "true": false}');
    const m = new PyDict<unknown, unknown>([
      [2n, 3.0],
      [4.0, 5n],
      [false, 1n],
      [6n, true],
    ]);
    expect(dumps(m, { sortKeys: true, model: "faithful" })).toBe(
      '{"false": 1, "2": 3.0, "4.0": 5, "6": true}',
    );
    expect(dumps(m, { sortKeys: true, model: "faithful" })).toBe(
      await cpy("{2: 3.0, 4.0: 5, False: 1, 6: True}", "sort_keys=True"),
    );
  });

  test("encode mutated list (issue 16228): default that shrinks the list", () => {
    const a: unknown[] = Array.from({ length: 10 }, () => new (class Obj {})());
    const crasher = (): null => {
      a.pop();
      return null;
    };
    expect(dumps(a, { default: crasher })).toBe("[null, null, null, null, null]");
  });

  test("a large list of ints", () => {
    const n = 300_000;
    const encoded = dumps(new Array(n).fill(1));
    expect(encoded.length).toBe(n * 3);
    expect(encoded.slice(1, -2)).toBe("1, ".repeat(n - 1));
  });
});

describe("test_float", () => {
  test("floats round-trip and print as CPython", async () => {
    for (const num of [1617161771.7650001, Math.PI, Math.PI ** 100, Math.PI ** -100, 3.1]) {
      expect(Number(dumps(num))).toBe(num);
      expect(dumps(num)).toBe(await cpy(pySource(num)));
    }
  });

  test("ints", async () => {
    for (const num of [1n, 1n << 32n, 1n << 64n]) {
      expect(dumps(num)).toBe(num.toString());
      expect(dumps(Number(num))).toBe(num.toString());
      expect(dumps(num)).toBe(await cpy(num.toString()));
    }
  });

  test("allow_nan", async () => {
    for (const val of [Infinity, -Infinity, NaN]) {
      const out = dumps([val]);
      expect(out).toBe(await cpy(`[${pySource(val)}]`));
      const e = thrown(() => dumps([val], { allowNan: false }));
      expect(PyValueError.isInstance(e)).toBe(true);
      expect(e.message).toBe(
        await py.eval(`_outcome(lambda: json.dumps([${pySource(val)}], allow_nan=False))[2]`),
      );
      // The pure-Python encoder (indent, iterencode, dump) names the value.
      const e2 = thrown(() => dumps([val], { allowNan: false, indent: 1 }));
      expect(e2.message).toBe(
        await py.eval(`_outcome(lambda: json.dumps([${pySource(val)}], allow_nan=False, indent=1))[2]`),
      );
      const dumpMessage = await py.eval<string>(
        `_outcome(lambda: json.dump([${pySource(val)}], __import__('io').StringIO(), allow_nan=False))[2]`,
      );
      await expect(dump([val], { write() {} }, { allowNan: false })).rejects.toThrow(dumpMessage);
    }
  });
});

const H = [
  ["blorpie"],
  ["whoops"],
  [],
  "d-shtaeou",
  "d-nthiouh",
  "i-vhbjkhnth",
  { nifty: 87 },
  { field: "yes", morefield: false },
];
const H_PY = `[['blorpie'], ['whoops'], [], 'd-shtaeou', 'd-nthiouh', 'i-vhbjkhnth', {'nifty': 87}, {'field': 'yes', 'morefield': False}]`;

describe("test_indent", () => {
  test("indent 2, tab, with and without separators", async () => {
    const expectTab = [
      "[",
      '\t[\n\t\t"blorpie"\n\t],',
      '\t[\n\t\t"whoops"\n\t],',
      "\t[],",
      '\t"d-shtaeou",',
      '\t"d-nthiouh",',
      '\t"i-vhbjkhnth",',
      '\t{\n\t\t"nifty": 87\n\t},',
      '\t{\n\t\t"field": "yes",\n\t\t"morefield": false\n\t}',
      "]",
    ].join("\n");
    const d1 = dumps(H);
    const d2 = dumps(H, { indent: 2, sortKeys: true, separators: [",", ": "] });
    const d3 = dumps(H, { indent: "\t", sortKeys: true, separators: [",", ": "] });
    const d4 = dumps(H, { indent: 2, sortKeys: true });
    const d5 = dumps(H, { indent: "\t", sortKeys: true });
    expect(JSON.parse(d1)).toEqual(H);
    expect(d2).toBe(expectTab.replace(/\t/g, "  "));
    expect(d3).toBe(expectTab);
    expect(d4).toBe(d2);
    expect(d5).toBe(d3);
    expect(d1).toBe(await cpy(H_PY));
    expect(d3).toBe(await cpy(H_PY, "indent='\\t', sort_keys=True"));
  });

  test("indent 0 emits newlines, null is compact (dumps and dump)", async () => {
    const h = new Map([[3, 1]]);
    for (const [indent, expected] of [
      [0, '{\n"3": 1\n}'],
      [null, '{"3": 1}'],
      [-3, '{\n"3": 1\n}'],
    ] as const) {
      expect(dumps(h, { indent })).toBe(expected);
      expect(dumps(h, { indent })).toBe(await cpy("{3: 1}", `indent=${indent ?? "None"}`));
      const out: string[] = [];
      await dump(h, { write: (s: string) => out.push(s) }, { indent });
      expect(out.join("")).toBe(expected);
    }
  });

  test("a non-integral numeric indent fails as Python's ' ' * 1.5", () => {
    expect(thrown(() => dumps([1], { indent: 1.5 })).message).toBe(
      "can't multiply sequence by non-int of type 'float'",
    );
  });
});

describe("test_separators", () => {
  test("custom separators with indent", async () => {
    const expected = [
      "[",
      '  [\n    "blorpie"\n  ] ,',
      '  [\n    "whoops"\n  ] ,',
      "  [] ,",
      '  "d-shtaeou" ,',
      '  "d-nthiouh" ,',
      '  "i-vhbjkhnth" ,',
      '  {\n    "nifty" : 87\n  } ,',
      '  {\n    "field" : "yes" ,\n    "morefield" : false\n  }',
      "]",
    ].join("\n");
    const d2 = dumps(H, { indent: 2, sortKeys: true, separators: [" ,", " : "] });
    expect(d2).toBe(expected);
    expect(d2).toBe(await cpy(H_PY, "indent=2, sort_keys=True, separators=(' ,', ' : ')"));
  });

  test("illegal separators", () => {
    const h = new Map([
      [1, 2],
      [3, 4],
    ]);
    const bad = [new Uint8Array([44]), ": "] as unknown as [string, string];
    expect(PyTypeError.isInstance(thrown(() => dumps(h, { separators: bad })))).toBe(true);
  });
});

describe("test_default", () => {
  test("default=repr-like function", async () => {
    const fn = function type() {};
    expect(dumps(fn, { default: (o) => `<class '${(o as { name: string }).name}'>` })).toBe(
      await cpy("repr(type)"),
    );
  });

  test("a JSONEncoder subclass overriding default, used through cls", () => {
    class ComplexEncoder extends JSONEncoder {
      override default(o: unknown): unknown {
        if (o instanceof PyComplex) return [o.real, o.imag];
        return super.default(o);
      }
    }
    expect(dumps([new PyComplex(1, 2)], { cls: ComplexEncoder })).toBe("[[1, 2]]");
    expect(dumps(new PyComplex(1, 2), { cls: ComplexEncoder, model: "faithful" })).toBe("[1.0, 2.0]");
    expect(thrown(() => dumps(new Set(), { cls: ComplexEncoder })).message).toBe(
      "Object of type set is not JSON serializable",
    );
  });
});

describe("test_encode_basestring_ascii", () => {
  const CASES: [string, string][] = [
    [
      "/\\\"\ucafe\ubabe\uab98\ufcde\ubcda\uef4a\x08\x0c\n\r\t`1~!@#$%^&*()_+-=[]{}|;:',./<>?",
      '"/\\\\\\"\\ucafe\\ubabe\\uab98\\ufcde\\ubcda\\uef4a\\b\\f\\n\\r\\t`1~!@#$%^&*()_+-=[]{}|;:\',./<>?"',
    ],
    ["\u0123\u4567\u89ab\ucdef\uabcd\uef4a", '"\\u0123\\u4567\\u89ab\\ucdef\\uabcd\\uef4a"'],
    ["controls", '"controls"'],
    ["\x08\x0c\n\r\t", '"\\b\\f\\n\\r\\t"'],
    [
      '{"object with 1 member":["array with 1 element"]}',
      '"{\\"object with 1 member\\":[\\"array with 1 element\\"]}"',
    ],
    [" s p a c e d ", '" s p a c e d "'],
    ["\u{1d120}", '"\\ud834\\udd20"'],
    ["\u03b1\u03a9", '"\\u03b1\\u03a9"'],
    ["`1~!@#$%^&*()_+-={':[,]}|;.</>?", '"`1~!@#$%^&*()_+-={\':[,]}|;.</>?"'],
  ];
  test("cases", async () => {
    for (const [input, expected] of CASES) {
      expect(encodeBasestringAscii(input)).toBe(expected);
      expect(encodeBasestringAscii(input)).toBe(
        await py.eval(`json.encoder.encode_basestring_ascii(${pySource(input)})`),
      );
    }
  });

  test("ordered dict keeps insertion order; sorted dict", () => {
    const items: [string, number][] = [
      ["one", 1],
      ["two", 2],
      ["three", 3],
      ["four", 4],
      ["five", 5],
    ];
    expect(dumps(new Map(items))).toBe('{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}');
    expect(dumps(Object.fromEntries(items), { sortKeys: true })).toBe(
      '{"five": 5, "four": 4, "one": 1, "three": 3, "two": 2}',
    );
  });
});

describe("test_unicode", () => {
  const u = "\u03b1\u03a9";
  test("encoding3-6", () => {
    expect(dumps(u)).toBe('"\\u03b1\\u03a9"');
    expect(dumps([u])).toBe('["\\u03b1\\u03a9"]');
    expect(dumps(u, { ensureAscii: false })).toBe(`"${u}"`);
    expect(dumps([u], { ensureAscii: false })).toBe(`["${u}"]`);
  });
  test("big unicode, lone surrogates", async () => {
    expect(dumps("\u{1d120}")).toBe('"\\ud834\\udd20"');
    expect(dumps("\u{1d120}", { ensureAscii: false })).toBe('"\u{1d120}"');
    expect(dumps("a\ud800b")).toBe('"a\\ud800b"');
    expect(dumps("a\ud800b", { ensureAscii: false })).toBe('"a\ud800b"');
    expect(dumps("a\ud800b", { ensureAscii: false })).toBe(await cpy("'a\\ud800b'", "ensure_ascii=False"));
  });
  test("bytes raise TypeError as Python 3", async () => {
    const hi = new Uint8Array([104, 105]);
    for (const v of [hi, [hi]]) {
      const e = thrown(() => dumps(v));
      expect(PyTypeError.isInstance(e)).toBe(true);
      expect(e.message).toBe(await py.eval(`_outcome(lambda: json.dumps(b"hi"))[2]`));
    }
  });
});

describe("test_recursion", () => {
  test("list recursion, alternating recursion, markers cleared", () => {
    const x: unknown[] = [];
    x.push(x);
    expect(thrown(() => dumps(x)).message).toBe("Circular reference detected");
    const a: unknown[] = [];
    const b = [a];
    a.push(b);
    expect(PyValueError.isInstance(thrown(() => dumps(a)))).toBe(true);
    const y: unknown[] = [];
    expect(dumps([y, y])).toBe("[[], []]");
    const z = [1];
    expect(dumps([z, z])).toBe("[[1], [1]]");
  });

  test("dict recursion, markers cleared", () => {
    const x: Record<string, unknown> = {};
    x.test = x;
    expect(thrown(() => dumps(x)).message).toBe("Circular reference detected");
    const m = new Map<string, unknown>();
    m.set("m", m);
    expect(thrown(() => dumps(m)).message).toBe("Circular reference detected");
    const inner = { k: 1 };
    expect(dumps({ a: inner, b: inner })).toBe('{"a": {"k": 1}, "b": {"k": 1}}');
  });

  test("default recursion", () => {
    const JSONTestObject = class JSONTestObject {};
    class RecursiveJSONEncoder extends JSONEncoder {
      recurse = false;
      override default(o: unknown): unknown {
        if (o === JSONTestObject) return this.recurse ? [JSONTestObject] : "JSONTestObject";
        return super.default(o);
      }
    }
    const enc = new RecursiveJSONEncoder();
    expect(enc.encode(JSONTestObject)).toBe('"JSONTestObject"');
    enc.recurse = true;
    expect(thrown(() => enc.encode(JSONTestObject)).message).toBe("Circular reference detected");
  });

  test("highly nested objects: explicit stack, RecursionError past maxDepth", () => {
    let l: unknown = [];
    let d: unknown = {};
    for (let i = 0; i < 50_000; i++) {
      l = [l];
      d = { k: d };
    }
    expect(dumps(l)).toBe(`${"[".repeat(50_001)}${"]".repeat(50_001)}`);
    expect(dumps(d, { indent: 0 })).toBe(`${'{\n"k": '.repeat(50_000)}{}${"\n}".repeat(50_000)}`);
    for (let i = 0; i < 150_000; i++) {
      l = [l];
      d = { k: d };
    }
    expect(thrown(() => dumps(l)).pyType).toBe("RecursionError");
    expect(thrown(() => dumps(d)).message).toBe(
      "maximum recursion depth exceeded while encoding a JSON object",
    );
    expect(thrown(() => dumps([[[[1]]]], { maxDepth: 3 })).pyType).toBe("RecursionError");
    expect(dumps([[[1]]], { maxDepth: 3 })).toBe("[[[1]]]");
  });

  test("endless recursion through default with check_circular=False", () => {
    class EndlessJSONEncoder extends JSONEncoder {
      override default(o: unknown): unknown {
        return [o];
      }
    }
    const e = thrown(() => new EndlessJSONEncoder({ checkCircular: false }).encode(new PyComplex(0, 5)));
    expect(e.pyType).toBe("RecursionError");
    // A list cycle without the check also ends in RecursionError, not a hang or stack overflow.
    const x: unknown[] = [];
    x.push(x);
    expect(thrown(() => dumps(x, { checkCircular: false })).pyType).toBe("RecursionError");
  });
});

describe("test_speedups / test_enum (applicable parts)", () => {
  test("unsortable keys", async () => {
    const e = thrown(() =>
      new JSONEncoder({ sortKeys: true }).encode(
        new Map<unknown, unknown>([
          ["a", 1],
          [1, "a"],
        ]),
      ),
    );
    expect(PyTypeError.isInstance(e)).toBe(true);
    expect(e.message).toBe(
      await py.eval(`_outcome(lambda: json.JSONEncoder(sort_keys=True).encode({'a': 1, 1: 'a'}))[2]`),
    );
  });

  test("enum-like values: default picks the value (JS has no int/float subclasses)", async () => {
    enum Num {
      one = 1,
      pi = 3.14,
    }
    expect(dumps([Num.one, Num.pi])).toBe(await cpy("[1, 3.14]"));
    expect(dumps(new Map([[Num.one, "x"]]))).toBe(await cpy("{1: 'x'}"));
  });
});

describe("test_pass1-3: loads then dumps equals CPython's", () => {
  const dir = new URL("data/JSONTestSuite/", import.meta.url);
  const PASS1 = String.raw`
[
    "JSON Test Pattern pass1",
    {"object with 1 member":["array with 1 element"]},
    {},
    [],
    -42,
    true,
    false,
    null,
    {
        "integer": 1234567890,
        "real": -9876.543210,
        "e": 0.123456789e-12,
        "E": 1.234567890E+34,
        "":  23456789012E66,
        "zero": 0,
        "one": 1,
        "space": " ",
        "quote": "\"",
        "backslash": "\\",
        "controls": "\b\f\n\r\t",
        "slash": "/ & \/",
        "alpha": "abcdefghijklmnopqrstuvwyz",
        "ALPHA": "ABCDEFGHIJKLMNOPQRSTUVWYZ",
        "digit": "0123456789",
        "0123456789": "digit",
        "special": "\u0060~!@#$%^&*()_+-={':[,]}|;.</>?",
        "hex": "\u0123\u4567\u89AB\uCDEF\uabcd\uEF4A",
        "true": true,
        "false": false,
        "null": null,
        "array":[  ],
        "object":{  },
        "address": "50 St. James Street",
        "url": "http://www.JSON.org/",
        "comment": "// /* <!-- --",
        "# -- --> */": " ",
        " s p a c e d " :[1,2 , 3

,

4 , 5        ,          6           ,7        ],"compact":[1,2,3,4,5,6,7],
        "jsontext": "{\"object with 1 member\":[\"array with 1 element\"]}",
        "quotes": "&#34; \u0022 %22 0x22 034 &#x22;",
        "\/\\\"\uCAFE\uBABE\uAB98\uFCDE\ubcda\uef4A\b\f\n\r\t\u0060~!@#$%^&*()_+-=[]{}|;:',./<>?"
: "A key can be any string"
    },
    0.5 ,98.6
,
99.44
,

1066,
1e1,
0.1e1,
1e-1,
1e00,2e+00,2e-00
,"rosebud"]`;
  const PASS2 = '[[[[[[[[[[[[[[[[[[["Not too deep"]]]]]]]]]]]]]]]]]]]';
  const PASS3 = `{
    "JSON Test Pattern pass3": {
        "The outermost value": "must be an object or array.",
        "In this test": "It is an object."
    }
}`;

  test.each([
    ["pass1", PASS1],
    ["pass2", PASS2],
    ["pass3", PASS3],
  ])("%s", async (_name, text) => {
    const value = loads(text, { model: "faithful" });
    for (const kw of ["", "indent=2", "sort_keys=True", "ensure_ascii=False, separators=(',', ':')"]) {
      const opts = Object.fromEntries(
        kw === ""
          ? []
          : kw === "indent=2"
            ? [["indent", 2]]
            : kw === "sort_keys=True"
              ? [["sortKeys", true]]
              : [
                  ["ensureAscii", false],
                  ["separators", [",", ":"]],
                ],
      );
      const expected = await py.eval<string>(`json.dumps(json.loads(text)${kw ? `, ${kw}` : ""})`, { text });
      expect(dumps(value, { ...opts, model: "faithful" })).toBe(expected);
    }
  });

  test("the suite's y_ files: loads(faithful) then dumps equals CPython", async () => {
    let names: string[];
    try {
      names = (await import("node:fs"))
        .readdirSync(new URL("test_parsing/", dir))
        .filter((n) => n.startsWith("y_"));
    } catch {
      names = [];
    }
    expect(names.length).toBeGreaterThan(50);
    const texts = names.map((n) => readFileSync(new URL(`test_parsing/${n}`, dir)));
    const expected = await py.eval<[string, string][]>(
      "[_outcome(lambda b=b: json.dumps(json.loads(b)))[1:] for b in bs]",
      { bs: texts.map((t) => new Uint8Array(t)) },
    );
    texts.forEach((t, i) => {
      let got: string;
      try {
        got = dumps(loads(new Uint8Array(t), { model: "faithful" }), { model: "faithful" });
      } catch (e) {
        got = `error ${(e as Error).message}`;
      }
      expect([names[i], got]).toEqual([names[i], (expected[i] as string[])[0]]);
    });
  });
});
