import {
  floatRepr,
  isPyGlobal,
  isPyInstance,
  PyError,
  PyTypeError,
  PyValueError,
  pyTypeName,
} from "@x/pyobject";
import type { EncoderConfig } from "./config.js";
import { decodeAscii } from "./escape.js";
import { writeExactInt } from "./exact-int.js";

const OUT_OF_RANGE = "Out of range float values are not JSON compliant";

/**
 * Python's `float.__repr__` with JSON's spellings of the specials. `cStyle` picks the
 * message CPython 3.11 gives when allowNan is false: its C encoder (dumps/encode without
 * indent) omits the value, the Python encoder (indent, iterencode, dump) appends `: nan`.
 * @throws PyValueError when the value is not finite and allowNan is false.
 */
export function floatText(x: number, cfg: EncoderConfig, cStyle: boolean): string {
  if (x - x === 0) {
    // Non-integral in [1e-4, 1e16): JS and Python both print the shortest digits positionally,
    // so String() is already Python's repr, without floatRepr's toExponential round trip.
    const a = x < 0 ? -x : x;
    if (a >= 1e-4 && a < 1e16 && !Number.isInteger(x)) return String(x);
    // Below 1e-9 both print d.ddde-XX with a decimal exponent of two or more digits.
    if (a < 1e-9 && a !== 0) return String(x);
    return floatRepr(x);
  }
  if (!cfg.allowNan) throw new PyValueError(cStyle ? OUT_OF_RANGE : `${OUT_OF_RANGE}: ${floatRepr(x)}`);
  return Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}

/**
 * An integral number as Python's int repr: the exact value. Past 2**53 String() pads the
 * shortest round-trip digits with zeros (or switches to exponent form), so BigInt spells it.
 */
export function intText(x: number): string {
  if (x <= 9007199254740992 && x >= -9007199254740992) return String(x);
  return decodeAscii(intScratch.subarray(0, writeExactInt(x, intScratch, 0)));
}
const intScratch = new Uint8Array(320);

/** Whether a JS number is a Python int under the model (natural: integral and not -0). */
export function isIntNumber(x: number, faithful: boolean): boolean {
  return !faithful && Number.isInteger(x) && (x !== 0 || 1 / x > 0);
}

/** A JS number as JSON text under the model. */
export function numberText(x: number, cfg: EncoderConfig, cStyle: boolean): string {
  if (!cfg.faithful && Number.isInteger(x) && (x !== 0 || 1 / x > 0)) return intText(x);
  return floatText(x, cfg, cStyle);
}

/** `type(v).__name__` for messages, with the number read under the model. */
export function typeName(v: unknown, faithful: boolean): string {
  if (typeof v === "number") return isIntNumber(v, faithful) ? "int" : "float";
  if (isPyInstance(v) && isPyGlobal(v.cls)) {
    const name = v.cls.name;
    return name.slice(name.lastIndexOf(".") + 1);
  }
  const n = pyTypeName(v);
  if (n === "object" && v !== null && typeof v === "object") {
    const ctor = (Object.getPrototypeOf(v) as { constructor?: unknown } | null)?.constructor;
    if (typeof ctor === "function" && ctor.name !== "" && ctor !== Object) return ctor.name;
  }
  return n;
}

/**
 * A dict key as the JSON string Python writes for it (before escaping), or `undefined` when
 * skipkeys drops it. Order of checks is CPython's: str, float, True/False/None, int.
 * @throws PyTypeError for other keys unless skipkeys ("keys must be str, int, float, bool or None, not tuple").
 */
export function keyText(k: unknown, cfg: EncoderConfig, cStyle: boolean): string | undefined {
  switch (typeof k) {
    case "string":
      return k;
    case "number":
      return numberText(k, cfg, cStyle);
    case "boolean":
      return k ? "true" : "false";
    case "bigint":
      return k.toString();
    case "undefined":
      return "null";
  }
  if (k === null) return "null";
  if (cfg.decodeBytes !== null && k instanceof Uint8Array) return cfg.decodeBytes(k);
  if (cfg.skipkeys) return undefined;
  throw new PyTypeError(`keys must be str, int, float, bool or None, not ${typeName(k, cfg.faithful)}`);
}

/** Python's RecursionError, raised where CPython would hit its recursion limit. */
export function recursionError(): PyError {
  return new PyError("RecursionError", "maximum recursion depth exceeded while encoding a JSON object");
}

/** Python's ValueError for a container met again while it is being encoded. */
export function circularError(): PyValueError {
  return new PyValueError("Circular reference detected");
}
