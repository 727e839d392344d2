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

export class StringSink implements TextSink {
  private s = "";
  private parts: string[] = [];
  add(s: string): void {
    this.s += s;
    if (this.s.length > PIECE_LENGTH) {
      const piece = this.s;
      // Reading a character flattens the rope now, while its nodes are still young garbage.
      piece.charCodeAt(0);
      this.parts.push(piece);
      this.s = "";
    }
  }
  addQuoted(s: string): void {
    this.add(`"${s}"`);
  }
  finish(): string {
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
  }
}
