/**
 * Async loading and dumping over Node Readables/Writables, FileHandles and Web streams:
 * pickles CPython wrote, read one per call with the rest left in the source; pickles written
 * here, read by CPython; failures surface as rejections; iterating a long stream keeps memory
 * flat.
 */
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { PickleEOFError } from "@x/pickle-core";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumps } from "../src/index.js";
import { dumpAsync, iterLoad, loadAsync, releaseStream } from "../src/node/index.js";
import * as web from "../src/stream/index.js";
import { byteDiff, concatBytes } from "./support/bytes.js";

let py: PythonOracle;
let dir: string;
let threePath: string;
let threeBytes: Uint8Array;
const VALUES = [{ a: [1, 2.5, "x"], n: null }, [1, 2, 3], "three"];

beforeAll(async () => {
  py = await startPython();
  dir = mkdtempSync(join(tmpdir(), "pickle-io-streams-"));
  await py.exec(`
import pickle
VALUES = [{"a": [1, 2.5, "x"], "n": None}, [1, 2, 3], "three"]
def three(protos):
    return b"".join(pickle.dumps(v, p) for v, p in zip(VALUES, protos))
def read_all(data):
    import io
    f = io.BytesIO(data)
    out = []
    while True:
        try:
            out.append(pickle.load(f))
        except EOFError:
            return out
`);
  threeBytes = await py.call<Uint8Array>("three", [0, 2, 5]);
  threePath = join(dir, "three.pickle");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(threePath, threeBytes);
});
afterAll(async () => {
  await py.close();
  rmSync(dir, { recursive: true, force: true });
});

async function expectEOF(p: Promise<unknown>): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(PickleEOFError.isInstance(e)).toBe(true);
  expect((e as Error).message).toBe("Ran out of input");
}

async function drain(r: Readable): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of r) parts.push(c as Uint8Array);
  return concatBytes(parts);
}

describe("Node Readable", () => {
  test.each([1, 16, 65536])("three loads, then EOF (highWaterMark %i)", async (hwm) => {
    const r = createReadStream(threePath, { highWaterMark: hwm });
    for (const v of VALUES) expect(await loadAsync(r)).toEqual(v);
    await expectEOF(loadAsync(r));
  });

  test("bytes read past a pickle are unshifted back for any other reader", async () => {
    const r = createReadStream(threePath, { highWaterMark: 1 << 16 });
    expect(await loadAsync(r)).toEqual(VALUES[0]);
    const rest = await drain(r);
    const firstLen = threeBytes.length - rest.length;
    expect(byteDiff(rest, threeBytes.subarray(firstLen))).toBe("same");
    expect(await py.call("read_all", rest)).toEqual(VALUES.slice(1));
  });

  test("iterLoad over a Readable and over a path", async () => {
    const got: unknown[] = [];
    for await (const v of iterLoad(createReadStream(threePath, { highWaterMark: 7 }))) got.push(v);
    expect(got).toEqual(VALUES);
    const fromPath: unknown[] = [];
    for await (const v of iterLoad(threePath)) fromPath.push(v);
    expect(fromPath).toEqual(VALUES);
  });

  test("a stream error rejects the load", async () => {
    const r = new PassThrough();
    r.on("error", () => {}); // as any owner of a stream does; the load still rejects
    r.write(threeBytes.subarray(0, 3));
    const p = loadAsync(r);
    r.destroy(new Error("socket hang up"));
    await expect(p).rejects.toThrow("socket hang up");
  });

  test("a stream that ends inside a pickle: UnpicklingError, not a hang", async () => {
    const r = Readable.from([Buffer.from(threeBytes.subarray(0, 10))]);
    await expect(loadAsync(r)).rejects.toThrow(/truncated/);
  });
});

describe("FileHandle", () => {
  test("three loads at the handle's position, then EOF; the handle is left after each", async () => {
    const h = await open(threePath, "r");
    try {
      expect(await loadAsync(h)).toEqual(VALUES[0]);
      const buf = new Uint8Array(threeBytes.length);
      const { bytesRead } = await h.read(buf, 0, buf.length, null);
      expect(await py.call("read_all", buf.subarray(0, bytesRead))).toEqual(VALUES.slice(1));
    } finally {
      await h.close();
    }
    const h2 = await open(threePath, "r");
    try {
      for (const v of VALUES) expect(await loadAsync(h2)).toEqual(v);
      await expectEOF(loadAsync(h2));
    } finally {
      await h2.close();
    }
  });

  test("dumpAsync to a FileHandle and to a path; python reads them", async () => {
    const path = join(dir, "handle-out.pickle");
    const h = await open(path, "w");
    try {
      for (const v of VALUES) await dumpAsync(v, h, { protocol: 4 });
    } finally {
      await h.close();
    }
    expect(await py.call("read_all", readFileSync(path))).toEqual(VALUES);
    const p2 = join(dir, "path-out.pickle");
    await dumpAsync(VALUES, p2);
    expect(await loadAsync(p2)).toEqual(VALUES);
  });
});

describe("Node Writable", () => {
  test("three dumps to a write stream; python reads three", async () => {
    const path = join(dir, "writable.pickle");
    const w = createWriteStream(path);
    for (const v of VALUES) await dumpAsync(v, w, { protocol: 2 });
    await new Promise<void>((resolve) => w.end(resolve));
    expect(await py.call("read_all", readFileSync(path))).toEqual(VALUES);
  });

  test("a failing Writable rejects the dump", async () => {
    const w = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error("disk full"));
      },
    });
    w.on("error", () => {});
    await expect(dumpAsync([1, 2, 3], w)).rejects.toThrow("disk full");
  });
});

describe("Web streams (the platform-neutral entry)", () => {
  function webStream(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
    let at = 0;
    return new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) c.close();
        else {
          c.enqueue(bytes.slice(at, at + size));
          at += size;
        }
      },
    });
  }

  test("loadAsync three times on one ReadableStream, then EOF; releaseStream hands back the rest", async () => {
    const s = webStream(threeBytes, 5);
    for (const v of VALUES) expect(await web.loadAsync(s)).toEqual(v);
    await expectEOF(web.loadAsync(s));
    const s2 = webStream(threeBytes, 1 << 16);
    expect(await web.loadAsync(s2)).toEqual(VALUES[0]);
    const rest = releaseStream(s2);
    expect(await py.call("read_all", rest)).toEqual(VALUES.slice(1));
    expect(s2.locked).toBe(false);
  });

  test("for await over iterLoad", async () => {
    const got: unknown[] = [];
    for await (const v of web.iterLoad(webStream(threeBytes, 3))) got.push(v);
    expect(got).toEqual(VALUES);
  });

  test("dumpAsync to a WritableStream: CPython's bytes; a failing sink rejects", async () => {
    const chunks: Uint8Array[] = [];
    const sink = new WritableStream<Uint8Array>({
      write(c) {
        chunks.push(c);
      },
    });
    for (const v of VALUES) await web.dumpAsync(v, sink, { protocol: 5 });
    const expected = await py.call<Uint8Array>("three", [5, 5, 5]);
    expect(byteDiff(concatBytes(chunks), expected)).toBe("same");
    const failing = new WritableStream<Uint8Array>({
      write() {
        throw new Error("quota exceeded");
      },
    });
    await expect(web.dumpAsync([1], failing)).rejects.toThrow("quota exceeded");
  });

  test("iterLoad over bytes reads pickle after pickle, as over io.BytesIO", async () => {
    const got: unknown[] = [];
    for await (const v of iterLoad(threeBytes)) got.push(v);
    expect(got).toEqual(VALUES);
  });

  test("loadAsync(Uint8Array) is loads; an empty one is EOF", async () => {
    expect(await web.loadAsync(dumps({ x: 1 }))).toEqual({ x: 1 });
    await expectEOF(web.loadAsync(new Uint8Array(0)));
  });
});

describe("memory is bounded by the largest pickle, not the stream", () => {
  test("iterating 64 MB of small pickles keeps the heap flat", async () => {
    const one = dumps({ id: 123456, name: "a small record", tags: ["x", "y"], score: 0.5 }, { protocol: 4 });
    const perChunk = Math.floor((64 * 1024) / one.length);
    const chunk = concatBytes(Array.from({ length: perChunk }, () => one));
    const chunks = Math.ceil((64 * 1024 * 1024) / chunk.length);
    async function* source(): AsyncGenerator<Uint8Array> {
      // A fresh copy each time, as a socket would deliver; the stream is never held whole.
      for (let i = 0; i < chunks; i++) yield chunk.slice();
    }
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    for await (const v of web.iterLoad(source())) {
      if ((v as { id: number }).id !== 123456) throw new Error("bad value");
      if (++count % 20000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(count).toBe(chunks * perChunk);
    // 64 MB went through, as ~700,000 objects; what the heap holds is one chunk and garbage
    // (heapUsed counts garbage V8 has not collected yet, up to its young generation's size).
    // Holding the stream, or the values, would take more than 64 MB.
    expect(peak).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);
});
