import { type BytesLike, isBytesLike } from "@x/pyobject";
import { dumps } from "../dumps.js";
import type { PicklerOptions } from "../pickler.js";
import { type ByteStream, releaseStream, streamReader } from "./pickle-stream-reader.js";
import { writeToWebStream } from "./sinks.js";
import { type StreamLoadOptions, unpickleBytes, unpickleBytesLike } from "./unpickle-bytes.js";
import type { WebWritableStream } from "./web-streams.js";

/**
 * Reads one pickle from a Web `ReadableStream` or an `AsyncIterable` of byte chunks, as
 * `pickle.load(file)`: only the bytes of that pickle are consumed; bytes that arrived past
 * it wait (with the stream kept locked) for the next `loadAsync` or `iterLoad` on the same
 * stream object, or are handed back by `releaseStream`. Bytes (any bytes-like input) are read as `loads`.
 * @throws PickleEOFError ("Ran out of input") when the stream has no further pickle.
 * @throws UnpicklingError for a truncated or malformed pickle, or chunks that are not bytes.
 * @throws the stream's own error, when it fails.
 */
export async function loadAsync(
  source: ByteStream | BytesLike,
  options?: StreamLoadOptions,
): Promise<unknown> {
  if (isBytesLike(source)) return unpickleBytesLike(source, options);
  return unpickleBytes(await streamReader(source).readPickle(), options);
}

/**
 * Every pickle in a stream, one at a time, as Python code calls `pickle.load(f)` until
 * EOFError: `for await (const obj of iterLoad(stream)) ...`. Memory holds one pickle and one
 * chunk, however long the stream. At the end a Web stream's lock is released.
 * @throws (from the iteration) UnpicklingError for a truncated or malformed pickle, or the
 *   stream's own error.
 */
export async function* iterLoad(
  source: ByteStream,
  options?: StreamLoadOptions,
): AsyncGenerator<unknown, void> {
  const reader = streamReader(source);
  for (;;) {
    const bytes = await reader.readPickle();
    if (bytes === null) {
      releaseStream(source);
      return;
    }
    yield unpickleBytes(bytes, options);
  }
}

/**
 * Writes the pickle of `obj` to a Web `WritableStream`, as `pickle.dump(obj, file)`; resolves
 * once the stream accepted it.
 * @throws PicklingError for a value that cannot be pickled (nothing is written then).
 * @throws (rejects with) the stream's error when the write fails.
 */
export async function dumpAsync(
  obj: unknown,
  sink: WebWritableStream,
  options?: Readonly<PicklerOptions>,
): Promise<void> {
  await writeToWebStream(sink, dumps(obj, options));
}
