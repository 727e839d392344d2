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

/**
 * Encoders for option sets of flags alone (no `default`, `cls`, indent, separators...), shared
 * across calls as Python shares its default one: none of them runs user code, so sharing is
 * not observable, and `dumps(v, { model })` in a loop costs no construction.
 */
const sharedEncoders: (JSONEncoder | undefined)[] = [];

/** Index in `sharedEncoders` for these options, or -1 when they need an encoder of their own. */
function sharedSlot(o: Readonly<DumpsOptions>): number {
  let slot = 0;
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    if (v === undefined) continue;
    switch (k) {
      case "model":
        if (v === "faithful") slot |= 1;
        else if (v !== "natural") return -1;
        break;
      case "ensureAscii":
        if (v === false) slot |= 2;
        else if (v !== true) return -1;
        break;
      case "sortKeys":
        if (v === true) slot |= 4;
        else if (v !== false) return -1;
        break;
      case "allowNan":
        if (v === false) slot |= 8;
        else if (v !== true) return -1;
        break;
      case "skipkeys":
        if (v === true) slot |= 16;
        else if (v !== false) return -1;
        break;
      case "checkCircular":
        if (v === false) slot |= 32;
        else if (v !== true) return -1;
        break;
      default:
        return -1;
    }
  }
  return slot;
}

/** The encoder `dumps`/`dump` use: a shared one for flag-only options (see sharedEncoders). */
export function encoderFor(options: Readonly<DumpsOptions>): JSONEncoder {
  if (isDefault(options)) {
    if (defaultEncoder === undefined) defaultEncoder = new JSONEncoder();
    return defaultEncoder;
  }
  const slot = sharedSlot(options);
  if (slot >= 0) {
    let enc = sharedEncoders[slot];
    if (enc === undefined) {
      enc = new JSONEncoder({
        model: slot & 1 ? "faithful" : "natural",
        ensureAscii: (slot & 2) === 0,
        sortKeys: (slot & 4) !== 0,
        allowNan: (slot & 8) === 0,
        skipkeys: (slot & 16) !== 0,
        checkCircular: (slot & 32) === 0,
      });
      sharedEncoders[slot] = enc;
    }
    return enc;
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
