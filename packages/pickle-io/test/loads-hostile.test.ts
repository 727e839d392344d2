/**
 * Hostile input: deep nesting, lying lengths, prototype pollution, globals that would run
 * code, and random truncations / byte flips of valid pickles, which may only ever produce
 * this library's own errors.
 */
import { PickleError } from "@x/pickle-core";
import { isPyGlobal, isPyInstance, type PyInstance } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loads, UnpicklingError } from "../src/index.js";
import { fromHex } from "./unpickle-describe.js";

let py: PythonOracle;
let samples: Uint8Array[] = [];
beforeAll(async () => {
  py = await startPython();
  const hexes = await py.eval<string[]>(
    `[pickle.dumps(v, p).hex() for p in range(6) for v in [
        {'a': [1, 2.5, None, True, 'h\\u00e9', b'xy', (1, 2), {3: 4}, 2**70, -5, {1}, frozenset([2]), bytearray(b'q'), 1j]},
        [[i, str(i), float(i)] for i in range(30)],
        (lambda l: [l, l, (l,)])([1, 2]),
        __import__('collections').OrderedDict(a=1),
    ]]`.replace("pickle.dumps", "__import__('pickle').dumps"),
  );
  samples = hexes.map(fromHex);
});
afterAll(async () => {
  await py?.close();
});

function onlyOwnErrors(data: Uint8Array, model: "natural" | "faithful"): void {
  try {
    loads(data, { model });
  } catch (e) {
    if (!PickleError.isInstance(e))
      throw new Error(`foreign error ${String(e)} for ${Buffer.from(data).toString("hex")}`);
  }
}

test("random truncations and byte flips of valid pickles only raise the library's errors", () => {
  fc.assert(
    fc.property(
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      fc.option(fc.nat()),
      fc.boolean(),
      (which, flips, cut, faithful) => {
        const base = samples[which % samples.length] as Uint8Array;
        const data = base.slice();
        for (const [at, byte] of flips) data[at % data.length] = byte;
        const input = cut === null ? data : data.subarray(0, cut % (data.length + 1));
        onlyOwnErrors(input, faithful ? "faithful" : "natural");
      },
    ),
    { numRuns: 5000 },
  );
});

test("random bytes only raise the library's errors", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (data, faithful) => {
      onlyOwnErrors(data, faithful ? "faithful" : "natural");
    }),
    { numRuns: 5000 },
  );
});

test("1,000,000 levels of nesting load without recursion", () => {
  const depth = 1_000_000;
  const data = new Uint8Array(depth * 2 + 4);
  data.set([0x80, 0x02]);
  // ]( ... ]  then  a a a ... : each list appended to its parent
  let i = 2;
  for (let k = 0; k < depth; k++) data[i++] = 0x5d; // EMPTY_LIST
  for (let k = 0; k < depth - 1; k++) data[i++] = 0x61; // APPEND
  data[i++] = 0x2e;
  const v = loads(data.subarray(0, i)) as unknown[];
  let d = 1;
  let cur = v;
  while (cur.length > 0) {
    cur = cur[0] as unknown[];
    d++;
  }
  expect(d).toBe(depth);
});

test("deep tuples and dicts, in both models", () => {
  const depth = 200_000;
  const parts: number[] = [0x80, 0x02, 0x4e];
  for (let k = 0; k < depth; k++) parts.push(0x85); // TUPLE1
  parts.push(0x2e);
  expect(() => loads(new Uint8Array(parts), { model: "faithful" })).not.toThrow();
  const d: number[] = [0x80, 0x02];
  for (let k = 0; k < depth; k++) d.push(0x7d, 0x8c, 0x01, 0x6b); // EMPTY_DICT 'k'
  d.push(0x4e);
  for (let k = 0; k < depth; k++) d.push(0x73); // SETITEM
  d.push(0x2e);
  const v = loads(new Uint8Array(d)) as Record<string, unknown>;
  expect(Object.keys(v)).toEqual(["k"]);
});

test("a 20-byte pickle claiming 2**60 bytes fails at once without allocating", () => {
  for (const op of [0x8e, 0x8d, 0x96, 0x95]) {
    const data = new Uint8Array([0x80, 0x05, op, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x2e, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(data.length).toBe(20);
    const t = performance.now();
    expect(() => loads(data)).toThrow(UnpicklingError);
    // CPython allocates BINBYTES8/BYTEARRAY8 before reading (MemoryError); here nothing is allocated
    const allocatesFirst = op === 0x8e || op === 0x96;
    expect(() => loads(data)).toThrow(allocatesFirst ? /cannot allocate/ : /pickle data was truncated/);
    try {
      loads(data);
    } catch (e) {
      expect((e as UnpicklingError).pyType).toBe(allocatesFirst ? "MemoryError" : "UnpicklingError");
    }
    expect(performance.now() - t).toBeLessThan(50);
  }
  // 32-bit lengths too
  for (const op of [0x42, 0x58, 0x54]) {
    expect(() => loads(new Uint8Array([op, 0xff, 0xff, 0xff, 0x7f, 0x2e]))).toThrow(/truncated/);
  }
});

test("a huge memo index costs nothing", () => {
  // N LONG_BINPUT 0xffffffff LONG_BINGET 0xffffffff TUPLE2 STOP
  const data = new Uint8Array([0x4e, 0x72, 0xff, 0xff, 0xff, 0xff, 0x6a, 0xff, 0xff, 0xff, 0xff, 0x86, 0x2e]);
  expect(loads(data)).toEqual([null, null]);
});

test("no prototype pollution in the natural view", async () => {
  const h = await py.eval<string>(
    "__import__('pickle').dumps({'__proto__': {'polluted': 1}, 'constructor': {'prototype': {'polluted': 2}}, 'toString': 3}, 2).hex()",
  );
  const v = loads(fromHex(h)) as Record<string, unknown>;
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  expect(Object.keys(v)).toEqual(["__proto__", "constructor", "toString"]);
  expect(Object.getOwnPropertyDescriptor(v, "__proto__")?.value).toEqual({ polluted: 1 });
  expect(v.toString).toBe(3);
  // also when the dict later turns into a Map, and for every protocol
  for (let p = 0; p <= 5; p++) {
    const h2 = await py.eval<string>(`__import__('pickle').dumps({'__proto__': 1, 2: 3}, ${p}).hex()`);
    const m = loads(fromHex(h2)) as Map<unknown, unknown>;
    expect(m).toEqual(
      new Map<unknown, unknown>([
        ["__proto__", 1],
        [2, 3],
      ]),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }
});

test("os.system and friends load as inert data and never run", async () => {
  for (let p = 0; p <= 5; p++) {
    const h = await py.eval<string>(
      `__import__('pickle').dumps(type('E', (), {'__reduce__': lambda s: (__import__('os').system, ('echo pwned',))})(), ${p}).hex()`,
    );
    const v = loads(fromHex(h)) as PyInstance;
    expect(isPyInstance(v)).toBe(true);
    expect(isPyGlobal(v.cls)).toBe(true);
    expect(String(v.cls)).toBe("posix.system");
    expect(v.args).toEqual(["echo pwned"]);
    expect(() => loads(fromHex(h), { strict: true })).toThrow(/global 'posix.system' is forbidden/);
  }
});
