/**
 * Cutting byte streams into pickles, checked on pickles CPython wrote (every protocol, the
 * Python 2 vectors of pickletester): every chunking, Web streams, async iterables,
 * truncations, hostile lengths. The bytes of each pickle must come out exactly.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PickleScanner, SCAN_DONE, SCAN_MORE } from "../src/stream/pickle-scanner.js";
import { MAX_READ, PickleSplitter } from "../src/stream/pickle-splitter.js";
import { type PickleStreamReader, releaseStream, streamReader } from "../src/stream/pickle-stream-reader.js";
import { byteDiff, concatBytes as concat, listDiff } from "./support/bytes.js";
import { CORPUS_PY } from "./support/corpus.js";

let py: PythonOracle;
let corpus: Uint8Array[];
let joined: Uint8Array;

function* chunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

beforeAll(async () => {
  py = await startPython();
  await py.exec(CORPUS_PY);
  corpus = await py.call<Uint8Array[]>("corpus");
  joined = concat(corpus);
});
afterAll(async () => {
  await py.close();
});

function splitAll(bytes: Uint8Array, size: number): Uint8Array[] {
  const sp = new PickleSplitter(64);
  const out: Uint8Array[] = [];
  for (const c of chunks(bytes, size)) {
    sp.push(c);
    for (let p = sp.next(); p !== undefined; p = sp.next()) out.push(p);
  }
  const tail = sp.finish();
  if (tail !== null) out.push(tail);
  return out;
}

describe("PickleSplitter", () => {
  test.each([1, 3, 7, 100, 4096, 65536, 1 << 22])(
    "cuts CPython's pickles exactly (chunks of %i bytes)",
    (size) => {
      const parts = splitAll(joined, size);
      expect(listDiff(parts, corpus)).toEqual([]);
    },
  );

  test("a stream cut anywhere: complete pickles, then the partial one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 300 }), (first, cutInto) => {
        const picked = corpus.slice(first, first + 3);
        const whole = concat(picked);
        const cut = Math.min(whole.length, cutInto);
        const parts = splitAll(whole.subarray(0, cut), 5);
        let at = 0;
        for (const p of parts) {
          expect(byteDiff(p, whole.subarray(at, at + p.length))).toBe("same");
          at += p.length;
        }
        expect(at).toBe(cut);
        // Every part but the last is a whole pickle.
        for (let i = 0; i < parts.length - 1; i++) expect(byteDiff(parts[i], picked[i])).toBe("same");
      }),
    );
  });

  test("an empty source yields no pickle", () => {
    expect(new PickleSplitter().finish()).toBeNull();
  });

  test("exact reads: wanted() never reaches past a pickle's STOP", () => {
    for (const p of corpus) {
      const sp = new PickleSplitter(16);
      let fed = 0;
      let out: Uint8Array | undefined;
      let overshoot = 0;
      while ((out = sp.next()) === undefined) {
        const n = sp.wanted();
        if (fed + n > p.length) overshoot++;
        sp.push(p.subarray(fed, fed + n));
        fed += n;
      }
      expect(overshoot).toBe(0);
      expect(byteDiff(out, p)).toBe("same");
      expect(fed).toBe(p.length);
    }
  });

  test("declared lengths only move an offset: 2**60-byte claims cost nothing", () => {
    const s = new PickleScanner();
    // PROTO 4, BINBYTES8 with length 2**60, a few bytes of data
    const hostile = new Uint8Array([0x80, 4, 0x8e, 0, 0, 0, 0, 0, 0, 0, 0x10, 1, 2, 3]);
    expect(s.scan(hostile, hostile.length)).toBe(SCAN_MORE);
    const sp = new PickleSplitter(16);
    sp.push(hostile);
    expect(sp.next()).toBeUndefined();
    expect(sp.wanted()).toBe(MAX_READ);
    // FRAME claiming 2**63
    const frame = new Uint8Array([0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x4e, 0x2e]);
    const sc = new PickleScanner();
    expect(sc.scan(frame, frame.length)).toBe(SCAN_DONE);
    expect(sc.end).toBe(frame.length);
  });

  test("an unknown opcode or a negative length ends the pickle there, for the unpickler to report", () => {
    const s = new PickleScanner();
    expect(s.scan(new Uint8Array([0x80, 2, 0xff, 1, 2]), 5)).toBe(SCAN_DONE);
    expect(s.end).toBe(3);
    const t = new PickleScanner();
    // BINSTRING with length -1
    expect(t.scan(new Uint8Array([0x54, 0xff, 0xff, 0xff, 0xff, 0x41]), 6)).toBe(SCAN_DONE);
    expect(t.end).toBe(5);
  });
});

describe("async stream sources", () => {
  async function readAll(r: PickleStreamReader): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (let p = await r.readPickle(); p !== null; p = await r.readPickle()) out.push(p);
    return out;
  }

  test("a Web ReadableStream, read one pickle per call, then null", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks(joined, 10_000)) c.enqueue(ch.slice());
        c.close();
      },
    });
    const parts = await readAll(streamReader(stream));
    expect(listDiff(parts, corpus)).toEqual([]);
    expect(await streamReader(stream).readPickle()).toBeNull();
  });

  test("the same stream object resumes where the last pickle ended; release returns the rest", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(joined.slice(0, 50_000));
        c.close();
      },
    });
    expect(byteDiff(await streamReader(stream).readPickle(), corpus[0])).toBe("same");
    expect(byteDiff(await streamReader(stream).readPickle(), corpus[1])).toBe("same");
    const rest = releaseStream(stream);
    expect(byteDiff(rest, joined.subarray(corpus[0]!.length + corpus[1]!.length, 50_000))).toBe("same");
    expect(stream.locked).toBe(false);
  });

  test("an async iterable of odd-sized chunks", async () => {
    async function* gen(): AsyncGenerator<Uint8Array> {
      for (const ch of chunks(joined, 777)) yield ch;
    }
    expect(listDiff(await readAll(streamReader(gen())), corpus)).toEqual([]);
  });

  test("a stream error rejects the read", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(corpus[0]!.subarray(0, 2));
        c.error(new Error("network down"));
      },
    });
    await expect(streamReader(stream).readPickle()).rejects.toThrow("network down");
  });

  test("text chunks are refused with a clear error", async () => {
    async function* gen(): AsyncGenerator<unknown> {
      yield "not bytes";
    }
    await expect(streamReader(gen() as AsyncIterable<Uint8Array>).readPickle()).rejects.toThrow(
      /must yield bytes/,
    );
  });
});
