/**
 * The TS surface around Python's encoder: the natural and faithful models, Python 2's
 * `encoding`, dump() to Node and Web streams with backpressure, and hostile inputs.
 */
import { Writable } from "node:stream";
import { PyDict, PyError, PyFrozenSet, PyGlobal, PyInstance, PySet, PyTuple } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dump, dumps, encodeBasestring, JSONEncoder } from "../src/index.js";
import { PY_HELPERS } from "./encode-pysource.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_HELPERS);
});
afterAll(async () => {
  await py.close();
});

function errorOf(f: () => unknown): [string, string] {
  try {
    f();
  } catch (e) {
    if (PyError.isInstance(e)) return [e.pyType, e.message];
    throw e;
  }
  throw new Error("expected an error");
}

describe("natural model", () => {
  test("numbers: integral -> int, -0 and fractions -> float, huge integral numbers exact", () => {
    expect(dumps([1, -0, 0, 1.5, 2 ** 53 + 2, 1e21, -1e300, 2n ** 64n])).toBe(
      `[1, -0.0, 0, 1.5, 9007199254740994, 1000000000000000000000, -${BigInt(-1e300 * -1).toString()}, 18446744073709551616]`,
    );
  });
  test("faithful: every number is a float, bigint an int", () => {
    expect(dumps([1, 2n, 1e16, 1e-5, -0], { model: "faithful" })).toBe("[1.0, 2, 1e+16, 1e-05, -0.0]");
    expect(dumps(new Map([[1, 1]]), { model: "faithful" })).toBe('{"1.0": 1.0}');
  });
  test("undefined is None; holes in arrays too", () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    expect(dumps([undefined, , { a: undefined }])).toBe('[null, null, {"a": null}]');
  });
  test("tuples are arrays; PyDict, Map and plain objects are objects", () => {
    expect(dumps(new PyTuple([1, new PyTuple([])]))).toBe("[1, []]");
    expect(dumps(new PyDict([[new PyTuple([]).length, "x"]]))).toBe('{"0": "x"}');
    expect(dumps(Object.assign(Object.create(null), { a: 1 }))).toBe('{"a": 1}');
  });
  test("a __proto__ own key is written, nothing else is read from prototypes", () => {
    const o = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
    expect(dumps(o)).toBe('{"__proto__": {"x": 1}, "a": 2}');
    const inherited = Object.create({ hidden: 1 }) as Record<string, unknown>;
    inherited.own = 1;
    // Not a plain object (its prototype is not Object.prototype): default() decides.
    expect(errorOf(() => dumps(inherited))).toEqual([
      "TypeError",
      "Object of type object is not JSON serializable",
    ]);
  });
  test("an enumerable property added to Object.prototype is never written", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1;
    try {
      expect(dumps({ a: 1, b: [{ c: 2 }] })).toBe('{"a": 1, "b": [{"c": 2}]}');
      expect(dumps({ a: 1 }, { indent: 1, sortKeys: true })).toBe('{\n "a": 1\n}');
      expect([...new JSONEncoder().iterencode({ a: 1 })].join("")).toBe('{"a": 1}');
    } finally {
      delete proto.polluted;
    }
  });
  test("types with no JSON form go to default() with Python's names", () => {
    expect(errorOf(() => dumps(new Set([1])))).toEqual([
      "TypeError",
      "Object of type set is not JSON serializable",
    ]);
    expect(errorOf(() => dumps(new PySet([1])))).toEqual([
      "TypeError",
      "Object of type set is not JSON serializable",
    ]);
    expect(errorOf(() => dumps(new PyFrozenSet([1])))).toEqual([
      "TypeError",
      "Object of type frozenset is not JSON serializable",
    ]);
    expect(errorOf(() => dumps(new Uint8Array(1)))).toEqual([
      "TypeError",
      "Object of type bytes is not JSON serializable",
    ]);
    expect(errorOf(() => dumps(new Date(0)))).toEqual([
      "TypeError",
      "Object of type Date is not JSON serializable",
    ]);
    expect(errorOf(() => dumps(() => 1))).toEqual([
      "TypeError",
      "Object of type function is not JSON serializable",
    ]);
    const inst = new PyInstance(new PyGlobal("decimal", "Decimal"), ["1.5"]);
    expect(errorOf(() => dumps([inst]))).toEqual([
      "TypeError",
      "Object of type Decimal is not JSON serializable",
    ]);
    expect(dumps([inst], { default: (o) => (o as PyInstance).args[0] })).toBe('["1.5"]');
  });
  test("bad keys name their Python type", () => {
    expect(errorOf(() => dumps(new Map([[new PyTuple([1]), 1]])))).toEqual([
      "TypeError",
      "keys must be str, int, float, bool or None, not tuple",
    ]);
    expect(errorOf(() => dumps(new Map([[[1], 1]])))).toEqual([
      "TypeError",
      "keys must be str, int, float, bool or None, not list",
    ]);
  });
  test("a getter that calls dumps re-entrantly does not disturb the outer call", () => {
    const o = {
      get a(): string {
        return dumps({ inner: [1, 2] });
      },
      b: 3,
    };
    expect(dumps(o)).toBe('{"a": "{\\"inner\\": [1, 2]}", "b": 3}');
  });
  test("encode(str) and the encoder's attributes", () => {
    const enc = new JSONEncoder({ indent: 2 });
    expect(enc.itemSeparator).toBe(",");
    expect(enc.keySeparator).toBe(": ");
    expect(enc.encode("é")).toBe('"\\u00e9"');
    expect(new JSONEncoder({ ensureAscii: false }).encode("é\n")).toBe('"é\\n"');
    expect(encodeBasestring("\x00\x7f\ud800")).toBe('"\\u0000\x7f\ud800"');
  });
});

describe("encoding (Python 2's option)", () => {
  const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
  test("decodes bytes values and keys with the codec", async () => {
    const v = new Map<unknown, unknown>([
      [bytes(0xc3, 0xa9), bytes(0x68, 0x69)],
      ["k", [bytes(0xe2, 0x82, 0xac)]],
    ]);
    const expected = await py.eval<string>("json.dumps({'\\u00e9': 'hi', 'k': ['\\u20ac']})");
    expect(dumps(v, { encoding: "utf-8" })).toBe(expected);
    expect(dumps(v, { encoding: "UTF8" })).toBe(expected);
    expect(dumps(bytes(0xe9, 0x80), { encoding: "latin-1" })).toBe(
      await py.eval("json.dumps(bytes([0xe9, 0x80]).decode('latin-1'))"),
    );
    expect(dumps(bytes(0x41), { encoding: "ascii" })).toBe('"A"');
    expect(dumps(bytes(0x41, 0, 0x42, 0), { encoding: "utf-16le" })).toBe('"AB"');
  });
  test("bytes keys are sorted as text after decoding", () => {
    const v = new Map<unknown, unknown>([
      [bytes(0x62), 1],
      ["a", 2],
    ]);
    expect(dumps(v, { encoding: "utf-8", sortKeys: true })).toBe('{"a": 2, "b": 1}');
  });
  test("malformed bytes raise UnicodeDecodeError with CPython's message", async () => {
    for (const [codec, b] of [
      ["utf-8", [0xff]],
      ["utf-8", [0x61, 0xe2, 0x82]],
      ["utf-8", [0xe2, 0x41]],
      ["utf-8", [0xe2, 0x82, 0x41]],
      ["utf-8", [0xed, 0xa0, 0x80]],
      ["utf-8", [0xf4, 0x90, 0x80, 0x80]],
      ["utf-8", [0xc0, 0x80]],
      ["ascii", [0x61, 0x80]],
    ] as const) {
      const expected = await py.eval<string[]>(`_outcome(lambda b=b, codec=codec: bytes(b).decode(codec))`, {
        b: [...b],
        codec,
      });
      expect(errorOf(() => dumps(new Uint8Array(b), { encoding: codec }))).toEqual(expected.slice(1));
    }
  });
  test("an unknown codec is a LookupError", () => {
    expect(errorOf(() => dumps(1, { encoding: "no-such-codec" }))).toEqual([
      "LookupError",
      "unknown encoding: no-such-codec",
    ]);
  });
});

describe("dump", () => {
  const value = Array.from({ length: 3000 }, (_, i) => ({ i, s: "x".repeat(i % 50), f: i / 7 }));

  test("a plain sink gets exactly iterencode's chunks with chunkSize 0", async () => {
    const out: string[] = [];
    await dump(value.slice(0, 20), { write: (s: string) => out.push(s) }, { chunkSize: 0, indent: 1 });
    expect(out).toEqual([...new JSONEncoder({ indent: 1 }).iterencode(value.slice(0, 20))]);
  });

  test("a Node Writable with backpressure receives the whole document", async () => {
    const got: string[] = [];
    let drains = 0;
    const sink = new Writable({
      highWaterMark: 1024,
      decodeStrings: false,
      write(chunk: string, _enc, cb) {
        got.push(chunk);
        setImmediate(cb);
      },
    });
    sink.on("drain", () => drains++);
    await dump(value, sink, { chunkSize: 4096 });
    expect(got.join("")).toBe(dumps(value));
    expect(drains).toBeGreaterThan(0);
    expect(got.every((c) => c.length >= 4096) || got.length > 1).toBe(true);
  });

  test("a failing Node stream rejects the dump", async () => {
    const sink = new Writable({
      highWaterMark: 16,
      write(_c, _e, cb) {
        cb(new Error("disk full"));
      },
    });
    sink.on("error", () => {});
    await expect(dump(value, sink, { chunkSize: 64 })).rejects.toThrow();
  });

  test("a Web WritableStream, awaiting writer.ready", async () => {
    const got: string[] = [];
    const stream = new WritableStream<string>(
      {
        async write(chunk) {
          await new Promise((r) => setTimeout(r, 1));
          got.push(chunk);
        },
      },
      new CountQueuingStrategy({ highWaterMark: 2 }),
    );
    await dump(value, stream, { chunkSize: 8192, sortKeys: true });
    expect(got.join("")).toBe(dumps(value, { sortKeys: true }));
    expect(got.length).toBeGreaterThan(2);
    // The lock is released, as Python leaves the file open.
    expect(stream.locked).toBe(false);
  });

  test("a sink whose write returns a promise is awaited", async () => {
    let pending = 0;
    let maxPending = 0;
    const out: string[] = [];
    await dump(value, {
      write: async (s: string) => {
        pending++;
        maxPending = Math.max(maxPending, pending);
        await new Promise((r) => setTimeout(r, 0));
        out.push(s);
        pending--;
      },
    });
    expect(maxPending).toBe(1);
    expect(out.join("")).toBe(dumps(value));
  });

  test("errors surface after the chunks before them were written, as json.dump", async () => {
    const out: string[] = [];
    await expect(
      dump([1, 2, new Set()], { write: (s: string) => out.push(s) }, { chunkSize: 0 }),
    ).rejects.toThrow("Object of type set is not JSON serializable");
    expect(out.join("")).toBe("[1, 2, ");
    // Joined chunks too: what was encoded before the error is written first.
    const joined: string[] = [];
    await expect(dump([1, 2, new Set()], { write: (s: string) => joined.push(s) })).rejects.toThrow("set");
    expect(joined).toEqual(["[1, 2, "]);
  });

  test("joined writes are at least chunkSize long except the last", async () => {
    const out: string[] = [];
    await dump(value, { write: (s: string) => out.push(s) }, { chunkSize: 1000 });
    expect(out.join("")).toBe(dumps(value));
    expect(out.slice(0, -1).every((c) => c.length >= 1000)).toBe(true);
    expect(out.length).toBeGreaterThan(10);
  });

  test("a subclass overriding iterencode is what dump writes", async () => {
    class Upper extends JSONEncoder {
      override *iterencode(o: unknown): Generator<string, void, undefined> {
        for (const c of super.iterencode(o)) yield c.toUpperCase();
      }
    }
    const out: string[] = [];
    await dump({ a: "b" }, { write: (s: string) => out.push(s) }, { cls: Upper });
    expect(out.join("")).toBe('{"A": "B"}');
  });
});
