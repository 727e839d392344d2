/**
 * Every input shape a JS developer has for bytes: Uint8Array, Buffer (pooled, at odd offsets),
 * DataView, other typed arrays (their bytes), ArrayBuffer; str as in Python; anything else is
 * Python's TypeError, word for word.
 */
import { Buffer } from "node:buffer";
import { PyByteArray } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { detectEncoding, load, loads } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(
    "import json\ndef _type_errors():\n    out = []\n    for v in ({}, 1, 1.5, None, [], True):\n        try:\n            json.loads(v)\n        except TypeError as e:\n            out.append(str(e))\n    return out",
  );
});
afterAll(async () => {
  await py.close();
});

const DOC = '{"a": [1, 2.5, "é😀"], "b": 12345678901234567890}';
const WANT = loads(DOC);
const utf8 = new TextEncoder().encode(DOC);

function shapes(bytes: Uint8Array): Array<[string, unknown]> {
  const ab = bytes.slice().buffer;
  // Buffers from the shared pool sit at offsets inside a larger ArrayBuffer holding other data.
  const pooled: Buffer[] = [];
  for (let i = 0; i < 5; i++) {
    const b = Buffer.from([0, ...bytes]).subarray(1); // pool slots are 8-aligned: one byte on
    pooled.push(b);
  }
  const padded = new Uint8Array(bytes.length + 3);
  padded.set(bytes, 3);
  const out: Array<[string, unknown]> = [
    ["Uint8Array", bytes],
    ["ArrayBuffer", ab],
    ["DataView", new DataView(padded.buffer, 3, bytes.length)],
    ["Uint8Array at offset 3", padded.subarray(3)],
    ["Int8Array", new Int8Array(padded.buffer, 3, bytes.length)],
    ["Uint8ClampedArray", new Uint8ClampedArray(ab)],
    ["PyByteArray", new PyByteArray(bytes)],
  ];
  for (const b of pooled) out.push([`pooled Buffer at offset ${b.byteOffset}`, b]);
  if (bytes.length % 2 === 0) out.push(["Uint16Array", new Uint16Array(bytes.slice().buffer)]);
  if (bytes.length % 4 === 0) out.push(["Float32Array", new Float32Array(bytes.slice().buffer)]);
  return out;
}

test("loads takes bytes in every shape: a view reads only its own window", () => {
  const pooled = shapes(utf8).filter(([n]) => n.startsWith("pooled"));
  expect(pooled.some(([, b]) => (b as Buffer).byteOffset % 2 === 1)).toBe(true);
  for (const [name, input] of shapes(utf8)) expect([name, loads(input as Uint8Array)]).toEqual([name, WANT]);
  // UTF-16-LE / UTF-32-BE bytes, detected as Python does, in typed arrays of other widths.
  const le16 = new Uint8Array(DOC.length * 2);
  for (let i = 0; i < DOC.length; i++) le16[2 * i] = DOC.charCodeAt(i) & 0xff;
  const ascii = '[1, "x", {"k": null}]';
  const be32 = new Uint8Array(ascii.length * 4);
  for (let i = 0; i < ascii.length; i++) be32[4 * i + 3] = ascii.charCodeAt(i);
  for (const [name, input] of shapes(be32))
    expect([name, loads(input as Uint8Array)]).toEqual([name, [1, "x", { k: null }]]);
  expect(detectEncoding(new DataView(be32.buffer))).toBe("utf-32-be");
  expect(detectEncoding(be32.buffer)).toBe("utf-32-be");
  expect(loads("[1]")).toEqual([1]);
});

test("anything else is Python's TypeError, in Python's words", async () => {
  const want = await py.call<string[]>("_type_errors");
  const got = [{}, 1, 1.5, null, [], true].map((v) => {
    try {
      loads(v as unknown as string);
    } catch (e) {
      return `${(e as { pyType?: string }).pyType}: ${(e as Error).message}`;
    }
    return "no error";
  });
  expect(got).toEqual(want.map((m) => `TypeError: ${m}`));
  expect(() => detectEncoding("x" as unknown as Uint8Array)).toThrow(
    "a bytes-like object is required, not 'str'",
  );
});

test("load reads chunks in every bytes shape", async () => {
  async function* chunks(): AsyncGenerator<unknown> {
    yield utf8.slice(0, 3).buffer;
    yield new DataView(utf8.slice(3, 9).buffer);
    yield Buffer.from(utf8.subarray(9, 20));
    yield utf8.subarray(20);
  }
  expect(await load(chunks() as AsyncIterable<Uint8Array>)).toEqual(WANT);
  const stream = new ReadableStream<unknown>({
    start(c) {
      c.enqueue(new Uint16Array(utf8.slice(0, 4).buffer));
      c.enqueue(utf8.slice(4).buffer);
      c.close();
    },
  });
  expect(await load(stream as ReadableStream<Uint8Array>)).toEqual(WANT);
});
