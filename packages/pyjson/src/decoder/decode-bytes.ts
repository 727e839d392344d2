import { PyTypeError, pyTypeName } from "@x/pyobject";
import { type BytesLike, bytesOf } from "./bytes-input.js";
import { UnicodeDecodeError } from "./unicode-decode-error.js";

/** The codecs `detectEncoding` can name (CPython's names). */
export type JSONEncodingName =
  | "utf-8"
  | "utf-8-sig"
  | "utf-16"
  | "utf-16-le"
  | "utf-16-be"
  | "utf-32"
  | "utf-32-le"
  | "utf-32-be";

/**
 * Python's `json.detect_encoding(b)`: a BOM names UTF-32, UTF-16 or UTF-8-sig; otherwise the
 * pattern of zero bytes among the first four (JSON text starts with ASCII) picks the UTF-16/32
 * byte order; else UTF-8.
 */
export function detectEncoding(bytes: BytesLike): JSONEncodingName {
  const b = bytesOf(bytes);
  if (b === undefined) throw new PyTypeError(`a bytes-like object is required, not '${pyTypeName(bytes)}'`);
  const n = b.length;
  const b0 = b[0];
  const b1 = b[1];
  const b2 = b[2];
  const b3 = b[3];
  if (
    n >= 4 &&
    ((b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) ||
      (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0))
  )
    return "utf-32";
  if (n >= 2 && ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe))) return "utf-16";
  if (n >= 3 && b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return "utf-8-sig";
  if (n >= 4) {
    if (b0 === 0) return b1 !== 0 ? "utf-16-be" : "utf-32-be";
    if (b1 === 0) return b2 !== 0 || b3 !== 0 ? "utf-16-le" : "utf-32-le";
  } else if (n === 2) {
    if (b0 === 0) return "utf-16-be";
    if (b1 === 0) return "utf-16-le";
  }
  return "utf-8";
}

// `fatal` makes invalid input throw so we can redo it by hand with CPython's exact error (and
// with `surrogatepass`, which TextDecoder does not know); `ignoreBOM` keeps U+FEFF as text.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * `b.decode(detect_encoding(b), 'surrogatepass')`, as `json.loads` does for bytes.
 * @throws {UnicodeDecodeError} with CPython's codec name, positions and reason.
 */
export function decodeJSONBytes(b: Uint8Array): string {
  return decodeJSONBytesTracked(b).text;
}

/**
 * The decoded text, and where a lone high surrogate and a lone low one, each decoded on its own
 * by `surrogatepass` (UTF-8 `ED A0..` sequences, UTF-32 surrogate code points), ended up next to
 * each other: a JS string cannot tell them from a real pair, but Python counts them as two code
 * points, which shifts error positions after them. `splitPairs` holds the high units' indices.
 */
export interface DecodedJSONText {
  text: string;
  splitPairs: number[] | undefined;
}

/** `decodeJSONBytes` plus the split surrogate pairs (see `DecodedJSONText`). */
export function decodeJSONBytesTracked(b: Uint8Array): DecodedJSONText {
  const enc = detectEncoding(b);
  switch (enc) {
    case "utf-8":
      return decodeUtf8Tracked(b);
    case "utf-8-sig":
      // CPython's utf-8-sig strips the BOM and reports errors relative to the rest, as 'utf-8'.
      return decodeUtf8Tracked(b.subarray(3));
    case "utf-16":
      return { text: decodeUtf16(b, 2, b[0] === 0xff), splitPairs: undefined };
    case "utf-16-le":
      return { text: decodeUtf16(b, 0, true), splitPairs: undefined };
    case "utf-16-be":
      return { text: decodeUtf16(b, 0, false), splitPairs: undefined };
    case "utf-32":
      return decodeUtf32(b, 4, b[0] === 0xff);
    case "utf-32-le":
      return decodeUtf32(b, 0, true);
    case "utf-32-be":
      return decodeUtf32(b, 0, false);
  }
}

function decodeUtf8Tracked(b: Uint8Array): DecodedJSONText {
  try {
    return { text: utf8.decode(b), splitPairs: undefined };
  } catch {
    const sink = new UnitSink();
    return { text: decodeUtf8Slow(b, true, sink), splitPairs: sink.splitPairs };
  }
}

/** Collects UTF-16 code units and turns them into a string in bounded chunks. */
class UnitSink {
  private readonly buf = new Uint16Array(4096);
  private n = 0;
  private out = "";
  private total = 0;
  private loneHighAt = -1;
  splitPairs: number[] | undefined;
  push(u: number): void {
    if (this.n === 4096) this.flush();
    this.buf[this.n++] = u;
    this.total++;
  }
  /** A surrogate decoded on its own (surrogatepass, or a UTF-32 surrogate code point). */
  pushLone(u: number): void {
    if (u >= 0xdc00 && this.loneHighAt === this.total - 1) (this.splitPairs ??= []).push(this.loneHighAt);
    this.push(u);
    this.loneHighAt = u < 0xdc00 ? this.total - 1 : -1;
  }
  pushCodePoint(cp: number): void {
    if (cp > 0xffff) {
      cp -= 0x10000;
      this.push(0xd800 | (cp >> 10));
      this.push(0xdc00 | (cp & 0x3ff));
    } else this.push(cp);
  }
  private flush(): void {
    this.out += String.fromCharCode.apply(null, this.buf.subarray(0, this.n) as unknown as number[]);
    this.n = 0;
  }
  finish(): string {
    this.flush();
    return this.out;
  }
}

function isCont(b: number): boolean {
  return (b & 0xc0) === 0x80;
}

/** UTF-8 with `surrogatepass` (an encoded surrogate `ED A0..BF 80..BF` decodes to a lone surrogate). */
export function decodeUtf8(b: Uint8Array): string {
  try {
    return utf8.decode(b);
  } catch {
    return decodeUtf8Slow(b);
  }
}

/**
 * Strict UTF-8 as CPython's `bytes.decode("utf-8")` (what `open(..., encoding="utf-8")` reads).
 * @throws {UnicodeDecodeError} with CPython's positions and reason.
 */
export function decodeUtf8Strict(b: Uint8Array): string {
  try {
    return utf8.decode(b);
  } catch {
    return decodeUtf8Slow(b, false);
  }
}

// Mirrors CPython's stringlib utf8 decoder: which byte range an error covers and its reason.
function decodeUtf8Slow(b: Uint8Array, surrogatepass = true, sink = new UnitSink()): string {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      sink.push(c);
      i++;
      continue;
    }
    // err: 0 none, 1 invalid start, 2..4 invalid continuation covering err-1 bytes, 5 end of data
    let err = 0;
    const left = n - i;
    if (c < 0xc2 || c > 0xf4) err = 1;
    else if (c < 0xe0) {
      if (left < 2) err = 5;
      else if (!isCont(b[i + 1]!)) err = 2;
      else {
        sink.push(((c & 0x1f) << 6) | (b[i + 1]! & 0x3f));
        i += 2;
        continue;
      }
    } else if (c < 0xf0) {
      const c2 = b[i + 1] ?? 0;
      if (left < 3) err = left < 2 ? 5 : !isCont(c2) || (c2 < 0xa0 ? c === 0xe0 : c === 0xed) ? 2 : 5;
      else if (!isCont(c2) || (c === 0xe0 && c2 < 0xa0) || (c === 0xed && c2 >= 0xa0)) err = 2;
      else if (!isCont(b[i + 2]!)) err = 3;
      else {
        sink.push(((c & 0x0f) << 12) | ((c2 & 0x3f) << 6) | (b[i + 2]! & 0x3f));
        i += 3;
        continue;
      }
    } else {
      const c2 = b[i + 1] ?? 0;
      const c3 = b[i + 2] ?? 0;
      if (left < 4) {
        if (left < 2) err = 5;
        else if (!isCont(c2) || (c2 < 0x90 ? c === 0xf0 : c === 0xf4)) err = 2;
        else if (left < 3) err = 5;
        else err = isCont(c3) ? 5 : 3;
      } else if (!isCont(c2) || (c === 0xf0 && c2 < 0x90) || (c === 0xf4 && c2 >= 0x90)) err = 2;
      else if (!isCont(c3)) err = 3;
      else if (!isCont(b[i + 3]!)) err = 4;
      else {
        sink.pushCodePoint(
          ((c & 0x07) << 18) | ((c2 & 0x3f) << 12) | ((c3 & 0x3f) << 6) | (b[i + 3]! & 0x3f),
        );
        i += 4;
        continue;
      }
    }
    // surrogatepass: a complete three-byte sequence encoding U+D800..U+DFFF passes through.
    if (
      surrogatepass &&
      c === 0xed &&
      left >= 3 &&
      b[i + 1]! >= 0xa0 &&
      b[i + 1]! <= 0xbf &&
      isCont(b[i + 2]!)
    ) {
      sink.pushLone(0xd000 | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f));
      i += 3;
      continue;
    }
    if (err === 1) throw new UnicodeDecodeError("utf-8", b, i, i + 1, "invalid start byte");
    if (err === 5) throw new UnicodeDecodeError("utf-8", b, i, n, "unexpected end of data");
    throw new UnicodeDecodeError("utf-8", b, i, i + err - 1, "invalid continuation byte");
  }
  return sink.finish();
}

/** UTF-16 with `surrogatepass`: every code unit passes; an odd trailing byte is "truncated data". */
function decodeUtf16(b: Uint8Array, start: number, little: boolean): string {
  const n = b.length;
  const sink = new UnitSink();
  let i = start;
  for (; i + 1 < n; i += 2) sink.push(little ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!);
  if (i < n) throw new UnicodeDecodeError(little ? "utf-16-le" : "utf-16-be", b, i, n, "truncated data");
  return sink.finish();
}

/** UTF-32 with `surrogatepass`: surrogate code points pass, ones beyond U+10FFFF fail. */
function decodeUtf32(b: Uint8Array, start: number, little: boolean): DecodedJSONText {
  const n = b.length;
  const name = little ? "utf-32-le" : "utf-32-be";
  const sink = new UnitSink();
  let i = start;
  for (; i + 3 < n; i += 4) {
    const cp = little
      ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
      : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    if (cp > 0x10ffff) throw new UnicodeDecodeError(name, b, i, i + 4, "code point not in range(0x110000)");
    if (cp >= 0xd800 && cp <= 0xdfff) sink.pushLone(cp);
    else sink.pushCodePoint(cp);
  }
  if (i < n) throw new UnicodeDecodeError(name, b, i, n, "truncated data");
  return { text: sink.finish(), splitPairs: sink.splitPairs };
}
