/**
 * Bytes-like inputs: a Uint8Array (a Node Buffer too), any other ArrayBufferView and an
 * ArrayBuffer are bytes; anything else is Python's TypeError, in Python's words.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { asBytes, isBytesLike, isPyByteArray, PyByteArray, PyError, PyTypeError } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle
def bytes_like_error(v):
    try:
        pickle.loads(v)
    except TypeError as e:
        return str(e)
`);
});
afterAll(() => py.close());

const BYTES = [0, 1, 2, 250, 255, 7, 8, 9];

/** Every shape of the same 8 bytes: at an offset inside a bigger buffer where views allow it. */
function shapes(): [string, unknown][] {
  const backing = new Uint8Array(32);
  backing.set(BYTES, 8);
  const buf = backing.buffer;
  return [
    ["Uint8Array", Uint8Array.from(BYTES)],
    ["Uint8Array subarray", backing.subarray(8, 16)],
    ["Buffer", Buffer.from(BYTES)],
    ["ArrayBuffer", Uint8Array.from(BYTES).buffer],
    ["DataView", new DataView(buf, 8, 8)],
    ["Int8Array", new Int8Array(buf, 8, 8)],
    ["Uint16Array", new Uint16Array(buf, 8, 4)],
    ["Float64Array", new Float64Array(buf, 8, 1)],
    ["Uint8ClampedArray", new Uint8ClampedArray(buf, 8, 8)],
    [
      "SharedArrayBuffer",
      (() => {
        const s = new SharedArrayBuffer(8);
        new Uint8Array(s).set(BYTES);
        return s;
      })(),
    ],
  ];
}

describe("asBytes", () => {
  for (const [name, input] of shapes()) {
    test(`${name} is its bytes`, () => {
      expect(isBytesLike(input)).toBe(true);
      const b = asBytes(input);
      expect(b).toBeInstanceOf(Uint8Array);
      expect([...b]).toEqual(BYTES);
    });
  }

  const notBytes: [string, unknown, string][] = [
    ["str", "text", '"text"'],
    ["int", 5, "5"],
    ["float", 1.5, "1.5"],
    ["None", null, "None"],
    ["dict", {}, "{}"],
    ["list", [1, 2], "[1, 2]"],
    ["bool", true, "True"],
  ];
  for (const [name, input, pyExpr] of notBytes) {
    test(`${name} is Python's TypeError`, async () => {
      const message = await py.eval<string>(`bytes_like_error(${pyExpr})`);
      expect(message).toMatch(/^a bytes-like object is required, not /);
      expect(isBytesLike(input)).toBe(false);
      let caught: unknown;
      try {
        asBytes(input);
      } catch (e) {
        caught = e;
      }
      expect(PyTypeError.isInstance(caught)).toBe(true);
      expect(PyError.isInstance(caught)).toBe(true);
      expect((caught as PyTypeError).pyType).toBe("TypeError");
      expect((caught as Error).message).toBe(message);
    });
  }
});

describe("PyByteArray", () => {
  for (const [name, input] of shapes()) {
    test(`takes a ${name}`, () => {
      const b = new PyByteArray(input as ArrayBuffer);
      expect(isPyByteArray(b)).toBe(true);
      expect([...b.bytes]).toEqual(BYTES);
    });
  }
  test("a string is a TypeError", () => {
    expect(() => new PyByteArray("abc" as unknown as Uint8Array)).toThrow(PyTypeError);
  });
});
