/**
 * Python's JSON string escapers: `encode_basestring_ascii` (the `ensureAscii` default) and
 * `encode_basestring`. They work on UTF-16 code units, which gives CPython's output exactly:
 * an astral character becomes its surrogate pair `\ud83d\ude00`, a lone surrogate `\udxxx`.
 */

/** Any code unit that `encode_basestring_ascii` escapes: not printable ASCII, or `"`, `\`. */
export const NEEDS_ASCII_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
/** Any code unit that `encode_basestring` escapes: `"`, `\` and C0 controls. */
export const NEEDS_ESCAPE = /["\\\x00-\x1f]/;

const HEX = "0123456789abcdef";

function hex4(c: number): string {
  return `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
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
 * The last four characters of `\uXXXX` per code unit, as one little-endian 32-bit word of
 * char codes (written with one DataView store): filled on first use.
 */
let HEX_WORDS: Uint32Array | undefined;
function hexWords(): Uint32Array {
  if (HEX_WORDS === undefined) {
    const t = new Uint32Array(0x10000);
    const d = new Array<number>(16);
    for (let k = 0; k < 16; k++) d[k] = HEX.charCodeAt(k);
    for (let c = 0; c < 0x10000; c++)
      t[c] =
        (d[(c >> 12) & 15]! | (d[(c >> 8) & 15]! << 8) | (d[(c >> 4) & 15]! << 16) | (d[c & 15]! << 24)) >>>
        0;
    HEX_WORDS = t;
  }
  return HEX_WORDS;
}
/** `\u` as a little-endian 16-bit word. */
const BACKSLASH_U = 0x5c | (0x75 << 8);

/** A DataView of the last buffer written to (the sink reuses one), made again for another. */
let viewBuf: Uint8Array | undefined;
let view: DataView | undefined;
function viewOf(buf: Uint8Array): DataView {
  if (buf !== viewBuf) {
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    viewBuf = buf;
  }
  return view!;
}
/** The second character of a two-character escape (`\n`...), or 0: `\uXXXX`. */
const SHORT_UNIT = new Uint8Array(0x60);
SHORT_UNIT[0x08] = 98;
SHORT_UNIT[0x09] = 116;
SHORT_UNIT[0x0a] = 110;
SHORT_UNIT[0x0c] = 102;
SHORT_UNIT[0x0d] = 114;
SHORT_UNIT[0x22] = 0x22;
SHORT_UNIT[0x5c] = 0x5c;

/**
 * Writes `encode_basestring_ascii(s)` (quotes included) as ASCII bytes into `buf` at `at`, which
 * must have room for `6 * s.length + 2` bytes; returns the end. One pass, escapes from tables.
 */
export function writeEscapedAscii(s: string, buf: Uint8Array, at: number): number {
  const n = s.length;
  let j = at;
  buf[j++] = 0x22;
  let i = 0;
  // Printable ASCII first, without the tables: most strings have no escape at all.
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) break;
    buf[j++] = c;
  }
  if (i < n) j = writeEscapedTail(s, i, buf, j);
  buf[j++] = 0x22;
  return j;
}

/**
 * The rest of `writeEscapedAscii` from the first unit to escape: `\uXXXX` as two stores, the
 * `\u` word and the hex word from the table (measured 0.7x the six byte stores).
 */
function writeEscapedTail(s: string, i: number, buf: Uint8Array, j: number): number {
  const hex = hexWords();
  const dv = viewOf(buf);
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
      buf[j++] = c;
      continue;
    }
    const short = c < 0x60 ? SHORT_UNIT[c]! : 0;
    if (short !== 0) {
      buf[j++] = 0x5c;
      buf[j++] = short;
      continue;
    }
    dv.setUint16(j, BACKSLASH_U, true);
    dv.setUint32(j + 2, hex[c]!, true);
    j += 6;
  }
  return j;
}

// ASCII bytes to text. UTF-8 (ASCII below 0x80) rather than windows-1252: Node decodes it
// natively, 2x faster per 64 KiB run, and a short run costs ~120 ns rather than ~190 ns.
const asciiDecoder = new TextDecoder("utf-8");

/** The text of `bytes`, which hold only ASCII. */
export function decodeAscii(bytes: Uint8Array): string {
  return asciiDecoder.decode(bytes);
}
let scratch = new Uint8Array(1024);

/**
 * Python's `json.encoder.encode_basestring_ascii(s)`: `s` as a quoted JSON string with every
 * code unit outside printable ASCII escaped as `\uXXXX` (lowercase hex).
 */
export function encodeBasestringAscii(s: string): string {
  if (!NEEDS_ASCII_ESCAPE.test(s)) return `"${s}"`;
  const room = 6 * s.length + 2;
  if (scratch.length < room) scratch = new Uint8Array(Math.max(room, 2 * scratch.length));
  return decodeAscii(scratch.subarray(0, writeEscapedAscii(s, scratch, 0)));
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
