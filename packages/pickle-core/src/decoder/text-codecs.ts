/**
 * The text codecs the unpickler needs, by hand where the platform's TextDecoder is wrong for
 * pickle: UTF-8 with Python's `surrogatepass` (BINUNICODE may hold lone surrogates, which
 * TextDecoder would turn into U+FFFD), `raw-unicode-escape` (protocol 0 UNICODE), Python's
 * bytes escapes (protocol 0 STRING) and the 8-bit codecs of Python 2 `str` pickles.
 * Each decoder throws {@link CodecError}; the machine turns it into an UnpicklingError.
 */

/** A decoding failure, worded as CPython's, with the type of the exception CPython raises. */
export class CodecError extends Error {
  override name = "CodecError";
  constructor(
    message: string,
    /** CPython's exception type name: `UnicodeDecodeError`, `ValueError`, `LookupError`... */
    readonly pyType: string,
  ) {
    super(message);
  }
}

let utf8Fatal: TextDecoder | undefined;

/**
 * ASCII strings up to this length go through {@link asciiCache}. 32 covers the longer dict
 * keys of real payloads (pyperformance DICT_GROUP's are 17-32 bytes), which otherwise pay a
 * TextDecoder call and a string-table lookup on every property store.
 */
const CACHED_ASCII = 32;
const ASCII_CACHE_SIZE = 4096;
const asciiCache: string[] = new Array<string>(ASCII_CACHE_SIZE).fill("\u0000".repeat(CACHED_ASCII + 1));
/**
 * The full hash of each cached string: a miss is found here, in 16 KiB that stay in cache,
 * without loading the cached string (a cache miss of its own on pickles of unique strings).
 */
const asciiHashes = new Int32Array(ASCII_CACHE_SIZE);

/**
 * UTF-8 with `surrogatepass`, as CPython decodes BINUNICODE/SHORT_BINUNICODE/BINUNICODE8.
 * @throws CodecError on invalid UTF-8, with CPython's message.
 */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= CACHED_ASCII) {
    // Short ASCII text (dict keys above all) repeats: a direct-mapped cache returns the same
    // string, which V8 has already internalized, so property stores keyed by it are fast.
    let h = n;
    let i = start;
    for (; i < end; i++) {
      const c = buf[i] as number;
      if (c >= 0x80) break;
      h = (Math.imul(h, 31) + c) | 0;
    }
    if (i === end) {
      const slot = (h ^ (h >>> 15)) & (ASCII_CACHE_SIZE - 1);
      if (asciiHashes[slot] === h) {
        const cached = asciiCache[slot] as string;
        if (cached.length === n) {
          let j = 0;
          while (j < n && cached.charCodeAt(j) === buf[start + j]) j++;
          if (j === n) return cached;
        }
      }
      let s: string;
      if (n <= 16) s = asciiString(buf, start, n);
      else {
        utf8Fatal ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
        s = utf8Fatal.decode(buf.subarray(start, end)); // ASCII: cannot throw
      }
      asciiCache[slot] = s;
      asciiHashes[slot] = h;
      return s;
    }
  }
  if (n <= MEDIUM_STRING) return decodeUtf8Medium(buf, start, end);
  return decodeUtf8Long(buf, start, end);
}

/** {@link decodeUtf8} beyond MEDIUM_STRING bytes (its own function: decodeUtf8 stays small enough to inline). */
function decodeUtf8Long(buf: Uint8Array, start: number, end: number): string {
  if (isMostlyLatin1(buf, start, end)) {
    const s = decodeUtf8Latin1(buf, start, end);
    if (s !== null) return s;
  }
  utf8Fatal ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  try {
    return utf8Fatal.decode(buf.subarray(start, end));
  } catch {
    // Invalid for TextDecoder: either encoded surrogates (valid under surrogatepass) or a
    // real error, which the slow path reports with CPython's wording.
    return decodeUtf8Slow(buf, start, end);
  }
}

/**
 * Whether the first bytes of a long string are mostly the 2-byte UTF-8 of U+0080-U+00FF:
 * the text protocols 0-2 make of bytes (`_codecs.encode(str, 'latin1')`, numpy's array data),
 * where TextDecoder takes ~2.5x longer than {@link decodeUtf8Latin1} (V8, Node 20). ASCII
 * text stays with TextDecoder, whose ASCII path is ~15x faster than any loop here.
 */
function isMostlyLatin1(buf: Uint8Array, start: number, end: number): boolean {
  const e = Math.min(end, start + 64);
  let high = 0;
  for (let i = start; i < e; i++) {
    const c = buf[i] as number;
    if (c >= 0x80) {
      if ((c & 0xfe) !== 0xc2 && (c & 0xc0) !== 0x80) return false; // a lead byte beyond U+00FF
      high++;
    }
  }
  return high >= 16;
}

/**
 * UTF-16LE bytes of {@link decodeUtf8Latin1}'s text (reused up to 2 MiB; never kept). Only the
 * even (low) bytes are ever written: code points below U+0100 leave every high byte 0.
 */
let latin1Units = new Uint8Array(0);
let utf16Decoder: TextDecoder | undefined;

/**
 * UTF-8 text whose code points are all below U+0100 (ASCII and C2/C3 pairs), as one string;
 * null (having made nothing) at the first other byte, for the general decoder to handle.
 */
function decodeUtf8Latin1(buf: Uint8Array, start: number, end: number): string | null {
  const n = end - start;
  let units = latin1Units;
  if (units.length < 2 * n) {
    units = new Uint8Array(2 * n);
    if (n <= 1 << 20) latin1Units = units;
  }
  let k = 0;
  let i = start;
  while (i < end) {
    const c = buf[i] as number;
    if (c < 0x80) {
      units[k] = c;
      k += 2;
      i++;
    } else if ((c & 0xfe) === 0xc2 && i + 1 < end) {
      const c1 = buf[i + 1] as number;
      if ((c1 & 0xc0) !== 0x80) return null;
      units[k] = ((c & 0x1f) << 6) | (c1 & 0x3f);
      k += 2;
      i += 2;
    } else return null;
  }
  utf16Decoder ??= new TextDecoder("utf-16le", { ignoreBOM: true });
  return utf16Decoder.decode(units.subarray(0, k));
}

const fromCharCode = String.fromCharCode;

/**
 * 0-16 ASCII bytes as one string, made by one call with the codes as arguments: no
 * intermediate strings (`+=` makes one per char) and no TextDecoder call; ~3x faster than
 * either for 8-12 bytes (V8, Node 20; bench/scripts/short-strings-micro.mjs).
 */
function asciiString(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return fromCharCode(b[s] as number);
    case 2:
      return fromCharCode(b[s] as number, b[s + 1] as number);
    case 3:
      return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number);
    case 4:
      return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number);
    case 5:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
      );
    case 6:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
      );
    case 7:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
      );
    case 8:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
      );
    case 9:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
      );
    case 10:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
      );
    case 11:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
      );
    case 12:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
      );
    case 13:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
        b[s + 12] as number,
      );
    case 14:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
        b[s + 12] as number,
        b[s + 13] as number,
      );
    case 15:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
        b[s + 12] as number,
        b[s + 13] as number,
        b[s + 14] as number,
      );
    case 16:
      return fromCharCode(
        b[s] as number,
        b[s + 1] as number,
        b[s + 2] as number,
        b[s + 3] as number,
        b[s + 4] as number,
        b[s + 5] as number,
        b[s + 6] as number,
        b[s + 7] as number,
        b[s + 8] as number,
        b[s + 9] as number,
        b[s + 10] as number,
        b[s + 11] as number,
        b[s + 12] as number,
        b[s + 13] as number,
        b[s + 14] as number,
        b[s + 15] as number,
      );
    default:
      throw new RangeError("asciiString takes at most 16 bytes");
  }
}

/**
 * Up to this many bytes, strings not served by the ASCII cache are decoded into
 * {@link scratchUnits} and made with one `String.fromCharCode.apply`: ~15-25% faster than a
 * TextDecoder call for 13-64 bytes of non-ASCII text (V8, Node 20), and no `+=` chain (V8
 * makes cons strings from 13 characters on, flattened again on first use).
 */
const MEDIUM_STRING = 64;
/** UTF-16 code units of the string being decoded (at most MEDIUM_STRING; reused, never kept). */
const scratchUnits: number[] = new Array<number>(MEDIUM_STRING).fill(0);
/**
 * An array of exactly n Smis for each n up to MEDIUM_STRING: `apply` takes the units from the
 * one of the string's length. Setting the scratch array's length instead shrank it, and the
 * next string grew it again (an allocation per string: 7% in `set length` and GC on strings).
 */
const unitsOfLength: number[][] = Array.from({ length: MEDIUM_STRING + 1 }, (_, n) =>
  new Array<number>(n).fill(0),
);

/** {@link decodeUtf8} for up to 64 bytes; anything unusual (invalid bytes, surrogates) goes to the slow path. */
function decodeUtf8Medium(buf: Uint8Array, start: number, end: number): string {
  const units = scratchUnits;
  let n = 0;
  let i = start;
  while (i < end) {
    const c = buf[i] as number;
    if (c < 0x80) {
      units[n++] = c;
      i++;
    } else if (c >= 0xc2 && c < 0xe0 && i + 1 < end) {
      const c1 = buf[i + 1] as number;
      if ((c1 & 0xc0) !== 0x80) return decodeUtf8Slow(buf, start, end);
      units[n++] = ((c & 0x1f) << 6) | (c1 & 0x3f);
      i += 2;
    } else if (c >= 0xe0 && c < 0xf0 && i + 2 < end) {
      const c1 = buf[i + 1] as number;
      const c2 = buf[i + 2] as number;
      const cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) {
        return decodeUtf8Slow(buf, start, end);
      }
      units[n++] = cp;
      i += 3;
    } else if (c >= 0xf0 && c < 0xf5 && i + 3 < end) {
      const c1 = buf[i + 1] as number;
      const c2 = buf[i + 2] as number;
      const c3 = buf[i + 3] as number;
      const cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
      if (
        (c1 & 0xc0) !== 0x80 ||
        (c2 & 0xc0) !== 0x80 ||
        (c3 & 0xc0) !== 0x80 ||
        cp < 0x10000 ||
        cp > 0x10ffff
      ) {
        return decodeUtf8Slow(buf, start, end);
      }
      units[n++] = 0xd800 + ((cp - 0x10000) >> 10);
      units[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
      i += 4;
    } else {
      return decodeUtf8Slow(buf, start, end);
    }
  }
  const exact = unitsOfLength[n] as number[];
  for (let k = 0; k < n; k++) exact[k] = units[k] as number;
  return String.fromCharCode.apply(null, exact);
}

function utf8Error(buf: Uint8Array, start: number, at: number, len: number, reason: string): CodecError {
  const pos = at - start;
  const where =
    len <= 1
      ? `byte 0x${(buf[at] as number).toString(16).padStart(2, "0")} in position ${pos}`
      : `bytes in position ${pos}-${pos + len - 1}`;
  return new CodecError(`'utf-8' codec can't decode ${where}: ${reason}`, "UnicodeDecodeError");
}

function decodeUtf8Slow(buf: Uint8Array, start: number, end: number): string {
  const parts: string[] = [];
  const units: number[] = [];
  let i = start;
  while (i < end) {
    const c = buf[i] as number;
    if (c < 0x80) {
      units.push(c);
      i++;
    } else if (c < 0xc2) {
      throw utf8Error(buf, start, i, 1, "invalid start byte");
    } else if (c < 0xe0) {
      const c1 = i + 1 < end ? (buf[i + 1] as number) : -1;
      if (c1 < 0) throw utf8Error(buf, start, i, 1, "unexpected end of data");
      if ((c1 & 0xc0) !== 0x80) throw utf8Error(buf, start, i, 1, "invalid continuation byte");
      units.push(((c & 0x1f) << 6) | (c1 & 0x3f));
      i += 2;
    } else if (c < 0xf0) {
      const c1 = i + 1 < end ? (buf[i + 1] as number) : -1;
      const c2 = i + 2 < end ? (buf[i + 2] as number) : -1;
      // surrogatepass: ED A0..BF is an encoded surrogate and accepted.
      const lo = c === 0xe0 ? 0xa0 : 0x80;
      if (c1 < 0) throw utf8Error(buf, start, i, 1, "unexpected end of data");
      if (c1 < lo || c1 > 0xbf) throw utf8Error(buf, start, i, 1, "invalid continuation byte");
      // ED A0..BF is invalid to the strict decoder (1 byte); surrogatepass accepts only a whole
      // 3-byte surrogate, else CPython reports the strict decoder's error.
      if (c === 0xed && c1 >= 0xa0 && (c2 < 0 || (c2 & 0xc0) !== 0x80))
        throw utf8Error(buf, start, i, 1, "invalid continuation byte");
      if (c2 < 0) throw utf8Error(buf, start, i, 2, "unexpected end of data");
      if ((c2 & 0xc0) !== 0x80) throw utf8Error(buf, start, i, 2, "invalid continuation byte");
      units.push(((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f));
      i += 3;
    } else if (c < 0xf5) {
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      let n = 1;
      for (; n < 4; n++) {
        const x = i + n < end ? (buf[i + n] as number) : -1;
        if (x < 0) throw utf8Error(buf, start, i, n, "unexpected end of data");
        const okLo = n === 1 ? lo : 0x80;
        const okHi = n === 1 ? hi : 0xbf;
        if (x < okLo || x > okHi) throw utf8Error(buf, start, i, n, "invalid continuation byte");
      }
      const cp =
        ((c & 0x07) << 18) |
        (((buf[i + 1] as number) & 0x3f) << 12) |
        (((buf[i + 2] as number) & 0x3f) << 6) |
        ((buf[i + 3] as number) & 0x3f);
      units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      i += 4;
    } else {
      throw utf8Error(buf, start, i, 1, "invalid start byte");
    }
    if (units.length >= 4096) {
      parts.push(String.fromCharCode.apply(null, units));
      units.length = 0;
    }
  }
  parts.push(String.fromCharCode.apply(null, units));
  return parts.join("");
}

/** latin-1: every byte is the code point of the same value. */
export function decodeLatin1(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return s;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * `raw-unicode-escape`, as protocol 0 UNICODE: bytes are latin-1 code points, except that
 * `\uXXXX` and `\UXXXXXXXX` after an odd run of backslashes are escapes.
 * @throws CodecError on a truncated or out-of-range escape.
 */
export function decodeRawUnicodeEscape(buf: Uint8Array, start: number, end: number): string {
  // Code units go to a fixed buffer turned into a string every 4096 units: linear, and never
  // an argument list sized by the data.
  const out = new UnitWriter();
  let i = start;
  while (i < end) {
    const c = buf[i] as number;
    if (c !== 0x5c) {
      out.push(c);
      i++;
      continue;
    }
    let j = i;
    while (j < end && buf[j] === 0x5c) j++;
    const run = j - i;
    const next = j < end ? (buf[j] as number) : -1;
    if ((run & 1) === 0 || (next !== 0x75 && next !== 0x55)) {
      for (let k = 0; k < run; k++) out.push(0x5c);
      i = j;
      continue;
    }
    for (let k = 1; k < run; k++) out.push(0x5c);
    const escStart = j - 1;
    const digits = next === 0x75 ? 4 : 8;
    let cp = 0;
    let k = 0;
    for (; k < digits; k++) {
      const h = j + 1 + k < end ? hexVal(buf[j + 1 + k] as number) : -1;
      if (h < 0) break;
      cp = cp * 16 + h;
    }
    const p0 = escStart - start;
    if (k < digits) {
      throw new CodecError(
        `'rawunicodeescape' codec can't decode bytes in position ${p0}-${p0 + 1 + k}: truncated \\${next === 0x75 ? "uXXXX" : "UXXXXXXXX"} escape`,
        "UnicodeDecodeError",
      );
    }
    if (cp > 0x10ffff) {
      throw new CodecError(
        `'rawunicodeescape' codec can't decode bytes in position ${p0}-${p0 + 1 + digits}: \\Uxxxxxxxx out of range`,
        "UnicodeDecodeError",
      );
    }
    if (cp > 0xffff) {
      out.push(0xd800 + ((cp - 0x10000) >> 10));
      out.push(0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else out.push(cp);
    i = j + 1 + digits;
  }
  return out.finish();
}

/** UTF-16 code units into a string, 4096 at a time (no ropes of tiny strings, no large spreads). */
class UnitWriter {
  private readonly units = new Uint16Array(4096);
  private n = 0;
  private parts: string[] = [];
  push(u: number): void {
    if (this.n === 4096) this.flush();
    this.units[this.n++] = u;
  }
  private flush(): void {
    this.parts.push(String.fromCharCode.apply(null, this.units.subarray(0, this.n) as unknown as number[]));
    this.n = 0;
  }
  finish(): string {
    this.flush();
    return this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join("");
  }
}

/**
 * Python's bytes-literal escapes (`codecs.escape_decode`), as protocol 0 STRING uses them.
 * Unknown escapes are kept with their backslash, as CPython does.
 * @throws CodecError on a bad `\x` escape or a trailing backslash.
 */
export function decodeEscapes(buf: Uint8Array, start: number, end: number): Uint8Array {
  const first = buf.indexOf(0x5c, start);
  if (first < 0 || first >= end) return buf.slice(start, end);
  const out = new Uint8Array(end - start);
  let n = 0;
  let i = start;
  while (i < end) {
    const c = buf[i++] as number;
    if (c !== 0x5c) {
      out[n++] = c;
      continue;
    }
    if (i >= end) throw new CodecError("Trailing \\ in string", "ValueError");
    const e = buf[i++] as number;
    switch (e) {
      case 0x0a: // backslash-newline: line continuation
        break;
      case 0x5c:
      case 0x27:
      case 0x22:
        out[n++] = e;
        break;
      case 0x62: // \b
        out[n++] = 0x08;
        break;
      case 0x66: // \f
        out[n++] = 0x0c;
        break;
      case 0x74: // \t
        out[n++] = 0x09;
        break;
      case 0x6e: // \n
        out[n++] = 0x0a;
        break;
      case 0x72: // \r
        out[n++] = 0x0d;
        break;
      case 0x76: // \v
        out[n++] = 0x0b;
        break;
      case 0x61: // \a
        out[n++] = 0x07;
        break;
      case 0x78: {
        // \xhh: exactly two hex digits
        const h1 = i < end ? hexVal(buf[i] as number) : -1;
        const h2 = i + 1 < end ? hexVal(buf[i + 1] as number) : -1;
        if (h1 < 0 || h2 < 0)
          throw new CodecError(`invalid \\x escape at position ${i - 2 - start}`, "ValueError");
        out[n++] = h1 * 16 + h2;
        i += 2;
        break;
      }
      default:
        if (e >= 0x30 && e <= 0x37) {
          // \ooo: up to three octal digits, the value truncated to a byte
          let v = e - 0x30;
          for (let k = 0; k < 2 && i < end && (buf[i] as number) >= 0x30 && (buf[i] as number) <= 0x37; k++) {
            v = v * 8 + ((buf[i++] as number) - 0x30);
          }
          out[n++] = v & 0xff;
        } else {
          out[n++] = 0x5c;
          out[n++] = e;
        }
    }
  }
  return out.slice(0, n);
}

/** Python's canonical codec name for the few we decode by hand. */
function normalizeEncoding(encoding: string): string {
  const e = encoding.toLowerCase().replace(/[-_ ]/g, "");
  if (e === "ascii" || e === "usascii" || e === "646") return "ascii";
  if (
    e === "latin1" ||
    e === "latin" ||
    e === "iso88591" ||
    e === "l1" ||
    e === "iso885911987" ||
    e === "cp819"
  )
    return "latin1";
  if (e === "utf8" || e === "u8" || e === "utf" || e === "cp65001") return "utf8";
  if (e === "bytes") return "bytes";
  return encoding;
}

/**
 * Decodes Python 2 `str` bytes (STRING/BINSTRING/SHORT_BINSTRING) with the unpickler's
 * `encoding` and `errors`, as `bytes.decode(encoding, errors)`; `"bytes"` keeps them as bytes.
 */
export type Decode8Bit = (buf: Uint8Array, start: number, end: number) => string | Uint8Array;

const ERRORS = new Set(["strict", "ignore", "replace", "surrogateescape", "backslashreplace"]);

/**
 * Builds the 8-bit string decoder for an `encoding`/`errors` pair, once per unpickler.
 * ASCII and latin-1 are by hand (all of Python's error handlers); any other codec goes to
 * TextDecoder, which supports `strict` and `replace` only.
 * @throws CodecError for an unknown encoding or an unsupported error handler.
 */
export function makeDecode8Bit(encoding: string, errors: string): Decode8Bit {
  // The default pair, built once: normalizing the name per `loads` cost ~5% of a tiny pickle.
  if (encoding === "ASCII" && errors === "strict") return (asciiStrict ??= buildDecode8Bit(encoding, errors));
  return buildDecode8Bit(encoding, errors);
}

/** The unpickler's default 8-bit decoder (a pure function: shared by every unpickler). */
let asciiStrict: Decode8Bit | undefined;

function buildDecode8Bit(encoding: string, errors: string): Decode8Bit {
  const enc = normalizeEncoding(encoding);
  if (enc === "bytes") return (buf, start, end) => buf.slice(start, end);
  if (!ERRORS.has(errors)) throw new CodecError(`unknown error handler name '${errors}'`, "LookupError");
  if (enc === "latin1") return decodeLatin1;
  if (enc === "ascii") {
    return (buf, start, end) => {
      let i = start;
      while (i < end && (buf[i] as number) < 0x80) i++;
      if (i === end) return decodeLatin1(buf, start, end);
      let s = "";
      for (let i = start; i < end; i++) {
        const c = buf[i] as number;
        if (c < 0x80) s += String.fromCharCode(c);
        else if (errors === "strict") {
          throw new CodecError(
            `'ascii' codec can't decode byte 0x${c.toString(16)} in position ${i - start}: ordinal not in range(128)`,
            "UnicodeDecodeError",
          );
        } else if (errors === "replace") s += "\ufffd";
        else if (errors === "surrogateescape") s += String.fromCharCode(0xdc00 + c);
        else if (errors === "backslashreplace") s += `\\x${c.toString(16)}`;
      }
      return s;
    };
  }
  if (enc === "utf8" && errors === "strict") return decodeUtf8Strict;
  if (errors !== "strict" && errors !== "replace") {
    throw new CodecError(
      `error handler '${errors}' is not supported for encoding '${encoding}'`,
      "LookupError",
    );
  }
  let td: TextDecoder;
  try {
    td = new TextDecoder(enc === "utf8" ? "utf-8" : enc, { fatal: errors === "strict" });
  } catch {
    throw new CodecError(`unknown encoding: ${encoding}`, "LookupError");
  }
  return (buf, start, end) => {
    try {
      return td.decode(buf.subarray(start, end));
    } catch {
      throw new CodecError(`'${encoding}' codec can't decode the data`, "UnicodeDecodeError");
    }
  };
}

/** Strict UTF-8 (no surrogates), as `bytes.decode("utf-8")`. */
function decodeUtf8Strict(buf: Uint8Array, start: number, end: number): string {
  const s = decodeUtf8(buf, start, end);
  // decodeUtf8 passes encoded surrogates; strict UTF-8 does not.
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdfff) {
      if (u <= 0xdbff && i + 1 < s.length) {
        const v = s.charCodeAt(i + 1);
        if (v >= 0xdc00 && v <= 0xdfff) {
          i++;
          continue;
        }
      }
      throw new CodecError(
        "'utf-8' codec can't decode bytes: invalid continuation byte",
        "UnicodeDecodeError",
      );
    }
  }
  return s;
}
