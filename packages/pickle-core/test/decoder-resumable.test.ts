/**
 * The resumable machine: fed in any chunking (down to one byte at a time), it returns the
 * same values as when fed at once, reports NEED_MORE with a useful `bytesNeeded`, stops
 * exactly after STOP (`consumed`), and decodes back-to-back pickles.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { NEED_MORE, PickleDecoder, PickleEOFError, UnpicklingError } from "../src/index.js";

let py: PythonOracle;
let samples: Uint8Array[] = [];
beforeAll(async () => {
  py = await startPython();
  const hexes = await py.eval<string[]>(
    `[__import__('pickle').dumps(v, p).hex() for p in range(6) for v in [
        {'a': [1, 2.5, None, True, 'h\\u00e9\\U0001f600', b'xy' * 40, (1, 2), {3: 4}, 2**70, -5, {1}, frozenset([2]), bytearray(b'q'), 1j]},
        [[i, str(i) * 30, float(i)] for i in range(300)],
        (lambda l: [l, l, (l,)])([1, 2]),
        'x' * 70000,
    ]]`,
  );
  samples = hexes.map((h) => new Uint8Array(Buffer.from(h, "hex")));
});
afterAll(async () => {
  await py?.close();
});

function whole(data: Uint8Array): unknown {
  const d = new PickleDecoder(undefined, { model: "faithful" });
  d.feed(data);
  d.endInput();
  return d.run();
}

/** Feeds `data` in the given chunk sizes, calling run() after each chunk. */
function chunked(data: Uint8Array, sizes: number[]): { value: unknown; needMores: number } {
  const d = new PickleDecoder(undefined, { model: "faithful" });
  let at = 0;
  let k = 0;
  let needMores = 0;
  for (;;) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    const chunk = data.slice(at, at + n);
    at += chunk.length;
    if (chunk.length === 0) d.endInput();
    else d.feed(chunk);
    const v = d.run();
    if (v !== NEED_MORE) {
      expect(d.consumed).toBe(data.length);
      return { value: v, needMores };
    }
    needMores++;
    // (a plain check: expect() per byte would dominate the run time)
    if (!(d.bytesNeeded >= 1)) throw new Error(`bytesNeeded ${d.bytesNeeded} after NEED_MORE`);
  }
}

test("any chunking gives the same value as one feed", () => {
  fc.assert(
    fc.property(
      fc.nat(),
      fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
      (which, sizes) => {
        const data = samples[which % samples.length] as Uint8Array;
        expect(chunked(data, sizes).value).toEqual(whole(data));
      },
    ),
    { numRuns: 100 },
  );
});

test("one byte at a time", () => {
  for (const data of samples) {
    const r = chunked(data, [1]);
    expect(r.value).toEqual(whole(data));
  }
});

test("reading exactly bytesNeeded never reads past STOP", () => {
  for (const data of samples) {
    const tail = new Uint8Array([0xde, 0xad]);
    const src = new Uint8Array(data.length + tail.length);
    src.set(data);
    src.set(tail, data.length);
    const d = new PickleDecoder();
    let at = 0;
    let v: unknown = NEED_MORE;
    while ((v = d.run()) === NEED_MORE) {
      let n = d.bytesNeeded;
      if (d.needsLine) {
        // a reader with readline() would read to the newline; emulate it
        const nl = src.indexOf(0x0a, at);
        n = nl - at + 1;
      }
      d.feed(src.slice(at, at + n));
      at += n;
    }
    expect(at).toBe(data.length);
    expect(d.consumed).toBe(data.length);
  }
});

test("FRAME asks for the whole frame at once", () => {
  const data = samples.find((s) => s[1] === 4 && s.length > 1000) as Uint8Array;
  const d = new PickleDecoder();
  d.feed(data.subarray(0, 2));
  expect(d.run()).toBe(NEED_MORE);
  d.feed(data.subarray(2, 11)); // the FRAME opcode and its length
  expect(d.run()).toBe(NEED_MORE);
  const frameLen = Number(new DataView(data.buffer, data.byteOffset + 3, 8).getBigUint64(0, true));
  expect(d.bytesNeeded).toBe(frameLen);
});

test("back-to-back pickles, then end of input", () => {
  const a = samples[0] as Uint8Array;
  const b = samples[7] as Uint8Array;
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  const d = new PickleDecoder(undefined, { model: "faithful" });
  d.feed(both);
  expect(d.run()).toEqual(whole(a));
  expect(d.consumed).toBe(a.length);
  expect(d.remaining().length).toBe(b.length);
  expect(d.run()).toEqual(whole(b));
  expect(d.run()).toBe(NEED_MORE);
  d.endInput();
  expect(() => d.run()).toThrow(PickleEOFError);
});

test("end of input inside an opcode is a truncation error", () => {
  const data = samples[3] as Uint8Array;
  const d = new PickleDecoder();
  d.feed(data.subarray(0, data.length - 3));
  expect(d.run()).toBe(NEED_MORE);
  d.endInput();
  expect(() => d.run()).toThrow(UnpicklingError);
  expect(() => new PickleDecoder().feed(new Uint8Array(1))).not.toThrow();
});

test("a cut inside a long string resumes without re-reading what was decoded", () => {
  const data = samples[3 * 4 + 3] as Uint8Array; // protocol 3: BINUNICODE
  const d = new PickleDecoder();
  d.feed(data.subarray(0, 100));
  expect(d.run()).toBe(NEED_MORE);
  expect(d.bytesNeeded).toBeGreaterThan(60000);
  d.feed(data.subarray(100));
  expect(d.run()).toBe("x".repeat(70000));
});
