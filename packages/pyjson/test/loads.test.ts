import { isPyDict, PyByteArray, PyDict, PyTypeError, PyValueError } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  detectEncoding,
  JSONDecodeError,
  JSONDecoder,
  load,
  loads,
  scanstring,
  UnicodeDecodeError,
} from "../src/index.js";
import { ourOutcome, PY_OUTCOME, pyOutcomes } from "./decode-oracle.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_OUTCOME);
});
afterAll(async () => {
  await py.close();
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("natural model", () => {
  test("numbers: safe ints as number, big ints as bigint, floats as number", () => {
    expect(loads("[1, -7, 1.0, 1.5, 9007199254740991, 9007199254740992, -9007199254740993]")).toEqual([
      1,
      -7,
      1,
      1.5,
      9007199254740991,
      9007199254740992n,
      -9007199254740993n,
    ]);
    expect(loads("123456789012345678901234567890")).toBe(123456789012345678901234567890n);
    expect(loads("1E400")).toBe(Number.POSITIVE_INFINITY);
    expect(loads("-1e400")).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(loads("-0.0"), -0)).toBe(true);
    expect(Object.is(loads("-0"), 0)).toBe(true); // Python's int -0 is 0
    expect(Object.is(loads("[-0]"), -0)).toBe(false);
    expect(Object.is((loads("[-0]") as number[])[0], 0)).toBe(true);
    expect(loads("[NaN, Infinity, -Infinity]")).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
  });

  test("objects are plain objects, duplicate keys: last value wins", () => {
    const o = loads('{"a": 1, "b": 2, "a": 3}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(o).toEqual({ a: 3, b: 2 });
    expect(Object.keys(o)).toEqual(["a", "b"]);
  });

  test('"__proto__" is an own key and never changes a prototype (fast path and scanner)', () => {
    for (const text of ['{"__proto__": {"polluted": 1}}', '{"__proto__": {"polluted": 1}, "n": NaN}']) {
      const o = loads(text) as Record<string, unknown>;
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.hasOwn(o, "__proto__")).toBe(true);
      expect(Object.getOwnPropertyDescriptor(o, "__proto__")?.value).toEqual({ polluted: 1 });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((o as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });

  test("fast path and scanner agree on texts that look alike", () => {
    // A decoder with any hook never uses JSON.parse; parseConstant's default result is kept.
    const scanner = new JSONDecoder({
      parseConstant: (n) => (n === "NaN" ? Number.NaN : n === "Infinity" ? Infinity : -Infinity),
    });
    const texts = [
      '{"a": [1, 2.5, -0.0, 1e5, "\\ud800", "\\ud83d\\ude00", "\\u00e9"], "__proto__": null, "1": 0}',
      '"16 digits 1234567890123456"',
      "[9007199254740991, -9007199254740991, 1.2345678901234567e300, 0.1]",
      '{"x": -0, "y": -0.0, "z": -0e1}',
      "[1E400, 1e-400, -1e-400]",
      '{"k": 1, "k": 2, "j": {"k": [], "k": {}}}',
    ];
    for (const t of texts) expect([t, loads(t)]).toEqual([t, scanner.decode(t)]);
  });

  test("deep nesting decodes without a stack overflow (CPython raises RecursionError)", () => {
    const depth = 200_000;
    let v = loads(`${"[".repeat(depth)}1${"]".repeat(depth)}`, { model: "faithful" });
    let n = 0;
    while (Array.isArray(v)) {
      v = v[0];
      n++;
    }
    expect([n, v]).toEqual([depth, 1n]);
    const objs = `${'{"a":'.repeat(depth)}null${"}".repeat(depth)}`;
    expect(loads(objs, { parseInt: Number })).toBeTypeOf("object");
    const e = thrown(() => loads(`${"[".repeat(depth)}`));
    expect((e as JSONDecodeError).msg).toBe("Expecting value");
    expect((e as JSONDecodeError).pos).toBe(depth);
  });
});

describe("faithful model", () => {
  test("ints are bigint, floats number, objects PyDict in document order", () => {
    const v = loads('{"b": 1, "1": 1.0, "a": [2, -0.0], "b": 3}', { model: "faithful" });
    expect(isPyDict(v)).toBe(true);
    const d = v as PyDict<string, unknown>;
    expect([...d.keys()]).toEqual(["b", "1", "a"]);
    expect(d.get("b")).toBe(3n);
    expect(d.get("1")).toBe(1);
    expect(d.get("a")).toEqual([2n, -0]);
  });
});

describe("hooks", () => {
  test("objectHook sees each object innermost first; its result replaces it", () => {
    const seen: unknown[] = [];
    const v = loads('{"a": {"b": 1}, "c": [{}]}', {
      objectHook: (o) => {
        seen.push(o);
        return { wrapped: o };
      },
    });
    expect(seen).toEqual([{ b: 1 }, {}, { a: { wrapped: { b: 1 } }, c: [{ wrapped: {} }] }]);
    expect(v).toEqual({ wrapped: { a: { wrapped: { b: 1 } }, c: [{ wrapped: {} }] } });
  });

  test("objectPairsHook gets every pair in order, duplicates included, and wins over objectHook", () => {
    const v = loads('{"a": 1, "b": {"x": null}, "a": 2}', {
      objectPairsHook: (pairs) => pairs,
      objectHook: () => "never",
    });
    expect(v).toEqual([
      ["a", 1],
      ["b", [["x", null]]],
      ["a", 2],
    ]);
    expect(loads("{}", { objectPairsHook: (p) => p.length })).toBe(0);
  });

  test("parseFloat, parseInt and parseConstant get the literal text", () => {
    const calls: string[] = [];
    const record = (tag: string) => (t: string) => {
      calls.push(`${tag}:${t}`);
      return `${tag.toUpperCase()}${t}`;
    };
    const v = loads("[1.10, 1e5, -0, 12345678901234567890, NaN, -Infinity, Infinity]", {
      parseFloat: record("f"),
      parseInt: record("i"),
      parseConstant: record("c"),
    });
    expect(v).toEqual(["F1.10", "F1e5", "I-0", "I12345678901234567890", "CNaN", "C-Infinity", "CInfinity"]);
    expect(calls).toHaveLength(7);
  });

  test("errors thrown by hooks propagate unchanged", () => {
    const boom = new Error("boom");
    expect(
      thrown(() =>
        loads("[1]", {
          parseInt: () => {
            throw boom;
          },
        }),
      ),
    ).toBe(boom);
  });

  test("cls: a JSONDecoder subclass built with the other options", () => {
    class Upper extends JSONDecoder {
      override decode(s: string): unknown {
        return String(super.decode(s)).toUpperCase();
      }
    }
    expect(loads('"abc"', { cls: Upper })).toBe("ABC");
    expect(loads("[1.5]", { cls: Upper, parseFloat: (t) => `x${t}` })).toBe("X1.5");
  });
});

describe("JSONDecoder", () => {
  test("rawDecode returns the value and Python's end index, no whitespace skipping", () => {
    const d = new JSONDecoder();
    expect(d.rawDecode('{"a": 1} [2]')).toEqual([{ a: 1 }, 8]);
    expect(d.rawDecode('{"a": 1} [2]', 9)).toEqual([[2], 12]);
    expect((thrown(() => d.rawDecode(" 1")) as JSONDecodeError).msg).toBe("Expecting value");
    // Positions count code points as Python does: the emoji counts once.
    expect(d.rawDecode('"\ud83d\ude00" 5', 4)).toEqual([5, 5]);
    expect(d.rawDecode('"\ud83d\ude00" 5')).toEqual(["\ud83d\ude00", 3]);
    expect(PyValueError.isInstance(thrown(() => d.rawDecode("1", -1)))).toBe(true);
    expect((thrown(() => d.rawDecode("1", 5)) as JSONDecodeError).pos).toBe(5);
  });

  test("decode does not reject a BOM specially (loads does)", async () => {
    const d = new JSONDecoder();
    const e = thrown(() => d.decode("\ufeff1")) as JSONDecodeError;
    expect(e.message).toBe("Expecting value: line 1 column 1 (char 0)");
    const e2 = thrown(() => loads("\ufeff1")) as JSONDecodeError;
    expect(e2.message).toBe("Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)");
  });

  test("intMaxStrDigits: 0 lifts the limit, values below 640 are refused as Python does", () => {
    const big = "7".repeat(5000);
    expect(loads(big, { intMaxStrDigits: 0 })).toBe(BigInt(big));
    expect(PyValueError.isInstance(thrown(() => loads(big)))).toBe(true);
    expect((thrown(() => new JSONDecoder({ intMaxStrDigits: 10 })) as Error).message).toBe(
      "maxdigits must be 0 or larger than 640",
    );
  });
});

describe("JSONDecodeError", () => {
  test("fields, message, ValueError kinship and cross-copy check", () => {
    const e = thrown(() => loads('{\n  "a": 1,\n  "b" 2\n}'));
    expect(JSONDecodeError.isInstance(e)).toBe(true);
    expect(e).toBeInstanceOf(JSONDecodeError);
    expect(PyValueError.isInstance(e)).toBe(true);
    const j = e as JSONDecodeError;
    expect([j.msg, j.pos, j.lineno, j.colno, j.name, j.pyType]).toEqual([
      "Expecting ':' delimiter",
      18,
      3,
      7,
      "JSONDecodeError",
      "JSONDecodeError",
    ]);
    expect(j.doc).toBe('{\n  "a": 1,\n  "b" 2\n}');
    expect(j.message).toBe("Expecting ':' delimiter: line 3 column 7 (char 18)");
    expect(JSONDecodeError.isInstance(new Error("x"))).toBe(false);
    expect(JSONDecodeError.isInstance(null)).toBe(false);
  });

  test("constructed directly, as Python's JSONDecodeError(msg, doc, pos)", () => {
    const e = new JSONDecodeError("Oops", "ab\ncd\nef", 7);
    expect([e.lineno, e.colno, e.message]).toEqual([3, 2, "Oops: line 3 column 2 (char 7)"]);
    expect(new JSONDecodeError("x", "\nab", 0).lineno).toBe(1);
  });
});

describe("input types", () => {
  test("non-text input is Python's TypeError", () => {
    for (const [v, name] of [
      [1, "int"], // an integral JS number is an int, as dumps reads it
      [1.5, "float"],
      [null, "NoneType"],
      [[], "list"],
    ] as const) {
      const e = thrown(() => loads(v as unknown as string));
      expect(PyTypeError.isInstance(e)).toBe(true);
      expect((e as Error).message).toBe(`the JSON object must be str, bytes or bytearray, not ${name}`);
    }
  });

  test("bytearray is accepted like bytes", () => {
    expect(loads(new PyByteArray(new TextEncoder().encode("[1]")) as unknown as Uint8Array)).toEqual([1]);
  });

  test("detectEncoding matches json.detect_encoding", async () => {
    const samples = [
      [],
      [0x31],
      [0, 0x31],
      [0x31, 0],
      [0x31, 0x32],
      [0, 0, 0, 0x31],
      [0, 0x31, 0, 0x32],
      [0x31, 0, 0, 0],
      [0x31, 0, 0x32, 0],
      [0x31, 0, 0, 0x32],
      [0xef, 0xbb, 0xbf, 0x31],
      [0xff, 0xfe, 0x31, 0],
      [0xfe, 0xff, 0, 0x31],
      [0xff, 0xfe, 0, 0, 0x31, 0, 0, 0],
      [0, 0, 0xfe, 0xff, 0, 0, 0, 0x31],
      [0x31, 0, 0],
      [0, 0x31, 0],
    ].map((b) => new Uint8Array(b));
    await py.exec("import json.decoder\ndef _detect(bs):\n    return [json.detect_encoding(b) for b in bs]");
    expect(samples.map(detectEncoding)).toEqual(await py.call("_detect", samples));
  });

  test("bytes in every encoding Python detects decode to CPython's values and errors", async () => {
    const texts = ['{"a": ["\u00e9", "\ud83d\ude00", 1.5, -2]}', "[]", "1", '"\ud800"', "[1,]"];
    const docs: Uint8Array[] = [];
    await py.exec(
      "def _encodings(t):\n    out = []\n    for enc in ('utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-16-be', 'utf-32', 'utf-32-le', 'utf-32-be'):\n        out.append(t.encode(enc, 'surrogatepass'))\n    return out",
    );
    for (const t of texts) docs.push(...(await py.call<Uint8Array[]>("_encodings", t)));
    // Truncated and corrupted variants give UnicodeDecodeError (or not) exactly as CPython.
    const broken = docs.flatMap((d) => [
      d.subarray(0, d.length - 1),
      d.subarray(0, d.length - 3),
      withByte(d, 1, 0xd8),
    ]);
    const all = [...docs, ...broken];
    expect(all.map((d) => ourOutcome(d))).toEqual(await pyOutcomes(py, all));
  });

  test("surrogates decoded one by one (UTF-8 surrogatepass, UTF-32) count as two code points in errors", async () => {
    await py.exec(
      "def _split_docs():\n    out = []\n    for t in ['\"\\ud83d\\ude00\" x', '[\"\\ud83d\\ude00\\ud83d\\ude00\", \\ud83d\\ude00]', '\"\\ud83d\\ude00\\U0001f600\\ud800\" 1', '{\"\\ud800\\udc00\" 1}']:\n        for enc in ('utf-8', 'utf-8-sig', 'utf-32-le', 'utf-32-be', 'utf-32', 'utf-16-le'):\n            out.append(t.encode(enc, 'surrogatepass'))\n    return out",
    );
    const docs = await py.call<Uint8Array[]>("_split_docs");
    expect(docs).toHaveLength(24);
    expect(docs.map((d) => ourOutcome(d))).toEqual(await pyOutcomes(py, docs));
  });

  test("invalid UTF-8 reports CPython's positions and reasons", async () => {
    const bad = [
      [0x80],
      [0x22, 0xc0, 0xaf, 0x22],
      [0x22, 0xe0, 0x80, 0x80, 0x22],
      [0x22, 0xed, 0xa0, 0x80, 0x22],
      [0x22, 0xed, 0xbf, 0xbf, 0xed, 0xa0, 0x22],
      [0x22, 0xf0, 0x8f, 0x80, 0x80, 0x22],
      [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22],
      [0x22, 0xf0, 0x90, 0x80],
      [0x22, 0xf0, 0x90],
      [0x22, 0xf0, 0x90, 0x41],
      [0x22, 0xe2, 0x82],
      [0x22, 0xe2, 0x41],
      [0x22, 0xc3],
      [0x22, 0xc3, 0x41],
      [0x22, 0xf5, 0x80],
      [0x22, 0xff, 0x22],
      [0xef, 0xbb, 0xbf, 0x22, 0xff],
      [0xef, 0xbb],
    ].map((b) => new Uint8Array(b));
    const ours = bad.map((d) => ourOutcome(d));
    expect(ours).toEqual(await pyOutcomes(py, bad));
    expect(UnicodeDecodeError.isInstance(thrown(() => loads(bad[0]!)))).toBe(true);
  });
});

function withByte(d: Uint8Array, at: number, v: number): Uint8Array {
  const c = d.slice();
  if (at < c.length) c[at] = v;
  return c;
}

describe("load (Web streams and async iterables)", () => {
  function stream(chunks: Array<Uint8Array | string>): ReadableStream<Uint8Array | string> {
    return new ReadableStream({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
  }
  const enc = new TextEncoder();

  test("joins byte chunks (even split inside a character) and decodes like loads", async () => {
    const bytes = enc.encode('{"a": "\u00e9\ud83d\ude00", "n": 12345678901234567890}');
    const chunks = [bytes.subarray(0, 9), bytes.subarray(9, 13), bytes.subarray(13)];
    expect(await load(stream(chunks))).toEqual({ a: "\u00e9\ud83d\ude00", n: 12345678901234567890n });
  });

  test("string chunks, async iterables, options", async () => {
    expect(await load(stream(['{"a":', " 1.0}"]), { model: "faithful" })).toBeInstanceOf(PyDict);
    async function* gen(): AsyncGenerator<Uint8Array> {
      yield enc.encode("[1,");
      yield enc.encode(" 2]");
    }
    expect(await load(gen())).toEqual([1, 2]);
    expect(await load(stream([]), { parseInt: Number }).catch((e: JSONDecodeError) => e.msg)).toBe(
      "Expecting value",
    );
  });

  test("errors: malformed JSON, mixed chunk kinds", async () => {
    await expect(load(stream(["[1,"]))).rejects.toSatisfy((e) => JSONDecodeError.isInstance(e));
    await expect(load(stream(["[", enc.encode("1]")]))).rejects.toSatisfy((e) => PyTypeError.isInstance(e));
  });
});

describe("wrong argument types are Python's TypeError, never a raw JS error", () => {
  test("decode, rawDecode, scanstring", () => {
    const d = new JSONDecoder();
    const cases: Array<[() => unknown, string]> = [
      [() => d.decode(1 as unknown as string), "expected string or bytes-like object, got 'float'"],
      [() => d.rawDecode(1n as unknown as string), "first argument must be a string, not int"],
      [() => d.rawDecode(null as unknown as string), "first argument must be a string, not NoneType"],
      [() => scanstring(1 as unknown as string, 1), "first argument must be a string, not float"],
    ];
    for (const [fn, message] of cases) {
      const e = thrown(fn);
      expect(PyTypeError.isInstance(e)).toBe(true);
      expect((e as Error).message).toBe(message);
    }
  });
});
