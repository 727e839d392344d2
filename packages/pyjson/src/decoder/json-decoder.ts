import { PyTypeError, PyValueError, pyTypeName } from "@x/pyobject";
import type { JSONDecoderOptions } from "./decoder-options.js";
import { faithfulFastParse, fastParse, USE_SCANNER } from "./fast-path.js";
import { codePointIndexOf, JSONDecodeError, unitIndexOf } from "./json-decode-error.js";
import { Scanner } from "./scanner.js";

function mustBeString(s: unknown): void {
  if (typeof s !== "string") throw new PyTypeError(`first argument must be a string, not ${pyTypeName(s)}`);
}

function skipWs(s: string, i: number): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
  }
  return i;
}

/**
 * Python's `json.JSONDecoder`. Construct once with options (resolved once), call `decode`
 * or `rawDecode` many times. Subclasses may override `decode` (see `loads`'s `cls`).
 *
 * Nesting depth is unbounded: the scanner is iterative, so 100,000+ levels decode where
 * CPython raises RecursionError.
 */
export class JSONDecoder {
  /** The options this decoder was built with. */
  readonly options: Readonly<JSONDecoderOptions>;
  private readonly scanner: Scanner;
  // JSON.parse is used for the natural model without hooks, where it provably agrees.
  private readonly jsonParse: boolean;
  /** The faithful model without hooks: JSON.parse for array documents of no objects and ints. */
  private readonly faithfulParse: boolean;
  private readonly maxDigits: number;

  /** @throws {PyValueError} when `intMaxStrDigits` is neither 0 nor at least 640 (as Python). */
  constructor(options: Readonly<JSONDecoderOptions> = {}) {
    const digits = options.intMaxStrDigits;
    if (digits !== undefined && !(digits === 0 || (Number.isInteger(digits) && digits >= 640)))
      throw new PyValueError("maxdigits must be 0 or larger than 640");
    this.options = options;
    this.scanner = new Scanner(options);
    this.maxDigits = digits ?? 4300;
    const hooks =
      !!options.objectHook ||
      !!options.objectPairsHook ||
      !!options.parseFloat ||
      !!options.parseInt ||
      !!options.parseConstant;
    this.jsonParse = options.model !== "faithful" && !hooks;
    this.faithfulParse = options.model === "faithful" && !hooks;
  }

  /**
   * Python's `decode(s)`: one JSON value, optionally surrounded by whitespace.
   * @throws {JSONDecodeError} for malformed text (CPython's msg, pos, lineno, colno), including
   *   `"Extra data"` after the value.
   * @throws {PyValueError} for an int literal longer than `intMaxStrDigits`.
   * @throws {PyTypeError} when `s` is not a string.
   */
  decode(s: string): unknown {
    if (typeof s !== "string")
      throw new PyTypeError(`expected string or bytes-like object, got '${pyTypeName(s)}'`);
    if (this.jsonParse) {
      const value = fastParse(s, this.maxDigits);
      if (value !== USE_SCANNER) return value;
    } else if (this.faithfulParse) {
      const value = faithfulFastParse(s);
      if (value !== USE_SCANNER) return value;
    }
    const scanner = this.scanner;
    const value = scanner.scanOnce(s, skipWs(s, 0));
    const end = skipWs(s, scanner.end);
    if (end !== s.length) throw JSONDecodeError.atUnit("Extra data", s, end);
    return value;
  }

  /**
   * Python's `raw_decode(s, idx)`: decodes the value starting exactly at `idx` (no leading
   * whitespace allowed) and returns it with the index just past it, so further values can
   * follow. Indices are Python's code point indices (equal to JS indices unless the text holds
   * astral characters).
   * @throws {JSONDecodeError} for malformed text.
   * @throws {PyValueError} `idx cannot be negative`.
   * @throws {PyTypeError} when `s` is not a string.
   */
  rawDecode(s: string, idx = 0): [value: unknown, end: number] {
    mustBeString(s);
    if (idx < 0) throw new PyValueError("idx cannot be negative");
    const scanner = this.scanner;
    const value = scanner.scanOnce(s, unitIndexOf(s, idx));
    return [value, codePointIndexOf(s, scanner.end)];
  }
}

/**
 * Python's `json.decoder.scanstring(s, end, strict=True)`: decodes the JSON string body that
 * starts at `end` (just past the opening quote) and returns it with the index past the closing
 * quote. Indices are code point indices, as in Python.
 * @throws {JSONDecodeError} for an unterminated string, a bad escape or (when `strict`) a control
 *   character.
 * @throws {PyValueError} `end is out of bounds`.
 * @throws {PyTypeError} when `s` is not a string.
 */
export function scanstring(s: string, end: number, strict = true): [value: string, end: number] {
  mustBeString(s);
  const unit = unitIndexOf(s, end);
  if (end < 0 || unit > s.length) throw new PyValueError("end is out of bounds");
  const scanner = strict ? strictScanner : laxScanner;
  const value = scanner.scanString(s, unit - 1);
  return [value, codePointIndexOf(s, scanner.end)];
}

const strictScanner = new Scanner({});
const laxScanner = new Scanner({ strict: false });
