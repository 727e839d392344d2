import { closeSync, createReadStream, openSync } from "node:fs";
import { type FileHandle, open, writeFile } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { asBytes, type BytesLike, isBytesLike, PyTypeError } from "@x/pyobject";
import { dumps } from "../dumps.js";
import { Pickler, type PicklerOptions } from "../pickler.js";
import { PickleScanner, SCAN_DONE } from "../stream/pickle-scanner.js";
import {
  type ByteStream,
  registeredReader,
  releaseStream,
  streamReader,
} from "../stream/pickle-stream-reader.js";
import { writeToWebStream } from "../stream/sinks.js";
import { type StreamLoadOptions, unpickleBytes, unpickleBytesLike } from "../stream/unpickle-bytes.js";
import { isWebWritableStream, type WebWritableStream } from "../stream/web-streams.js";
import { readPickleFromFd, readPickleFromHandle, readPicklesBuffered } from "./fd-reader.js";
import { readableChunkSource } from "./readable-source.js";
import { writeAllHandle, writeAllSync, writeToWritable } from "./sinks.js";

/** A file path: text or a `file:` URL. */
export type FilePath = string | URL;
/** A file path or an open file descriptor. */
export type FileSource = FilePath | number;
/** What the async loaders read: bytes, a path, a FileHandle, a Node Readable, a Web stream or an async iterable. */
export type AsyncSource = BytesLike | FilePath | FileHandle | Readable | ByteStream;
/** What the async dumper writes to: a path, a FileHandle, a Node Writable or a Web WritableStream. */
export type AsyncSink = FilePath | FileHandle | Writable | WebWritableStream;

function isFileHandle(v: unknown): v is FileHandle {
  const h = v as FileHandle;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof h.fd === "number" &&
    typeof h.read === "function" &&
    typeof h.stat === "function"
  );
}

function isNodeReadable(v: unknown): v is Readable {
  const r = v as Readable;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof r.read === "function" &&
    typeof r.unshift === "function" &&
    typeof r.on === "function"
  );
}

function isNodeWritable(v: unknown): v is Writable {
  const w = v as Writable;
  return typeof v === "object" && v !== null && typeof w.write === "function" && typeof w.on === "function";
}

/** A path is text or a file: URL; every bytes-like input (Buffers included) is pickle data. */
function isPath(v: unknown): v is FilePath {
  return typeof v === "string" || v instanceof URL;
}

/**
 * Reads one pickle, as `pickle.load`: from bytes (as `loads`), from a file path (its first
 * pickle), or from a file descriptor at its current position, consuming exactly that pickle:
 * call it again on the same descriptor for the next one, as Python code calls
 * `pickle.load(f)` repeatedly.
 * @throws PickleEOFError ("Ran out of input") when the file holds no further pickle.
 * @throws UnpicklingError for a truncated or malformed pickle.
 * @throws the file system error (ENOENT, EBADF, EISDIR...).
 */
export function load(source: BytesLike | FileSource, options?: StreamLoadOptions): unknown {
  if (typeof source === "number") return unpickleBytes(readPickleFromFd(source), options);
  if (isBytesLike(source)) return unpickleBytesLike(source, options);
  const fd = openSync(source, "r");
  try {
    return unpickleBytes(readPickleFromFd(fd), options);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every pickle of a file (or of bytes), in order, as Python code loops on `pickle.load(f)`
 * until EOFError.
 * A path is opened, read in large chunks and closed at the end (or when the loop stops); a
 * descriptor is read at its position, a pickle at a time, and left after the last one read.
 * @throws (from the iteration) UnpicklingError for a truncated or malformed pickle, and file
 *   system errors.
 */
export function* iterLoadSync(
  source: BytesLike | FileSource,
  options?: StreamLoadOptions,
): Generator<unknown, void> {
  if (isBytesLike(source)) {
    // As over io.BytesIO: each pickle is a view of the bytes, nothing is copied.
    let rest = asBytes(source);
    while (rest.length > 0) {
      const scanner = new PickleScanner();
      const end = scanner.scan(rest, rest.length) === SCAN_DONE ? scanner.end : rest.length;
      yield unpickleBytes(rest.subarray(0, end), options);
      rest = rest.subarray(end);
    }
    return;
  }
  if (typeof source === "number") {
    for (let b = readPickleFromFd(source); b !== null; b = readPickleFromFd(source))
      yield unpickleBytes(b, options);
    return;
  }
  const fd = openSync(source, "r");
  try {
    for (const b of readPicklesBuffered(fd)) yield unpickleBytes(b, options);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the pickle of `obj`, as `pickle.dump(obj, file)`: to a path (the file is created or
 * truncated) or appended at a file descriptor's position (dump again to the same descriptor
 * to write pickle after pickle). Writes are buffered: a frame at a time at protocol 4+, the
 * whole pickle at once below.
 * @throws PicklingError for a value that cannot be pickled (nothing is written to a path then).
 * @throws the file system error (ENOSPC, EBADF, EPIPE...); nothing fails silently.
 */
export function dump(obj: unknown, sink: FileSource, options?: Readonly<PicklerOptions>): void {
  if (typeof sink === "number") {
    new Pickler({ write: (b: Uint8Array) => writeAllSync(sink, b) }, options).dump(obj);
    return;
  }
  const bytes = dumps(obj, options);
  const fd = openSync(sink, "w");
  try {
    writeAllSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one pickle from any source, as `pickle.load`: bytes, a path (its first pickle), a
 * `FileHandle` (at its position, exactly one pickle consumed), a Node `Readable` (the bytes
 * read past the pickle are `unshift`ed back), a Web `ReadableStream` or an async iterable
 * (the extra bytes wait for the next call on the same object; see `releaseStream`).
 * @throws PickleEOFError ("Ran out of input") when the source holds no further pickle.
 * @throws UnpicklingError for a truncated or malformed pickle; the source's own errors.
 */
export async function loadAsync(source: AsyncSource, options?: StreamLoadOptions): Promise<unknown> {
  if (isBytesLike(source)) return unpickleBytesLike(source, options);
  if (isPath(source)) {
    const handle = await open(source, "r");
    try {
      return unpickleBytes(await readPickleFromHandle(handle), options);
    } finally {
      await handle.close();
    }
  }
  if (isFileHandle(source)) return unpickleBytes(await readPickleFromHandle(source), options);
  if (isNodeReadable(source)) {
    const reader = registeredReader(source, () => readableChunkSource(source));
    return unpickleBytes(await reader.readPickle(), options);
  }
  return unpickleBytes(await streamReader(source as ByteStream).readPickle(), options);
}

/**
 * Every pickle of a source, one at a time:
 * `for await (const obj of iterLoad(source)) ...`. Memory holds one pickle and one chunk,
 * however long the source. Sources as `loadAsync` takes them (a path is opened and closed).
 * @throws (from the iteration) UnpicklingError for a truncated or malformed pickle, and the
 *   source's own errors.
 */
export async function* iterLoad(
  source: AsyncSource,
  options?: StreamLoadOptions,
): AsyncGenerator<unknown, void> {
  if (isBytesLike(source)) {
    // As over io.BytesIO: pickle after pickle until the bytes run out.
    const bytes = asBytes(source);
    async function* once(): AsyncGenerator<Uint8Array> {
      yield bytes;
    }
    yield* iterLoad(once(), options);
    return;
  }
  if (isPath(source)) {
    const stream = createReadStream(source, { highWaterMark: 64 * 1024 });
    try {
      yield* iterLoad(stream, options);
    } finally {
      stream.destroy();
    }
    return;
  }
  if (isFileHandle(source)) {
    for (let b = await readPickleFromHandle(source); b !== null; b = await readPickleFromHandle(source)) {
      yield unpickleBytes(b, options);
    }
    return;
  }
  const reader = isNodeReadable(source)
    ? registeredReader(source, () => readableChunkSource(source))
    : streamReader(source as ByteStream);
  for (;;) {
    const bytes = await reader.readPickle();
    if (bytes === null) {
      if (!isNodeReadable(source)) releaseStream(source as ByteStream);
      return;
    }
    yield unpickleBytes(bytes, options);
  }
}

/**
 * Writes the pickle of `obj`, as `pickle.dump(obj, file)`: to a path (created or truncated),
 * a `FileHandle` (at its position), a Node `Writable` (resolves once flushed) or a Web
 * `WritableStream`.
 * @throws PicklingError for a value that cannot be pickled (nothing is written then).
 * @throws (rejects with) the sink's error when a write fails.
 */
export async function dumpAsync(
  obj: unknown,
  sink: AsyncSink,
  options?: Readonly<PicklerOptions>,
): Promise<void> {
  const bytes = dumps(obj, options);
  if (isPath(sink)) await writeFile(sink, bytes);
  else if (isFileHandle(sink)) await writeAllHandle(sink, bytes);
  else if (isWebWritableStream(sink)) await writeToWebStream(sink, bytes);
  else if (isNodeWritable(sink)) await writeToWritable(sink, bytes);
  else throw new PyTypeError("dumpAsync: expected a path, FileHandle, Writable or WritableStream");
}
