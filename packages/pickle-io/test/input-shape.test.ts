/**
 * Every bytes-taking entry of @x/pickle-io takes a Uint8Array (a Node Buffer too), any other
 * ArrayBufferView (its bytes: DataView, typed arrays, at an offset in a larger buffer) and an
 * ArrayBuffer (`await response.arrayBuffer()`); anything else is Python's TypeError in
 * Python's words, as a PyTypeError (`pyType: "TypeError"`).
 */
import { Readable } from "node:stream";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  load,
  loads,
  NumpyArray,
  NumpyDType,
  NumpyScalar,
  PickleBuffer,
  PyError,
  PyTypeError,
  pyRepr,
  Unpickler,
} from "../src/index.js";
import * as node from "../src/node/index.js";
import * as stream from "../src/stream/index.js";

let py: PythonOracle;
let pickles: [number, Uint8Array, string][];

beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle
VALUE = [1, -2**70, "caf\\u00e9", b"\\x00\\xff", (1.5, None, True), {"k": [3]}]
def loads_error(v):
    try:
        pickle.loads(v)
    except TypeError as e:
        return str(e)
def unpickler_error(v):
    try:
        pickle.Unpickler(v)
    except TypeError as e:
        return str(e)
`);
  pickles = [];
  for (let proto = 0; proto <= 5; proto++) {
    pickles.push([
      proto,
      await py.eval<Uint8Array>(`pickle.dumps(VALUE, ${proto})`),
      await py.eval<string>("repr(VALUE)"),
    ]);
  }
}, 60_000);
afterAll(() => py?.close());

/** Every bytes-like shape of `bytes`; views sit at an offset inside a larger, junk-filled buffer. */
function shapes(bytes: Uint8Array): [string, ArrayBufferView | ArrayBuffer][] {
  const n = bytes.length;
  const backing = new ArrayBuffer(n + 24);
  new Uint8Array(backing).fill(0xab).set(bytes, 8);
  const out: [string, ArrayBufferView | ArrayBuffer][] = [
    ["Uint8Array", Uint8Array.from(bytes)],
    ["Buffer", Buffer.from(bytes)],
    ["ArrayBuffer", Uint8Array.from(bytes).buffer],
    ["DataView", new DataView(backing, 8, n)],
    ["Int8Array", new Int8Array(backing, 8, n)],
    ["Uint8ClampedArray", new Uint8ClampedArray(backing, 8, n)],
  ];
  if (n % 2 === 0) out.push(["Uint16Array", new Uint16Array(backing, 8, n / 2)]);
  return out;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The faithful model, so the repr compares with Python's exactly (tuples, ints). */
const F = { model: "faithful" } as const;

const LOADERS: [string, (input: ArrayBufferView | ArrayBuffer) => unknown | Promise<unknown>][] = [
  ["loads", (b) => loads(b, F)],
  ["load", (b) => load(b, F)],
  ["new Unpickler().load()", (b) => new Unpickler(b, F).load()],
  ["stream loadAsync", (b) => stream.loadAsync(b, F)],
  ["node load", (b) => node.load(b, F)],
  ["node loadAsync", (b) => node.loadAsync(b, F)],
  ["node iterLoadSync", (b) => [...node.iterLoadSync(b, F)][0]],
  [
    "node iterLoad",
    async (b) => {
      for await (const v of node.iterLoad(b, F)) return v;
      return undefined;
    },
  ],
  [
    "stream iterLoad over chunks of any view",
    async (b) => {
      const bytes = new Uint8Array(
        b instanceof ArrayBuffer ? b : b.buffer,
        b instanceof ArrayBuffer ? 0 : b.byteOffset,
        b.byteLength,
      );
      const chunks = [new DataView(bytes.buffer, bytes.byteOffset, 1), bytes.slice(1).buffer];
      for await (const v of stream.iterLoad(Readable.from(chunks) as AsyncIterable<Uint8Array>, F)) return v;
      return undefined;
    },
  ],
];

describe("loaders take any bytes-like input", () => {
  for (const [name, loader] of LOADERS) {
    test(`${name}: every shape at protocols 0-5 loads as Python's value`, async () => {
      expect(pickles).toHaveLength(6);
      for (const [proto, bytes, expected] of pickles) {
        for (const [shape, input] of shapes(bytes)) {
          expect(pyRepr(await loader(input)), `${shape}, protocol ${proto}`).toBe(expected);
        }
      }
    });
  }

  test("values never alias a DataView or ArrayBuffer input", () => {
    const [, bytes] = pickles[5]!;
    const buf = Uint8Array.from(bytes).buffer;
    const v = loads<unknown[]>(new DataView(buf)) as [unknown, unknown, unknown, Uint8Array];
    new Uint8Array(buf).fill(0);
    expect([...v[3]]).toEqual([0, 255]);
  });
});

describe("anything else is Python's TypeError", () => {
  const notBytes: [string, unknown, string][] = [
    ["str", "text", "'text'"],
    ["int", 5, "5"],
    ["None", null, "None"],
    ["dict", {}, "{}"],
  ];
  for (const [name, input, pyExpr] of notBytes) {
    test(`loads(${name})`, async () => {
      const message = await py.eval<string>(`loads_error(${pyExpr})`);
      expect(message).toMatch(/^a bytes-like object is required, not /);
      for (const e of [thrown(() => loads(input as Uint8Array))]) {
        expect(PyTypeError.isInstance(e)).toBe(true);
        expect(PyError.isInstance(e) && e.pyType).toBe("TypeError");
        expect((e as Error).message).toBe(message);
      }
    });
    test(`Unpickler(${name})`, async () => {
      const message = await py.eval<string>(`unpickler_error(${pyExpr})`);
      for (const e of [
        thrown(() => new Unpickler(input as Uint8Array)),
        thrown(() => load(input as Uint8Array)),
      ]) {
        expect(PyTypeError.isInstance(e)).toBe(true);
        expect((e as Error).message).toBe(message);
      }
    });
  }
});

describe("constructors that take bytes", () => {
  const bytes = Uint8Array.from([1, 0, 0, 0, 2, 0, 0, 0]);
  for (const [shape, input] of shapes(bytes)) {
    test(`${shape}: NumpyArray, NumpyScalar, PickleBuffer`, () => {
      expect(
        Array.from(new NumpyArray(NumpyDType.of("<i4"), [2], input).toTypedArray() as Int32Array),
      ).toEqual([1, 2]);
      expect(new NumpyScalar(NumpyDType.of("<i8"), input).value).toBe(8589934593n);
      expect([...new Uint8Array(new PickleBuffer(input).raw())]).toEqual([...bytes]);
    });
  }
  test("text is a TypeError", () => {
    const text = "12345678" as unknown as Uint8Array;
    expect(PyTypeError.isInstance(thrown(() => new NumpyArray(NumpyDType.of("<i4"), [2], text)))).toBe(true);
    expect(PyTypeError.isInstance(thrown(() => new NumpyScalar(NumpyDType.of("<i8"), text)))).toBe(true);
  });
});
