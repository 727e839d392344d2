import { UnpicklingError } from "@x/pickle-core";
import { PickleSplitter } from "./pickle-splitter.js";
import { isWebReadableStream, type WebReadableStream } from "./web-streams.js";

/**
 * Where an async reader gets bytes: `pull()` resolves to the next chunk or `null` at the
 * end; `giveBack(rest)` is offered the bytes read past a pickle and returns true when the
 * source took them back (a Node Readable's `unshift`), false when the reader must keep them.
 */
export interface ChunkSource {
  pull(): Promise<Uint8Array | null>;
  giveBack?(rest: Uint8Array): boolean;
  /** Lets go of the source (a Web stream's lock). */
  release?(): void;
}

/** A Web stream or any async iterable of byte chunks (Node Readables are async iterables too). */
export type ByteStream = WebReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** A chunk as bytes; ArrayBuffer and other views are accepted, text is not. */
export function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new UnpicklingError(
    `a pickle stream must yield bytes (Uint8Array), not ${chunk === null ? "null" : typeof chunk}`,
  );
}

/** A ChunkSource over a Web stream (holding its lock) or an async iterable's iterator. */
function chunkSourceOf(stream: ByteStream): ChunkSource {
  if (isWebReadableStream(stream)) {
    const reader = stream.getReader();
    return {
      async pull() {
        const r = await reader.read();
        return r.done ? null : asBytes(r.value);
      },
      release() {
        reader.releaseLock();
      },
    };
  }
  const it = (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]?.();
  if (!it || typeof it.next !== "function") {
    throw new UnpicklingError("expected a ReadableStream or an AsyncIterable of Uint8Array chunks");
  }
  return {
    async pull() {
      const r = await it.next();
      return r.done ? null : asBytes(r.value);
    },
  };
}

/**
 * Reads one pickle at a time from a chunk source: exactly the bytes of each pickle, with the
 * bytes read past it kept for the next read (or given back to the source). Memory holds one
 * pickle plus one chunk, however long the stream.
 */
export class PickleStreamReader {
  private readonly splitter = new PickleSplitter(16 * 1024);
  private ended = false;

  constructor(private readonly source: ChunkSource) {}

  /**
   * The bytes of the next pickle; `null` when the source ended before its first byte; a
   * partial pickle when it ended inside one (the unpickler then reports the truncation).
   * @throws whatever the source throws (a stream error rejects the read).
   */
  async readPickle(): Promise<Uint8Array | null> {
    const sp = this.splitter;
    for (;;) {
      const bytes = sp.next();
      if (bytes !== undefined) {
        this.offerRest();
        return bytes;
      }
      const chunk = this.ended ? null : await this.source.pull();
      if (chunk === null) {
        this.ended = true;
        return sp.finish();
      }
      sp.push(chunk);
    }
  }

  /** Bytes read from the source and not yet part of a pickle returned. */
  takeRest(): Uint8Array {
    return this.splitter.rest();
  }

  /** Lets go of the source (a Web stream's lock); the reader is not used after this. */
  release(): void {
    this.source.release?.();
  }

  private offerRest(): void {
    if (!this.source.giveBack || this.splitter.queue.length === 0) return;
    const rest = this.splitter.queue.view();
    if (this.source.giveBack(rest.slice())) this.splitter.rest();
  }
}

/**
 * One reader per stream, so that `await loadAsync(stream)` twice reads two consecutive
 * pickles: a Web stream stays locked by its reader and the bytes read past a pickle wait
 * here for the next call. Weak keys: a dropped stream frees its reader.
 */
const readers = new WeakMap<object, PickleStreamReader>();

/** The reader that serves `stream` across calls (made on first use). */
export function streamReader(stream: ByteStream): PickleStreamReader {
  let r = readers.get(stream);
  if (r === undefined) {
    r = new PickleStreamReader(chunkSourceOf(stream));
    readers.set(stream, r);
  }
  return r;
}

/** The reader registered for `source`, if any (for sources with their own ChunkSource). */
export function registeredReader(source: object, make: () => ChunkSource): PickleStreamReader {
  let r = readers.get(source);
  if (r === undefined) {
    r = new PickleStreamReader(make());
    readers.set(source, r);
  }
  return r;
}

/**
 * Ends this library's use of `stream`: forgets its reader and returns the bytes it had read
 * past the last pickle (a Web stream's lock is released, so other code can read it on).
 */
export function releaseStream(stream: ByteStream): Uint8Array {
  const r = readers.get(stream);
  if (r === undefined) return new Uint8Array(0);
  readers.delete(stream);
  const rest = r.takeRest();
  r.release();
  return rest;
}
