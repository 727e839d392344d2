/**
 * The text conversions pickletools' argument readers borrow from CPython: `int(bytes)`,
 * `float(bytes)`, `codecs.escape_decode`, and the `ascii`, `raw-unicode-escape` and
 * `utf-8`/`surrogatepass` decoders, each with CPython's exact error messages.
 */
import { PickletoolsError } from "./errors.js";
import { bytesRepr, INT_MAX_STR_DIGITS } from "./py-repr.js";

/** A decoded str; `codePoints` is set only when JS would join surrogates Python keeps apart. */
export interface DecodedStr {
  readonly value: string;
  readonly codePoints: readonly number[] | undefined;
}

// Py_ISSPACE: space, \t, \n, \v, \f, \r.
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function unicodeDecodeError(
  codec: string,
  data: Uint8Array,
  start: number,
  errStart: number,
  errEnd: number,
  reason: string,
): PickletoolsError {
  const where =
    errEnd === errStart + 1
      ? `byte 0x${data[start + errStart]!.toString(16).padStart(2, "0")} in position ${errStart}`
      : `bytes in position ${errStart}-${errEnd - 1}`;
  return new PickletoolsError(`'${codec}' codec can't decode ${where}: ${reason}`, {
    pyType: "UnicodeDecodeError",
  });
}

/**
 * Python's `int(data[start:end])` in base 10.
 * @throws {PickletoolsError} CPython's ValueError for an invalid literal or too many digits.
 */
export function parsePyInt(data: Uint8Array, start: number, end: number): bigint {
  const invalid = (): PickletoolsError =>
    // _PyLong_FromBytes: the bytes are cut to 200 and their repr to 200 characters.
    new PickletoolsError(
      `invalid literal for int() with base 10: ${bytesRepr(data, start, Math.min(end, start + 200)).slice(0, 200)}`,
    );
  let i = start;
  while (i < end && isSpace(data[i]!)) i++;
  let negative = false;
  if (i < end && (data[i] === 0x2b || data[i] === 0x2d)) negative = data[i++] === 0x2d;
  if (i < end && data[i] === 0x5f) throw invalid();
  const digitsStart = i;
  let digits = 0;
  let prev = 0;
  let hasUnderscore = false;
  while (i < end && (isDigit(data[i]!) || data[i] === 0x5f)) {
    const b = data[i]!;
    if (b === 0x5f) {
      if (prev === 0x5f) throw invalid();
      hasUnderscore = true;
    } else digits++;
    prev = b;
    i++;
  }
  if (prev === 0x5f) throw invalid();
  if (digits > INT_MAX_STR_DIGITS) {
    throw new PickletoolsError(
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  if (digits === 0) throw invalid();
  const digitsEnd = i;
  while (i < end && isSpace(data[i]!)) i++;
  if (i !== end) throw invalid();
  let text = "";
  for (let j = digitsStart; j < digitsEnd; j++)
    if (!hasUnderscore || data[j] !== 0x5f) text += String.fromCharCode(data[j]!);
  const n = BigInt(text);
  return negative ? -n : n;
}

// Each digit can be matched one way only (no `\d+\.?\d*`, which backtracks quadratically on a
// long run of digits followed by an invalid character).
const FLOAT_LITERAL = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|(inf|infinity|nan))$/i;

/**
 * Python's `float(data[start:end])`.
 * @throws {PickletoolsError} CPython's ValueError ("could not convert string to float: b'...'").
 */
export function parsePyFloat(data: Uint8Array, start: number, end: number): number {
  const invalid = (): PickletoolsError =>
    new PickletoolsError(`could not convert string to float: ${bytesRepr(data, start, end)}`);
  // _Py_string_to_number_with_underscores: "_" only between two digits, checked before the
  // whitespace strip.
  let text = "";
  let prev = 0;
  for (let i = start; i < end; i++) {
    const b = data[i]!;
    if (b === 0x5f) {
      if (!isDigit(prev)) throw invalid();
    } else {
      if (prev === 0x5f && !isDigit(b)) throw invalid();
      text += String.fromCharCode(b);
    }
    prev = b;
  }
  if (prev === 0x5f) throw invalid();
  let a = 0;
  let z = text.length;
  while (a < z && isSpace(text.charCodeAt(a))) a++;
  while (a < z - 1 && isSpace(text.charCodeAt(z - 1))) z--;
  const m = FLOAT_LITERAL.exec(text.slice(a, z));
  if (m === null) throw invalid();
  const special = m[1];
  if (special !== undefined) {
    if (special.length === 3 && (special[0] === "n" || special[0] === "N")) return Number.NaN;
    return text.charCodeAt(a) === 0x2d ? -Infinity : Infinity;
  }
  return Number(text.slice(a, z));
}

/**
 * `codecs.escape_decode(data[start:end])[0]` (CPython 3.11): Python string-literal escapes in
 * bytes; unknown escapes stay as written.
 * @throws {PickletoolsError} ValueError for a bad `\x` escape or a trailing backslash.
 */
export function escapeDecode(data: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  let n = 0;
  let s = start;
  while (s < end) {
    const c = data[s++]!;
    if (c !== 0x5c) {
      out[n++] = c;
      continue;
    }
    if (s >= end) throw new PickletoolsError("Trailing \\ in string");
    const e = data[s++]!;
    switch (e) {
      case 0x0a: // backslash-newline: a line continuation
        break;
      case 0x5c:
      case 0x27:
      case 0x22:
        out[n++] = e;
        break;
      case 0x62: // b
        out[n++] = 0x08;
        break;
      case 0x66: // f
        out[n++] = 0x0c;
        break;
      case 0x74: // t
        out[n++] = 0x09;
        break;
      case 0x6e: // n
        out[n++] = 0x0a;
        break;
      case 0x72: // r
        out[n++] = 0x0d;
        break;
      case 0x76: // v
        out[n++] = 0x0b;
        break;
      case 0x61: // a
        out[n++] = 0x07;
        break;
      case 0x78: {
        // x: exactly two hex digits
        const d1 = s < end ? hexValue(data[s]!) : 16;
        const d2 = s + 1 < end ? hexValue(data[s + 1]!) : 16;
        if (s + 1 < end && d1 < 16 && d2 < 16) {
          out[n++] = (d1 << 4) | d2;
          s += 2;
          break;
        }
        throw new PickletoolsError(`invalid \\x escape at position ${s - 2 - start}`);
      }
      default:
        if (e >= 0x30 && e <= 0x37) {
          // Up to three octal digits; the byte keeps the low 8 bits, as C's char store does.
          let v = e - 0x30;
          if (s < end && data[s]! >= 0x30 && data[s]! <= 0x37) {
            v = (v << 3) + data[s++]! - 0x30;
            if (s < end && data[s]! >= 0x30 && data[s]! <= 0x37) v = (v << 3) + data[s++]! - 0x30;
          }
          out[n++] = v & 0xff;
        } else {
          out[n++] = 0x5c;
          s--;
        }
    }
  }
  return out.subarray(0, n);
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return 16;
}

/** Short strings are built with fromCharCode on a local; this many bytes per call bounds the arguments. */
const CHUNK = 4096;

function latin1(data: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += CHUNK) {
    s += String.fromCharCode.apply(null, data.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/**
 * `data[start:end].decode("ascii")`.
 * @throws {PickletoolsError} UnicodeDecodeError at the first byte >= 0x80.
 */
export function asciiDecode(data: Uint8Array, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if (data[i]! >= 0x80) {
      throw unicodeDecodeError("ascii", data, start, i - start, i - start + 1, "ordinal not in range(128)");
    }
  }
  return latin1(data, start, end);
}

/** `data[start:end].decode("latin-1")`. */
export function latin1Decode(data: Uint8Array, start: number, end: number): string {
  return latin1(data, start, end);
}

function fromCodePoints(cps: readonly number[]): string {
  let s = "";
  for (let i = 0; i < cps.length; i += CHUNK) {
    s += String.fromCodePoint.apply(null, cps.slice(i, i + CHUNK) as number[]);
  }
  return s;
}

// Code points only matter to repr when a lone high surrogate is directly followed by a lone
// low one: JS joins those into one character, Python keeps two.
function decoded(cps: readonly number[], sawSurrogate: boolean): DecodedStr {
  return { value: fromCodePoints(cps), codePoints: sawSurrogate ? cps : undefined };
}

/**
 * `data[start:end].decode("raw-unicode-escape")` (CPython 3.11): bytes are latin-1 except
 * `\uXXXX` and `\UXXXXXXXX` after an odd number of backslashes.
 * @throws {PickletoolsError} UnicodeDecodeError for a truncated or out-of-range escape.
 */
export function rawUnicodeEscapeDecode(data: Uint8Array, start: number, end: number): DecodedStr {
  if (data.subarray(start, end).indexOf(0x5c) < 0)
    return { value: latin1(data, start, end), codePoints: undefined };
  const cps: number[] = [];
  let sawSurrogate = false;
  let s = start;
  while (s < end) {
    const c = data[s++]!;
    if (c !== 0x5c || s >= end) {
      cps.push(c);
      continue;
    }
    const escStart = s - 1 - start;
    const e = data[s++]!;
    let count: number;
    let message: string;
    if (e === 0x75) {
      count = 4;
      message = "truncated \\uXXXX escape";
    } else if (e === 0x55) {
      count = 8;
      message = "truncated \\UXXXXXXXX escape";
    } else {
      cps.push(0x5c, e);
      continue;
    }
    let ch = 0;
    for (; count > 0; count--, s++) {
      const d = s < end ? hexValue(data[s]!) : 16;
      if (d === 16) throw unicodeDecodeError("rawunicodeescape", data, start, escStart, s - start, message);
      ch = ch * 16 + d;
    }
    if (ch > 0x10ffff) {
      throw unicodeDecodeError(
        "rawunicodeescape",
        data,
        start,
        escStart,
        s - start,
        "\\Uxxxxxxxx out of range",
      );
    }
    if (ch >= 0xd800 && ch <= 0xdfff) sawSurrogate = true;
    cps.push(ch);
  }
  return decoded(cps, sawSurrogate);
}

const utf8Fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function isCont(b: number): boolean {
  return (b & 0xc0) === 0x80;
}

/**
 * `data[start:end].decode("utf-8", "surrogatepass")`, with CPython's error ranges and reasons.
 * @throws {PickletoolsError} UnicodeDecodeError for invalid UTF-8 that is not an encoded surrogate.
 */
export function utf8SurrogatepassDecode(data: Uint8Array, start: number, end: number): DecodedStr {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (data[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return { value: latin1(data, start, end), codePoints: undefined };
  try {
    // Valid UTF-8 (no surrogates): the built-in decoder is exact and fast.
    return { value: utf8Fatal.decode(data.subarray(start, end)), codePoints: undefined };
  } catch {
    // invalid UTF-8 or encoded surrogates: the exact walk below
  }
  const cps: number[] = [];
  let sawSurrogate = false;
  let i = start;
  while (i < end) {
    const b0 = data[i]!;
    if (b0 < 0x80) {
      cps.push(b0);
      i++;
      continue;
    }
    const left = end - i;
    // error: [0 = none, reason, length of the bad range]
    let reason = "";
    let errLen = 0;
    let cp = -1;
    if (b0 < 0xc2) {
      reason = "invalid start byte";
      errLen = 1;
    } else if (b0 < 0xe0) {
      if (left < 2) {
        reason = "unexpected end of data";
        errLen = left;
      } else if (!isCont(data[i + 1]!)) {
        reason = "invalid continuation byte";
        errLen = 1;
      } else cp = ((b0 & 0x1f) << 6) | (data[i + 1]! & 0x3f);
    } else if (b0 < 0xf0) {
      const b1 = left >= 2 ? data[i + 1]! : -1;
      if (left < 2) {
        reason = "unexpected end of data";
        errLen = left;
      } else if (!isCont(b1) || (b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 >= 0xa0)) {
        reason = "invalid continuation byte";
        errLen = 1;
      } else if (left < 3) {
        reason = "unexpected end of data";
        errLen = left;
      } else if (!isCont(data[i + 2]!)) {
        reason = "invalid continuation byte";
        errLen = 2;
      } else cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (data[i + 2]! & 0x3f);
    } else if (b0 < 0xf5) {
      const b1 = left >= 2 ? data[i + 1]! : -1;
      if (left < 2) {
        reason = "unexpected end of data";
        errLen = left;
      } else if (!isCont(b1) || (b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 >= 0x90)) {
        reason = "invalid continuation byte";
        errLen = 1;
      } else if (left < 3) {
        reason = "unexpected end of data";
        errLen = left;
      } else if (!isCont(data[i + 2]!)) {
        reason = "invalid continuation byte";
        errLen = 2;
      } else if (left < 4) {
        reason = "unexpected end of data";
        errLen = left;
      } else if (!isCont(data[i + 3]!)) {
        reason = "invalid continuation byte";
        errLen = 3;
      } else {
        cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((data[i + 2]! & 0x3f) << 6) | (data[i + 3]! & 0x3f);
      }
    } else {
      reason = "invalid start byte";
      errLen = 1;
    }
    if (cp >= 0) {
      cps.push(cp);
      i += cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      continue;
    }
    // surrogatepass: an encoded surrogate (ED A0..BF 80..BF) at the error start decodes.
    if (left >= 3 && (b0 & 0xf0) === 0xe0 && isCont(data[i + 1]!) && isCont(data[i + 2]!)) {
      const s = ((b0 & 0x0f) << 12) | ((data[i + 1]! & 0x3f) << 6) | (data[i + 2]! & 0x3f);
      if (s >= 0xd800 && s <= 0xdfff) {
        cps.push(s);
        sawSurrogate = true;
        i += 3;
        continue;
      }
    }
    throw unicodeDecodeError("utf-8", data, start, i - start, i - start + errLen, reason);
  }
  return decoded(cps, sawSurrogate);
}
