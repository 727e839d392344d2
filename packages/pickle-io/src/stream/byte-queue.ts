/**
 * Bytes read from a source and not yet consumed: one growable buffer with a read offset, so
 * many small pickles in one large chunk are taken without copying the rest of the chunk each
 * time. Readers may also read straight into its free space (`reserve` then `commit`).
 */
export class ByteQueue {
  private buf: Uint8Array;
  private start = 0;
  private end = 0;

  constructor(capacity = 64 * 1024) {
    this.buf = new Uint8Array(capacity);
  }

  /** Number of queued bytes. */
  get length(): number {
    return this.end - this.start;
  }

  /** The queued bytes (a view, valid until the next change). */
  view(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** Appends a copy of `chunk`. */
  push(chunk: Uint8Array): void {
    const at = this.reserve(chunk.length);
    this.buf.set(chunk, at);
    this.end += chunk.length;
  }

  /**
   * Makes room for `n` more bytes and returns the offset in `buffer` where they go; call
   * `commit` with the number actually written there.
   */
  reserve(n: number): number {
    if (this.end + n <= this.buf.length) return this.end;
    const len = this.end - this.start;
    if (len + n <= this.buf.length && this.start >= len) {
      // Enough room once the consumed head is dropped (and the move is no larger than it).
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      let cap = this.buf.length * 2;
      while (cap < len + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
    }
    this.start = 0;
    this.end = len;
    return this.end;
  }

  /** The buffer that `reserve` offsets point into. */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** Records `n` bytes written at the offset `reserve` returned. */
  commit(n: number): void {
    this.end += n;
  }

  /** Removes and returns a copy of the first `n` queued bytes. */
  take(n: number): Uint8Array {
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }

  /** Removes and returns a copy of every queued byte. */
  takeAll(): Uint8Array {
    return this.take(this.end - this.start);
  }
}
