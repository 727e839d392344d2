/**
 * The number parsers of protocol 0 (INT, LONG, FLOAT and the text memo keys), with CPython's
 * grammar and messages: INT is C `strtol(s, 0)` falling back to `int(s, 0)`, LONG is
 * `int(s, 0)` after dropping a trailing `L`, FLOAT is `float(s)` without underscores.
 */
import { CodecError, decodeUtf8 } from "./text-codecs.js";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\v" || c === "\f";
}

/** C `strtol(s, &end, 0)` over the whole text; undefined when it would not consume it all or overflows. */
function strtol(s: string): bigint | undefined {
  let i = 0;
  while (i < s.length && isSpace(s[i] as string)) i++;
  let neg = false;
  if (s[i] === "+" || s[i] === "-") neg = s[i++] === "-";
  let base = 10;
  if (s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X") && /[0-9a-fA-F]/.test(s[i + 2] ?? "")) {
    base = 16;
    i += 2;
  } else if (s[i] === "0") base = 8;
  const digits = base === 16 ? /^[0-9a-fA-F]+/ : base === 8 ? /^[0-7]+/ : /^[0-9]+/;
  const m = digits.exec(s.slice(i));
  if (!m) return undefined;
  i += m[0].length;
  // pickle's load_int accepts only the end of the text (or the newline) after the digits
  if (i !== s.length) return undefined;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : "";
  const v = BigInt(prefix + m[0]) * (neg ? -1n : 1n);
  return v < LONG_MIN || v > LONG_MAX ? undefined : v;
}

/**
 * Python's `int(s, 0)`: optional whitespace and sign, a `0x`/`0o`/`0b` prefix or decimal
 * without leading zeros, single underscores between digits.
 */
export function parsePyInt0(s: string, maxDigits: number): bigint | undefined {
  const m =
    /^[ \t\n\r\v\f]*([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?[0-9])*)[ \t\n\r\v\f]*$/.exec(
      s,
    );
  if (!m) return undefined;
  const body = (m[2] as string).replace(/_/g, "");
  // CPython 3.11's sys.int_max_str_digits: decimal text only (power-of-two bases are linear).
  if (maxDigits > 0 && body.length > maxDigits && !/^0[xXoObB]/.test(body)) {
    throw new CodecError(
      `Exceeds the limit (${maxDigits} digits) for integer string conversion: value has ${body.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
      "ValueError",
    );
  }
  const v = BigInt(body);
  return m[1] === "-" ? -v : v;
}

/**
 * The INT opcode's text: `01`/`00` are True/False, else an int as CPython's load_int reads it
 * (which words every failure of its `int(s, 0)` fallback, the digit limit included, alike).
 */
export function parseIntText(line: string, maxDigits: number): bigint | boolean {
  const s = cString(line);
  // C strtol on an empty C string (the line starts with NUL) ends at the NUL: load_int's 0
  if (s === "") return 0n;
  if (s === "00") return false;
  if (s === "01") return true;
  let v: bigint | undefined;
  try {
    v = strtol(s) ?? parsePyInt0(s, maxDigits);
  } catch {
    v = undefined;
  }
  if (v === undefined) throw new CodecError("could not convert string to int", "ValueError");
  return v;
}

/** The LONG opcode's text: `int(s, 0)` after dropping one trailing `L`. */
export function parseLongText(line: string, maxDigits: number): bigint {
  const s = cString(line);
  const t = s.endsWith("L") ? s.slice(0, -1) : s;
  const v = parsePyInt0(t, maxDigits);
  if (v === undefined) {
    checkUtf8(t);
    throw new CodecError(`invalid literal for int() with base 0: ${quote(t)}`, "ValueError");
  }
  return v;
}

/** A decimal memo key (GET/PUT): `int(s, 10)`. */
export function parseDecimalText(line: string): number {
  const s = cString(line);
  const m = /^[ \t\n\r\v\f]*([+-]?)([0-9](?:_?[0-9])*)[ \t\n\r\v\f]*$/.exec(s);
  if (!m) {
    checkUtf8(s);
    throw new CodecError(`invalid literal for int() with base 10: ${quote(s)}`, "ValueError");
  }
  const v = Number((m[2] as string).replace(/_/g, ""));
  return m[1] === "-" ? -v : v;
}

/**
 * The FLOAT opcode's text, as CPython's load_float: `PyOS_string_to_double` reads the longest
 * float prefix of the C string (which ends at a NUL byte), OverflowError when it overflows,
 * and anything but the end of the line after it is a ValueError. One linear scan, no regex
 * (a backtracking regex is quadratic on long invalid digit runs).
 */
export function parseFloatText(line: string): number {
  const nul = line.indexOf("\0");
  const s = nul < 0 ? line : line.slice(0, nul);
  // CPython quotes the C string with '%.200s': the newline is part of it when no NUL cut it.
  const shown = (nul < 0 ? `${s}\n` : s).slice(0, 200);
  const n = s.length;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 0x2b || c0 === 0x2d) i = 1;
  let value: number;
  const word = s.slice(i, i + 8).toLowerCase();
  if (word.startsWith("inf") || word.startsWith("nan")) {
    const len = word === "infinity" ? 8 : 3;
    value = word.startsWith("nan") ? Number.NaN : c0 === 0x2d ? -Infinity : Infinity;
    i += len;
  } else {
    const digitsStart = i;
    while (i < n && isDigitCode(s.charCodeAt(i))) i++;
    let digits = i - digitsStart;
    if (i < n && s.charCodeAt(i) === 0x2e) {
      const fracStart = ++i;
      while (i < n && isDigitCode(s.charCodeAt(i))) i++;
      digits += i - fracStart;
    }
    if (digits === 0) throw new CodecError(`could not convert string to float: '${shown}'`, "ValueError");
    if (i < n && (s.charCodeAt(i) | 0x20) === 0x65) {
      let j = i + 1;
      const sc = s.charCodeAt(j);
      if (sc === 0x2b || sc === 0x2d) j++;
      const expStart = j;
      while (j < n && isDigitCode(s.charCodeAt(j))) j++;
      if (j > expStart) i = j;
    }
    value = Number(s.slice(0, i));
    if (!Number.isFinite(value)) {
      throw new CodecError(`value too large to convert to float: '${shown}'`, "OverflowError");
    }
  }
  if (i !== n) throw new CodecError("could not convert string to float", "ValueError");
  return value;
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * CPython words a bad int literal with the text's repr, which decodes it as UTF-8 first: text
 * that is not UTF-8 raises UnicodeDecodeError instead (given latin-1 text, one char a byte).
 */
function checkUtf8(s: string): void {
  if (!/[^\x00-\x7f]/.test(s)) return;
  const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0));
  decodeUtf8(bytes, 0, bytes.length); // throws CPython's UnicodeDecodeError
}

/** CPython parses these lines as C strings: a NUL byte ends the text. */
function cString(line: string): string {
  const nul = line.indexOf("\0");
  return nul < 0 ? line : line.slice(0, nul);
}

/** Python's repr of a short ASCII text, for messages. */
function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return (
    q +
    s.replace(/[\\\n\r\t]|[^\x20-\x7e]/g, (c) =>
      c === "\\"
        ? "\\\\"
        : c === "\n"
          ? "\\n"
          : c === "\r"
            ? "\\r"
            : c === "\t"
              ? "\\t"
              : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
    ) +
    q
  );
}

/** A bigint as the natural view wants it: a number when exactly representable as a safe integer. */
export function naturalInt(v: bigint): number | bigint {
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
}
