import { asBytes, type BytesLike } from "@x/pyobject";
import { type PickleSource, Unpickler, type UnpicklerOptions } from "./unpickler.js";

/**
 * Reads one pickle from bytes, as `pickle.loads` (bytes after the STOP opcode are ignored).
 * `data` is a Uint8Array (a Buffer too), any other ArrayBufferView (its bytes) or an
 * ArrayBuffer (`await response.arrayBuffer()`). `T` is an unchecked cast for callers who know
 * the shape of the data (default `unknown`).
 * @throws PickleEOFError for empty input; UnpicklingError for malformed input.
 * @throws PyTypeError for input that is not bytes-like ("a bytes-like object is required, not 'str'").
 */
export function loads<T = unknown>(data: BytesLike, options?: UnpicklerOptions): T {
  return new Unpickler(asBytes(data), options).load() as T;
}

/**
 * Reads one pickle from a file-like source, as `pickle.load`, leaving it just past the pickle.
 * @throws PickleEOFError when the source is exhausted; UnpicklingError for malformed input.
 * @throws PyTypeError for a source that is neither bytes-like nor has `read`.
 */
export function load<T = unknown>(source: PickleSource | BytesLike, options?: UnpicklerOptions): T {
  return new Unpickler(source, options).load() as T;
}
