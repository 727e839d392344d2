/**
 * @x/pickle-io/stream: pickle over Web streams and async iterables, for browsers, Deno, Bun
 * and Node alike (no Node APIs).
 */
export { dumpAsync, iterLoad, loadAsync } from "./load-stream.js";
export { type ByteStream, releaseStream } from "./pickle-stream-reader.js";
export type { StreamLoadOptions, UnpicklerClass } from "./unpickle-bytes.js";
