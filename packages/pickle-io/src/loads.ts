import { type PickleSource, Unpickler, type UnpicklerOptions } from "./unpickler.js";

/**
 * Reads one pickle from bytes, as `pickle.loads` (bytes after the STOP opcode are ignored).
 * @throws PickleEOFError for empty input; UnpicklingError for malformed input.
 */
export function loads(data: Uint8Array, options?: UnpicklerOptions): unknown {
  return new Unpickler(data, options).load();
}

/**
 * Reads one pickle from a file-like source, as `pickle.load`, leaving it just past the pickle.
 * @throws PickleEOFError when the source is exhausted; UnpicklingError for malformed input.
 */
export function load(source: PickleSource | Uint8Array, options?: UnpicklerOptions): unknown {
  return new Unpickler(source, options).load();
}
