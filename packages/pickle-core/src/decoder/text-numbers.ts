/**
 * The number parsers of protocol 0 (INT, LONG, FLOAT and the text memo keys), with CPython's
 * grammar and messages: INT is C `strtol(s, 0)` falling back to `int(s, 0)`, LONG is
 * `int(s, 0)` after dropping a trailing `L`, FLOAT is `float(s)` without underscores.
 */
import { CodecError } from "./text-codecs.js";

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
export function parsePyInt0(s: string): bigint | undefined {
  const m =
    /^[ \t\n\r\v\f]*([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?[0-9])*)[ \t\n\r\v\f]*$/.exec(
      s,
    );
  if (!m) return undefined;
  const body = (m[2] as string).replace(/_/g, "");
  const v = BigInt(body);
  return m[1] === "-" ? -v : v;
}

/** The INT opcode's text: `01`/`00` are True/False, else an int as CPython's load_int reads it. */
export function parseIntText(s: string): bigint | boolean {
  if (s === "00") return false;
  if (s === "01") return true;
  const v = strtol(s) ?? parsePyInt0(s);
  if (v === undefined) throw new CodecError("could not convert string to int");
  return v;
}

/** The LONG opcode's text: `int(s, 0)` after dropping one trailing `L`. */
export function parseLongText(s: string): bigint {
  const t = s.endsWith("L") ? s.slice(0, -1) : s;
  const v = parsePyInt0(t);
  if (v === undefined) throw new CodecError(`invalid literal for int() with base 0: ${quote(t)}`);
  return v;
}

/** A decimal memo key (GET/PUT): `int(s, 10)`. */
export function parseDecimalText(s: string): number {
  const m = /^[ \t\n\r\v\f]*([+-]?)([0-9](?:_?[0-9])*)[ \t\n\r\v\f]*$/.exec(s);
  if (!m) throw new CodecError(`invalid literal for int() with base 10: ${quote(s)}`);
  const v = Number((m[2] as string).replace(/_/g, ""));
  return m[1] === "-" ? -v : v;
}

const FLOAT_RE =
  /^[ \t\n\r\v\f]*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)[ \t\n\r\v\f]*$/i;

/** The FLOAT opcode's text, as `PyOS_string_to_double` (with OverflowError on overflow). */
export function parseFloatText(s: string): number {
  if (!FLOAT_RE.test(s)) throw new CodecError(`could not convert string to float: ${quote(`${s}\n`)}`);
  const t = s.trim().toLowerCase();
  const sign = t.startsWith("-") ? -1 : 1;
  const u = t.replace(/^[+-]/, "");
  if (u === "nan") return Number.NaN;
  if (u === "inf" || u === "infinity") return sign * Number.POSITIVE_INFINITY;
  const v = Number(t);
  if (!Number.isFinite(v)) throw new CodecError(`value too large to convert to float: ${quote(`${s}\n`)}`);
  return v;
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
