import type { JSONEncoderOptions } from "./config.js";
import { JSONEncoder, type JSONEncoderClass } from "./json-encoder.js";

/** Options of `dumps`: the encoder's, plus `cls`. */
export interface DumpsOptions extends JSONEncoderOptions {
  /** The encoder class to use (a `JSONEncoder` subclass). Default `JSONEncoder`. */
  cls?: JSONEncoderClass | null | undefined;
}

let defaultEncoder: JSONEncoder | undefined;

function isDefault(o: Readonly<DumpsOptions>): boolean {
  for (const k in o) if ((o as Record<string, unknown>)[k] !== undefined) return false;
  return true;
}

/** The encoder `dumps`/`dump` use: a shared default one when no option is set, as Python. */
export function encoderFor(options: Readonly<DumpsOptions>): JSONEncoder {
  if (isDefault(options)) {
    if (defaultEncoder === undefined) defaultEncoder = new JSONEncoder();
    return defaultEncoder;
  }
  const { cls, ...rest } = options;
  return new (cls ?? JSONEncoder)(rest);
}

/**
 * Python's `json.dumps`: `obj` as JSON text, byte for byte what CPython writes for the same
 * value and options.
 * @throws PyTypeError for values with no JSON form ("Object of type set is not JSON
 * serializable"), bad keys, or unorderable keys with sortKeys.
 * @throws PyValueError "Circular reference detected", or for NaN/Infinity with allowNan false.
 * @throws PyError `RecursionError` past `maxDepth`.
 */
export function dumps(obj: unknown, options: Readonly<DumpsOptions> = {}): string {
  return encoderFor(options).encode(obj);
}
