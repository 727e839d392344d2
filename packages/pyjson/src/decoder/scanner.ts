import { PyDict, PyValueError } from "@x/pyobject";
import type { DecodedObject, JSONConstantName, JSONDecoderOptions } from "./decoder-options.js";
import { JSONDecodeError } from "./json-decode-error.js";

// Container kinds on the explicit stack (no recursion over nesting: 100k+ levels are fine).
const ARRAY = 0;
const OBJECT = 1; // natural: plain object
const DICT = 2; // faithful: PyDict
const PAIRS = 3; // objectPairsHook: [key, value] list

/** Held by a closed dict's value-stack entry (its array now belongs to the PyDict). */
const NO_VALUES: unknown[] = [];

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** Python's whitespace between tokens: space, \t, \n, \r only. */
function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // Assignment to "__proto__" would change the prototype; define it as an own key instead.
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/**
 * CPython's C scanner (`_json.c` `scan_once`), iterative: the same grammar, the same values and
 * the same error messages at the same positions. Holds resolved options; `end` is the index one
 * past the last value parsed (UTF-16 units).
 */
/** Slots of the per-call key cache (a power of two) and the longest key it holds. */
const KEY_CACHE_SIZE = 256;
const KEY_CACHE_MASK = KEY_CACHE_SIZE - 1;
const KEY_CACHE_MAX_LENGTH = 64;

/** Shorter substrings are copied by V8, longer ones may be slices that keep their parent alive. */
const SLICE_MIN_LENGTH = 13;

export class Scanner {
  end = 0;
  private readonly keyCache: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SIZE).fill(
    undefined,
  );
  /** Whether `keyCache` may hold a slice of the text (cleared after the call then). */
  private keyCacheHoldsSlices = false;
  private readonly faithful: boolean;
  private readonly strict: boolean;
  private readonly maxDigits: number;
  private readonly objectHook: ((obj: DecodedObject) => unknown) | undefined;
  private readonly objectPairsHook: ((pairs: Array<[string, unknown]>) => unknown) | undefined;
  private readonly parseFloat: ((text: string) => unknown) | undefined;
  private readonly parseInt: ((text: string) => unknown) | undefined;
  private readonly parseConstant: ((name: JSONConstantName) => unknown) | undefined;

  constructor(o: Readonly<JSONDecoderOptions>) {
    this.faithful = o.model === "faithful";
    this.strict = o.strict ?? true;
    this.maxDigits = o.intMaxStrDigits ?? 4300;
    this.objectHook = o.objectHook;
    this.objectPairsHook = o.objectPairsHook;
    this.parseFloat = o.parseFloat;
    this.parseInt = o.parseInt;
    this.parseConstant = o.parseConstant;
  }

  /**
   * Parses one value starting exactly at `idx` (no leading whitespace skipped).
   * @throws {JSONDecodeError} on malformed input ("Expecting value" when none starts at `idx`).
   */
  scanOnce(s: string, idx: number): unknown {
    try {
      return this.scan(s, idx);
    } finally {
      // Cached keys that are slices of this text would keep all of it alive: not kept past the
      // call. Short keys are copies (V8 slices from 13 units): a small document's keys stay
      // cached, and its call skips the 256-slot fill (most of a tiny faithful loads).
      if (this.keyCacheHoldsSlices) {
        this.keyCache.fill(undefined);
        this.keyCacheHoldsSlices = false;
      }
    }
  }

  private scan(s: string, idx: number): unknown {
    const n = s.length;
    // The open containers as parallel stacks (no object per level): kind, container, key. A
    // faithful dict is gathered as its key array (the container) and its value array, then built
    // in one pass when it closes.
    const kinds: number[] = [];
    const containers: unknown[] = [];
    const keys: string[] = [];
    const dictValues: unknown[][] = [];
    let depth = 0;
    let i = idx;
    let value: unknown;
    for (;;) {
      // Parse a value at i, or open a container and go round for its first value.
      const c = s.charCodeAt(i);
      if (c === 34 /* " */) {
        value = this.scanString(s, i);
        i = this.end;
      } else if ((c >= 48 && c <= 57) || (c === 45 && s.charCodeAt(i + 1) !== 73) /* not -Infinity */) {
        // Numbers before the rarer tokens: no startsWith("-Infinity") call per negative number.
        value = this.scanNumber(s, i);
        i = this.end;
      } else if (c === 123 /* { */) {
        i++;
        while (i < n && isWs(s.charCodeAt(i))) i++;
        const kind = this.objectPairsHook ? PAIRS : this.faithful ? DICT : OBJECT;
        if (s.charCodeAt(i) === 125 /* } */) {
          const empty = kind === PAIRS ? [] : kind === DICT ? new PyDict<string, unknown>() : {};
          value = this.finishObject(kind, empty);
          i++;
        } else {
          const key = this.scanKey(s, i);
          i = this.end;
          kinds[depth] = kind;
          if (kind === DICT) {
            containers[depth] = [key];
            dictValues[depth++] = [];
          } else {
            keys[depth] = key;
            containers[depth++] = kind === PAIRS ? [] : {};
          }
          continue;
        }
      } else if (c === 91 /* [ */) {
        i++;
        while (i < n && isWs(s.charCodeAt(i))) i++;
        if (s.charCodeAt(i) === 93 /* ] */) {
          value = [];
          i++;
        } else {
          kinds[depth] = ARRAY;
          containers[depth++] = [];
          continue;
        }
      } else if (c === 110 /* n */ && s.startsWith("null", i)) {
        value = null;
        i += 4;
      } else if (c === 116 /* t */ && s.startsWith("true", i)) {
        value = true;
        i += 4;
      } else if (c === 102 /* f */ && s.startsWith("false", i)) {
        value = false;
        i += 5;
      } else if (c === 78 /* N */ && s.startsWith("NaN", i)) {
        value = this.constant("NaN");
        i += 3;
      } else if (c === 73 /* I */ && s.startsWith("Infinity", i)) {
        value = this.constant("Infinity");
        i += 8;
      } else if (c === 45 /* - */ && s.startsWith("-Infinity", i)) {
        value = this.constant("-Infinity");
        i += 9;
      } else {
        value = this.scanNumber(s, i);
        i = this.end;
      }

      // Hand the value to the enclosing containers, closing those that end here.
      for (;;) {
        if (depth === 0) {
          this.end = i;
          return value;
        }
        const top = depth - 1;
        const kind = kinds[top]!;
        const container = containers[top];
        if (kind === ARRAY) (container as unknown[]).push(value);
        else if (kind === OBJECT) defineOwn(container as Record<string, unknown>, keys[top]!, value);
        else if (kind === DICT) dictValues[top]!.push(value);
        else (container as Array<[string, unknown]>).push([keys[top]!, value]);
        while (i < n && isWs(s.charCodeAt(i))) i++;
        const d = s.charCodeAt(i);
        if (d === (kind === ARRAY ? 93 : 125) /* ] or } */) {
          i++;
          containers[--depth] = undefined; // let the finished container go
          if (kind === ARRAY) value = container;
          else if (kind === DICT) {
            const dict = PyDict.fromStrEntries(container as string[], dictValues[depth]!);
            dictValues[depth] = NO_VALUES;
            value = this.objectHook ? this.objectHook(dict) : dict;
          } else value = this.finishObject(kind, container);
          continue;
        }
        if (d !== 44 /* , */) throw JSONDecodeError.atUnit("Expecting ',' delimiter", s, i);
        i++;
        while (i < n && isWs(s.charCodeAt(i))) i++;
        if (kind === DICT) {
          (container as string[]).push(this.scanKey(s, i));
          i = this.end;
        } else if (kind !== ARRAY) {
          keys[top] = this.scanKey(s, i);
          i = this.end;
        }
        break;
      }
    }
  }

  /**
   * `"key"`, whitespace, `:`, whitespace; leaves `end` at the value. A key without escapes is
   * looked up in `keyCache` first (as CPython's scanner memoizes keys): repeated record keys
   * then cost a compare, not a new string each (and are internalized once as property names).
   */
  private scanKey(s: string, i: number): string {
    if (s.charCodeAt(i) !== 34)
      throw JSONDecodeError.atUnit("Expecting property name enclosed in double quotes", s, i);
    const n = s.length;
    let j = i + 1;
    let c = 0;
    for (; j < n; j++) {
      c = s.charCodeAt(j);
      if (c === 34 || c === 92 || c < 32) break;
    }
    let key: string;
    if (c === 34) {
      // The plain key s[i+1, j): slot by length and its first and last units.
      const len = j - i - 1;
      const slot = (len * 31 + s.charCodeAt(i + 1) * 7 + s.charCodeAt(j - 1)) & KEY_CACHE_MASK;
      const cached = this.keyCache[slot];
      if (cached !== undefined && cached.length === len && s.startsWith(cached, i + 1)) key = cached;
      else {
        key = s.slice(i + 1, j);
        if (len <= KEY_CACHE_MAX_LENGTH) {
          this.keyCache[slot] = key;
          if (len >= SLICE_MIN_LENGTH) this.keyCacheHoldsSlices = true;
        }
      }
      this.end = j + 1;
    } else key = this.scanString(s, i); // escapes, control characters, errors
    i = this.end;
    while (i < n && isWs(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 58 /* : */) throw JSONDecodeError.atUnit("Expecting ':' delimiter", s, i);
    i++;
    while (i < n && isWs(s.charCodeAt(i))) i++;
    this.end = i;
    return key;
  }

  private finishObject(kind: number, container: unknown): unknown {
    if (kind === PAIRS) return this.objectPairsHook!(container as Array<[string, unknown]>);
    return this.objectHook ? this.objectHook(container as DecodedObject) : container;
  }

  private constant(name: JSONConstantName): unknown {
    if (this.parseConstant) return this.parseConstant(name);
    return name === "NaN"
      ? Number.NaN
      : name === "Infinity"
        ? Number.POSITIVE_INFINITY
        : Number.NEGATIVE_INFINITY;
  }

  /**
   * CPython's `scanstring_unicode`: `begin` is the opening quote; sets `end` past the closing one.
   * Escaped surrogate pairs are joined when both halves are present, as Python does; in a JS
   * string joined and unjoined pairs are the same two units.
   */
  scanString(s: string, begin: number): string {
    const n = s.length;
    const strict = this.strict;
    let i = begin + 1;
    let chunk = i;
    let out = "";
    for (;;) {
      let c = 0;
      for (; i < n; i++) {
        c = s.charCodeAt(i);
        if (c === 34 || c === 92) break;
        if (c < 32 && strict) throw JSONDecodeError.atUnit("Invalid control character at", s, i);
      }
      if (i >= n) throw JSONDecodeError.atUnit("Unterminated string starting at", s, begin);
      if (c === 34) {
        this.end = i + 1;
        return chunk === begin + 1 ? s.slice(chunk, i) : out + s.slice(chunk, i);
      }
      // A backslash escape.
      out += s.slice(chunk, i);
      i++;
      if (i === n) throw JSONDecodeError.atUnit("Unterminated string starting at", s, begin);
      c = s.charCodeAt(i);
      if (c !== 117 /* u */) {
        switch (c) {
          case 34:
            out += '"';
            break;
          case 92:
            out += "\\";
            break;
          case 47:
            out += "/";
            break;
          case 98:
            out += "\b";
            break;
          case 102:
            out += "\f";
            break;
          case 110:
            out += "\n";
            break;
          case 114:
            out += "\r";
            break;
          case 116:
            out += "\t";
            break;
          default:
            throw JSONDecodeError.atUnit("Invalid \\escape", s, i - 1);
        }
        i++;
      } else {
        // \uXXXX: CPython wants a character after the four digits (`end >= len` is an error).
        const end = i + 5;
        if (end >= n) throw JSONDecodeError.atUnit("Invalid \\uXXXX escape", s, i);
        const u = this.hex4(s, i + 1, i);
        if (
          u >= 0xd800 &&
          u <= 0xdbff &&
          end + 6 < n &&
          s.charCodeAt(end) === 92 &&
          s.charCodeAt(end + 1) === 117
        ) {
          const u2 = this.hex4(s, end + 2, end + 1);
          if (u2 >= 0xdc00 && u2 <= 0xdfff) {
            out += String.fromCharCode(u, u2);
            i = end + 6;
          } else {
            out += String.fromCharCode(u);
            i = end;
          }
        } else {
          out += String.fromCharCode(u);
          i = end;
        }
      }
      chunk = i;
    }
  }

  private hex4(s: string, at: number, errAt: number): number {
    const a = hexValue(s.charCodeAt(at));
    const b = hexValue(s.charCodeAt(at + 1));
    const c = hexValue(s.charCodeAt(at + 2));
    const d = hexValue(s.charCodeAt(at + 3));
    if ((a | b | c | d) < 0) throw JSONDecodeError.atUnit("Invalid \\uXXXX escape", s, errAt);
    return (a << 12) | (b << 8) | (c << 4) | d;
  }

  /** CPython's `_match_number_unicode`, index for index; sets `end`. */
  private scanNumber(s: string, start: number): unknown {
    const last = s.length - 1;
    let i = start;
    let c = s.charCodeAt(i);
    let neg = false;
    if (c === 45) {
      neg = true;
      i++;
      if (i > last) throw JSONDecodeError.atUnit("Expecting value", s, start);
      c = s.charCodeAt(i);
    }
    // The int part's value is accumulated on the way (exact while it has at most 15 digits), so
    // the common small int needs no slice and no Number() call.
    let acc = c - 48;
    if (c >= 49 && c <= 57) {
      i++;
      while (i <= last && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
        acc = acc * 10 + (c - 48);
        i++;
      }
    } else if (c === 48) i++;
    else throw JSONDecodeError.atUnit("Expecting value", s, start);
    const intEnd = i;
    let isFloat = false;
    if (i < last && s.charCodeAt(i) === 46 && (c = s.charCodeAt(i + 1)) >= 48 && c <= 57) {
      isFloat = true;
      i += 2;
      while (i <= last && (c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
    }
    if (i < last && ((c = s.charCodeAt(i)) === 101 || c === 69)) {
      const eStart = i;
      i++;
      if (i < last && ((c = s.charCodeAt(i)) === 45 || c === 43)) i++;
      while (i <= last && (c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
      if ((c = s.charCodeAt(i - 1)) >= 48 && c <= 57) isFloat = true;
      else i = eStart;
    }
    this.end = i;
    const digits = intEnd - start - (neg ? 1 : 0);
    if (!isFloat && digits <= 15 && !this.parseInt) {
      // Exact below 10**15; Python's int -0 is 0. Faithful: a bigint from the number, no slice.
      const v = neg && acc !== 0 ? -acc : acc;
      return this.faithful ? BigInt(v) : v;
    }
    const text = s.slice(start, i);
    if (isFloat) return this.parseFloat ? this.parseFloat(text) : Number(text);
    if (this.parseInt) return this.parseInt(text);
    if (this.maxDigits > 0 && digits > this.maxDigits)
      throw new PyValueError(
        `Exceeds the limit (${this.maxDigits} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
      );
    const big = BigInt(text);
    // 17+ digits are beyond 2**53 (~9.0e15): no comparison needed.
    if (this.faithful || digits > 16 || big > MAX_SAFE || big < MIN_SAFE) return big;
    return Number(big);
  }
}
