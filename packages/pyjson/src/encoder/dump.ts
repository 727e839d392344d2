import { type DumpsOptions, encoderFor } from "./dumps.js";
import { iterencodeJoined } from "./json-encoder.js";

/** A Node `Writable`, or anything with `write(string)`; a returned promise is awaited. */
export interface WriteSink {
  write(chunk: string): unknown;
  /** Node streams: `write` returning false means wait for "drain". */
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** A Web `WritableStream<string>` (pipe it through a `TextEncoderStream` for bytes). */
export interface WebSink {
  getWriter(): {
    readonly ready: Promise<unknown>;
    write(chunk: string): Promise<void>;
    releaseLock(): void;
  };
}

/** Options of `dump`: those of `dumps`, plus how much text to gather per write. */
export interface DumpOptions extends DumpsOptions {
  /**
   * Chunks are joined until this many UTF-16 units before each write (CPython writes every
   * tiny chunk; joining saves a call per token). 0 writes each chunk as CPython does.
   * Default 16384.
   */
  chunkSize?: number | undefined;
}

const DEFAULT_CHUNK_SIZE = 16384;

/**
 * Writes the chunks, joined to at least `chunkSize` units per write. When encoding fails, the
 * text before the failing value is written first (CPython's dump has written it), then the
 * encoding error is thrown.
 */
async function pump(
  chunks: Iterable<string>,
  chunkSize: number,
  write: (s: string) => Promise<void>,
): Promise<void> {
  const it = chunks[Symbol.iterator]();
  let buf = "";
  for (;;) {
    let r: IteratorResult<string>;
    try {
      r = it.next();
    } catch (e) {
      if (buf.length > 0) await write(buf).catch(() => {});
      throw e;
    }
    if (r.done === true) break;
    buf += r.value;
    if (buf.length >= chunkSize) {
      const s = buf;
      buf = "";
      await write(s);
    }
  }
  if (buf.length > 0) await write(buf);
}

function isWebSink(s: WriteSink | WebSink): s is WebSink {
  return typeof (s as WebSink).getWriter === "function" && typeof (s as WriteSink).write !== "function";
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";
}

/** Waits for a Node stream's "drain" (or its "error"/"close", which end the dump). */
function drained(sink: WriteSink): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: unknown): void => {
      sink.removeListener?.("drain", onDrain);
      sink.removeListener?.("error", onError);
      sink.removeListener?.("close", onClose);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onDrain = (): void => done();
    const onError = (e: unknown): void => done(e ?? new Error("stream error"));
    const onClose = (): void => done(new Error("stream closed before the JSON document was written"));
    sink.once?.("drain", onDrain);
    sink.once?.("error", onError);
    sink.once?.("close", onClose);
  });
}

/**
 * Python's `json.dump`: writes `obj` as JSON text to `sink` chunk by chunk (from
 * `iterencode`, so memory stays bounded by `chunkSize` plus one container's keys), waiting
 * for backpressure. The sink is not closed, as Python leaves the file open.
 * @throws the errors of `dumps` (after the chunks before the failing value were written;
 * allowNan messages are those of CPython's Python encoder, which `json.dump` uses).
 */
export async function dump(
  obj: unknown,
  sink: WriteSink | WebSink,
  options: Readonly<DumpOptions> = {},
): Promise<void> {
  const { chunkSize = DEFAULT_CHUNK_SIZE, ...rest } = options;
  const chunks = iterencodeJoined(encoderFor(rest), obj, chunkSize);
  if (isWebSink(sink)) {
    const writer = sink.getWriter();
    let last: Promise<void> = Promise.resolve();
    try {
      await pump(chunks, chunkSize, async (s) => {
        await writer.ready;
        last = writer.write(s);
        // A failed write rejects `ready` for the next one, or `last` below.
        last.catch(() => {});
      });
      await last;
    } finally {
      writer.releaseLock();
    }
    return;
  }
  await pump(chunks, chunkSize, async (s) => {
    const r = sink.write(s);
    if (r === false && typeof sink.once === "function") await drained(sink);
    else if (isThenable(r)) await r;
  });
}
