/**
 * Bytes-like inputs to pickletools and PickleBuffer: a Uint8Array (a Node Buffer too), any
 * other ArrayBufferView and an ArrayBuffer are the bytes they view; anything else is Python's
 * TypeError ("a bytes-like object is required, not 'str'") as a typed PyTypeError.
 */
import { PyTypeError } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dis, genops, optimize, PickleBuffer } from "../src/index.js";

let py: PythonOracle;
let pickle: Uint8Array;
let expectedDis: string;
let expectedOptimized: Uint8Array;
let expectedOps: [string, number][];
let notBytesMessage: string;

beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import io, pickle, pickletools
P = pickle.dumps([1, "two", (3.0, b"four"), {"five": None}], 2)
def dis_text(b):
    out = io.StringIO()
    pickletools.dis(b, out)
    return out.getvalue()
def loads_error(v):
    try:
        pickle.loads(v)
    except TypeError as e:
        return str(e)
`);
  pickle = await py.eval<Uint8Array>("P");
  expectedDis = await py.eval<string>("dis_text(P)");
  expectedOptimized = await py.eval<Uint8Array>("pickletools.optimize(P)");
  expectedOps = await py.eval<[string, number][]>(
    "[[op.name, pos] for op, arg, pos in pickletools.genops(P)]",
  );
  notBytesMessage = await py.eval<string>("loads_error('text')");
});
afterAll(() => py.close());

/** The pickle in every bytes-like shape, at an offset inside a larger buffer where views allow. */
function shapes(bytes: Uint8Array): [string, BufferSourceLike][] {
  const n = bytes.length;
  const backing = new ArrayBuffer(n + 16);
  new Uint8Array(backing).set(bytes, 8);
  const exact = Uint8Array.from(bytes).buffer;
  const aligned = new ArrayBuffer(Math.ceil(n / 8) * 8 + 8);
  new Uint8Array(aligned).set(bytes, 8);
  const shapes: [string, BufferSourceLike][] = [
    ["Uint8Array", Uint8Array.from(bytes)],
    ["Buffer", Buffer.from(bytes)],
    ["ArrayBuffer", exact],
    ["DataView", new DataView(backing, 8, n)],
    ["Int8Array", new Int8Array(backing, 8, n)],
    ["Uint8ClampedArray", new Uint8ClampedArray(backing, 8, n)],
  ];
  if (n % 2 === 0) shapes.push(["Uint16Array", new Uint16Array(aligned, 8, n / 2)]);
  return shapes;
}
type BufferSourceLike = ArrayBufferView | ArrayBuffer;

describe("pickletools take any bytes-like input", () => {
  test("shapes cover the pickle", () => {
    expect(shapes(pickle).length).toBeGreaterThanOrEqual(6);
  });
  for (const i of [0, 1, 2, 3, 4, 5]) {
    test(`shape ${i}: dis, genops, optimize`, () => {
      const [, input] = shapes(pickle)[i]!;
      expect(dis(input)).toBe(expectedDis);
      expect([...genops(input)].map(([op, , pos]) => [op.name, pos])).toEqual(expectedOps);
      expect(optimize(input)).toEqual(expectedOptimized);
    });
  }

  test("text is Python's TypeError", () => {
    expect(notBytesMessage).toBe("a bytes-like object is required, not 'str'");
    const text = "text" as unknown as Uint8Array;
    for (const f of [() => dis(text), () => [...genops(text)], () => optimize(text)]) {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(PyTypeError.isInstance(caught)).toBe(true);
      expect((caught as Error).message).toBe(notBytesMessage);
    }
  });
});

describe("PickleBuffer takes any bytes-like input", () => {
  for (const i of [0, 1, 2, 3, 4, 5]) {
    test(`shape ${i}`, () => {
      const [, input] = shapes(pickle)[i]!;
      expect(new Uint8Array(new PickleBuffer(input).raw())).toEqual(pickle);
    });
  }
  test("text is Python's TypeError", async () => {
    await py.exec(`
def picklebuffer_error(v):
    try:
        pickle.PickleBuffer(v)
    except TypeError as e:
        return str(e)
`);
    const message = await py.eval<string>("picklebuffer_error('text')");
    let caught: unknown;
    try {
      new PickleBuffer("text" as unknown as Uint8Array);
    } catch (e) {
      caught = e;
    }
    expect(PyTypeError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
  });
});
