import { decodeAscii, encodeBasestringAscii, writeEscapedAscii } from "./escape.js";
import { writeExactInt } from "./exact-int.js";

/**
 * Where the one-shot encoder puts its output: `+=` into pieces that are flattened and joined
 * at the end. A byte buffer decoded once at the end (the msgpackr way) was measured too, for
 * ASCII output: on 100k records it was no faster, because growing the buffer and the final
 * 23 MB TextDecoder pass cost what the per-token strings save. Strings also carry lone
 * surrogates, which ensureAscii false must keep and no byte codec can.
 */
export interface TextSink {
  add(s: string): void;
  /** `"` + s + `"`, for a string that needs no escaping. */
  addQuoted(s: string): void;
  /** `encode_basestring_ascii(s)` (quotes included). */
  addEscapedAscii(s: string): void;
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

/** Bytes of escaped ASCII text gathered before one decode (see `addEscapedAscii`). */
const BYTES_LENGTH = 16384;
/** Short ASCII pieces join the byte run rather than end it. */
const SHORT_PIECE = 64;

export class StringSink implements TextSink {
  private s = "";
  private parts: string[] = [];
  private bytes: Uint8Array | undefined;
  private nBytes = 0;
  add(s: string): void {
    if (this.nBytes > 0) {
      if (s.length <= SHORT_PIECE && this.copyAscii(s)) return;
      this.flushBytes();
    }
    this.addString(s);
  }
  addQuoted(s: string): void {
    this.add(`"${s}"`);
  }
  /**
   * `encode_basestring_ascii(s)`: written as bytes, straight from the escape tables, into a run
   * decoded once (per-string escaping to a JS string costs several allocations per character).
   */
  addEscapedAscii(s: string): void {
    const room = 6 * s.length + 2;
    if (room > BYTES_LENGTH) {
      this.add(encodeBasestringAscii(s));
      return;
    }
    if (this.bytes === undefined) this.bytes = new Uint8Array(BYTES_LENGTH);
    else if (this.nBytes + room > BYTES_LENGTH) this.flushBytes();
    this.nBytes = writeEscapedAscii(s, this.bytes, this.nBytes);
  }
  addExactInt(x: number): void {
    if (this.bytes === undefined) this.bytes = new Uint8Array(BYTES_LENGTH);
    else if (this.nBytes + 320 > BYTES_LENGTH) this.flushBytes();
    this.nBytes = writeExactInt(x, this.bytes, this.nBytes);
  }
  finish(): string {
    this.flushBytes();
    let out: string;
    if (this.parts.length === 0) out = this.s;
    else {
      this.parts.push(this.s);
      out = this.parts.join("");
    }
    this.reset();
    return out;
  }
  reset(): void {
    this.s = "";
    this.parts = [];
    this.nBytes = 0;
  }
  /** Appends ASCII `s` to the byte run; false (nothing written) when it holds other text. */
  private copyAscii(s: string): boolean {
    const n = s.length;
    if (this.nBytes + n > BYTES_LENGTH) return false;
    const b = this.bytes!;
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
