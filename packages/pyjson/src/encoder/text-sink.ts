import { decodeAscii, encodeBasestringAscii, writeEscapedAscii } from "./escape.js";
import { writeExactInt } from "./exact-int.js";
import { intText } from "./scalars.js";

/**
 * Where the one-shot encoder puts its output. Measured alternatives (r3, bench JSON workloads):
 * everything as bytes decoded once is 1.5x slower on documents of 20-char strings (a JS copy
 * loop costs more per character than a rope node and V8's native flattening); all pieces in
 * an array joined per batch lost everywhere. Strings also carry lone surrogates, which
 * ensureAscii false must keep and no byte codec can.
 */
export interface TextSink {
  add(s: string): void;
  /** `"` + s + `"`, for a string that needs no escaping. */
  addQuoted(s: string): void;
  /** `encode_basestring_ascii(s)` (quotes included). */
  addEscapedAscii(s: string): void;
  /** An integral number within ±2**53 (not -0), as its digits. */
  addSafeInt(x: number): void;
  /** A float whose repr has at most two decimals, as digits; false when not written. */
  addShortDecimal(x: number): boolean;
  /** The exact digits of an integral number beyond 2**53 (Python's int repr). */
  addExactInt(x: number): void;
  /** The text so far; the sink is then empty and reusable. */
  finish(): string;
  /** Drops what was written (after an error). */
  reset(): void;
}

/**
 * `+=` pieces are flattened and set aside at about this many UTF-16 units: one ever-growing
 * rope of millions of nodes survives into the old generation (over 80% of the time in GC).
 */
const PIECE_LENGTH = 8192;

/** "00".."99" as char codes: two digits per division. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let v = 0; v < 100; v++) {
  DIGIT_PAIRS[2 * v] = 0x30 + ((v / 10) | 0);
  DIGIT_PAIRS[2 * v + 1] = 0x30 + (v % 10);
}

/** Writes the digits of `v` (an integer in [0, 2**53]) into `b` at `j`; returns the end. */
function writeDigits(v: number, b: Uint8Array, j: number): number {
  let digits = 1;
  for (let p = 10; p <= v; p *= 10) digits++;
  const end = j + digits;
  let at = end;
  // Above 2**31 the low eight digits first in float arithmetic, the rest in int32 arithmetic.
  if (v >= 2147483648) {
    const hi = Math.floor(v / 1e8);
    let lo = v - hi * 1e8;
    for (let k = 0; k < 4; k++) {
      const q = (lo / 100) | 0;
      const r = 2 * (lo - q * 100);
      b[--at] = DIGIT_PAIRS[r + 1]!;
      b[--at] = DIGIT_PAIRS[r]!;
      lo = q;
    }
    v = hi;
  }
  let w = v | 0;
  while (w >= 100) {
    const q = (w / 100) | 0;
    const r = 2 * (w - q * 100);
    b[--at] = DIGIT_PAIRS[r + 1]!;
    b[--at] = DIGIT_PAIRS[r]!;
    w = q;
  }
  if (w >= 10) {
    b[--at] = DIGIT_PAIRS[2 * w + 1]!;
    b[--at] = DIGIT_PAIRS[2 * w]!;
  } else b[--at] = 0x30 + w;
  return end;
}

/** Bytes of ASCII text gathered before one decode (see `StringSink`). */
const BYTES_LENGTH = 65536;
/** While a byte run is open, ASCII pieces up to this long are copied into it, not ending it. */
const COPY_MAX = 64;

/**
 * Tokens are either appended to a rope (`+=`) or written as bytes into a run that is decoded
 * once when it ends (64 KiB at most). Escaped strings and ints open a run: writing them as
 * bytes, straight from the tables or as digits, spares the strings building their text would
 * allocate (ints 0.6x, records 0.8x). An open run takes the following short ASCII pieces too
 * (copied), since each decode has a fixed cost (~200 ns); a long or non-ASCII piece ends it.
 * Other pieces go to the rope, which costs one node each and a native flattening pass.
 * `ascii` (ensureAscii with ASCII separators and indent: the output is all ASCII) enables runs
 * for ints; escapes only happen under ensureAscii.
 */
export class StringSink implements TextSink {
  private s = "";
  private parts: string[] = [];
  private bytes: Uint8Array | undefined;
  private nBytes = 0;
  constructor(private readonly ascii: boolean) {}
  /** Whether a byte run is open: ASCII pieces are then copied into it. */
  inByteRun(): boolean {
    return this.nBytes > 0;
  }
  add(s: string): void {
    if (this.nBytes > 0) {
      if (s.length <= COPY_MAX && this.copyAscii(s)) return;
      this.flushBytes();
    }
    this.addString(s);
  }
  addQuoted(s: string): void {
    const n = s.length;
    if (this.nBytes > 0) {
      if (n <= COPY_MAX) {
        const b = this.room(n + 2);
        const at = this.nBytes;
        b[at] = 0x22;
        let i = 0;
        for (; i < n; i++) {
          const c = s.charCodeAt(i);
          if (c >= 0x80) break;
          b[at + 1 + i] = c;
        }
        if (i === n) {
          b[at + 1 + n] = 0x22;
          this.nBytes = at + n + 2;
          return;
        }
      }
      this.flushBytes();
    }
    this.addString(`"${s}"`);
  }
  /**
   * `encode_basestring_ascii(s)`: written as bytes, straight from the escape tables, into the
   * run (per-string escaping to a JS string costs several allocations per character).
   */
  addEscapedAscii(s: string): void {
    const room = 6 * s.length + 2;
    if (room > BYTES_LENGTH) {
      this.add(encodeBasestringAscii(s));
      return;
    }
    this.nBytes = writeEscapedAscii(s, this.room(room), this.nBytes);
  }
  /** An integral number within ±2**53 (not -0), as its digits. */
  addSafeInt(x: number): void {
    if (!this.ascii) {
      this.add(String(x));
      return;
    }
    const b = this.room(17);
    let j = this.nBytes;
    if (x < 0) {
      b[j++] = 0x2d;
      x = -x;
    }
    this.nBytes = writeDigits(x, b, j);
  }
  /**
   * A finite float whose repr has at most two decimals, written as digits; false (nothing
   * written) for any other, or when the output may hold non-ASCII text (see `ascii`).
   * If `x` is the double nearest to k/100 and 0.01 <= |x| < 1e13, repr(x) is k/100 written
   * positionally with trailing zeros dropped (`.0` when integral): doubles there are less than
   * 0.01 apart, so no other decimal with as few digits rounds to `x`, and Python writes
   * positionally between 1e-4 and 1e16. Spares the runtime call and string of `String(x)`.
   */
  addShortDecimal(x: number): boolean {
    if (!this.ascii) return false;
    const a = x < 0 ? -x : x;
    if (!(a >= 0.01 && a < 1e13)) return false;
    const k = Math.round(a * 100);
    if (k / 100 !== a) return false;
    const b = this.room(18);
    let j = this.nBytes;
    if (x < 0) b[j++] = 0x2d;
    const cents = k % 100;
    j = writeDigits((k - cents) / 100, b, j);
    b[j++] = 0x2e;
    if (cents % 10 === 0) b[j++] = 0x30 + cents / 10;
    else {
      b[j++] = DIGIT_PAIRS[2 * cents]!;
      b[j++] = DIGIT_PAIRS[2 * cents + 1]!;
    }
    this.nBytes = j;
    return true;
  }
  addExactInt(x: number): void {
    if (!this.ascii) {
      this.add(intText(x));
      return;
    }
    this.nBytes = writeExactInt(x, this.room(320), this.nBytes);
  }
  finish(): string {
    this.flushBytes();
    // The flat pieces joined as a rope, not copied: flattening a document-sized string costs
    // about as much as writing it (fresh memory; strings 25% of dumps), and V8's own
    // JSON.stringify returns its output as a rope of parts as well.
    // The tail (a rope of small pieces) is flattened first, as each piece was: a result holding
    // thousands of rope nodes costs its holder more than the copy (pyperf_micro_dict 1.5x).
    const parts = this.parts;
    let out = this.s;
    if (parts.length > 0) {
      out.charCodeAt(0);
      let head = parts[0]!;
      for (let i = 1; i < parts.length; i++) head += parts[i]!;
      out = head + out;
    }
    this.reset();
    return out;
  }
  reset(): void {
    this.s = "";
    this.parts = [];
    this.nBytes = 0;
  }
  /** The byte run, with room for `n` more bytes (flushed first if needed). */
  private room(n: number): Uint8Array {
    if (this.bytes === undefined) this.bytes = new Uint8Array(BYTES_LENGTH);
    else if (this.nBytes + n > BYTES_LENGTH) this.flushBytes();
    return this.bytes;
  }
  /** Appends ASCII `s` to the byte run; false (nothing written) when it holds other text. */
  private copyAscii(s: string): boolean {
    const n = s.length;
    const b = this.room(n);
    const at = this.nBytes;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      b[at + i] = c;
    }
    this.nBytes = at + n;
    return true;
  }
  private flushBytes(): void {
    if (this.nBytes === 0) return;
    const text = decodeAscii(this.bytes!.subarray(0, this.nBytes));
    this.nBytes = 0;
    this.addString(text);
  }
  private addString(s: string): void {
    this.s += s;
    if (this.s.length > PIECE_LENGTH) {
      const piece = this.s;
      // Reading a character flattens the rope now, while its nodes are still young garbage.
      piece.charCodeAt(0);
      this.parts.push(piece);
      this.s = "";
    }
  }
}
