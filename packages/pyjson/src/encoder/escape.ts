/**
 * Python's JSON string escapers: `encode_basestring_ascii` (the `ensureAscii` default) and
 * `encode_basestring`. They work on UTF-16 code units, which gives CPython's output exactly:
 * an astral character becomes its surrogate pair `\ud83d\ude00`, a lone surrogate `\udxxx`.
 */

/** Any code unit that `encode_basestring_ascii` escapes: not printable ASCII, or `"`, `\`. */
export const NEEDS_ASCII_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
/** Any code unit that `encode_basestring` escapes: `"`, `\` and C0 controls. */
export const NEEDS_ESCAPE = /["\\\x00-\x1f]/;
/** What `JSON.stringify` leaves raw but `encode_basestring_ascii` escapes. */
const NON_ASCII = /[\x7f-\uffff]/g;

const HEX = "0123456789abcdef";

function hex4(c: number): string {
  return `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
}

function escapeUnit(ch: string): string {
  return hex4(ch.charCodeAt(0));
}

/** Short escapes shared by both escapers; the other C0 controls are `\u00XX`. */
const SHORT: (string | undefined)[] = [];
for (let c = 0; c < 0x20; c++) SHORT[c] = hex4(c);
SHORT[0x08] = "\\b";
SHORT[0x09] = "\\t";
SHORT[0x0a] = "\\n";
SHORT[0x0c] = "\\f";
SHORT[0x0d] = "\\r";
SHORT[0x22] = '\\"';
SHORT[0x5c] = "\\\\";

/**
 * Python's `json.encoder.encode_basestring_ascii(s)`: `s` as a quoted JSON string with every
 * code unit outside printable ASCII escaped as `\uXXXX` (lowercase hex).
 */
export function encodeBasestringAscii(s: string): string {
  if (!NEEDS_ASCII_ESCAPE.test(s)) return `"${s}"`;
  // JSON.stringify already writes CPython's escapes for `"`, `\`, C0 controls and lone
  // surrogates (lowercase `\udxxx`); only DEL and non-ASCII code units remain to escape.
  return JSON.stringify(s).replace(NON_ASCII, escapeUnit);
}

/**
 * Python's `json.encoder.encode_basestring(s)` (used when `ensureAscii` is false): only `"`,
 * `\` and C0 controls are escaped; non-ASCII text and lone surrogates stay as they are.
 */
export function encodeBasestring(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  // By hand rather than JSON.stringify, which would escape lone surrogates.
  let out = '"';
  let start = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      if (i > start) out += s.slice(start, i);
      out += SHORT[c] as string;
      start = i + 1;
    }
  }
  if (start < n) out += s.slice(start);
  return `${out}"`;
}
