import { ByteQueue } from "./byte-queue.js";
import { PickleScanner, SCAN_DONE } from "./pickle-scanner.js";

/** Reads larger than this are split, so a declared length never sizes an allocation. */
export const MAX_READ = 1 << 20;

/**
 * Cuts a byte stream into pickles: push chunks in, take each complete pickle out as its own
 * bytes, and keep what follows it for the next one. Sync and async readers, exact and
 * buffered, all drive this one class.
 */
export class PickleSplitter {
  readonly queue: ByteQueue;
  private readonly scanner = new PickleScanner();

  constructor(capacity?: number) {
    this.queue = new ByteQueue(capacity);
  }

  /** The bytes of the next pickle when the queue holds all of it, else `undefined`. */
  next(): Uint8Array | undefined {
    const q = this.queue;
    if (q.length === 0 || this.scanner.scan(q.view(), q.length) !== SCAN_DONE) return undefined;
    const bytes = q.take(this.scanner.end);
    this.scanner.reset();
    return bytes;
  }

  /**
   * After `next()` returned undefined: how many more bytes an exact reader should fetch, at
   * least 1 and at most MAX_READ. Never more than the pickle needs, so nothing past its STOP
   * is read (except inside a FRAME, which is read whole, as CPython does).
   */
  wanted(): number {
    return Math.min(Math.max(1, this.scanner.needed), MAX_READ);
  }

  /** Appends bytes read from the source. */
  push(chunk: Uint8Array): void {
    if (chunk.length > 0) this.queue.push(chunk);
  }

  /**
   * At the end of the source: `null` when no byte of a next pickle was read (the caller's
   * "Ran out of input"), else the partial pickle, for the unpickler to report as truncated.
   */
  finish(): Uint8Array | null {
    if (this.queue.length === 0) return null;
    this.scanner.reset();
    return this.queue.takeAll();
  }

  /** Bytes read past the last pickle taken (to give back to the source). */
  rest(): Uint8Array {
    this.scanner.reset();
    return this.queue.takeAll();
  }
}
