import { OP } from "../opcodes.js";

/**
 * Where a pickler's bytes go when they are not collected in memory: anything with
 * `write(bytes)`. Each call receives bytes the sink may keep (never a view of a buffer the
 * writer reuses). A file, socket or stream adapter wraps its own write in this shape.
 */
export interface PickleSink {
  write(bytes: Uint8Array): unknown;
}

/** CPython's `FRAME_SIZE_TARGET`: a frame is closed at the first opcode boundary past 64 KiB. */
export const FRAME_SIZE_TARGET = 64 * 1024;
/** CPython's `FRAME_SIZE_MIN`: a frame under 4 bytes is not worth its 9-byte header. */
export const FRAME_SIZE_MIN = 4;
/** FRAME opcode plus its 8-byte length. */
export const FRAME_HEADER_SIZE = 9;
const INITIAL_SIZE = 4096;

/**
 * A growable output buffer with CPython's framing (`_Pickler_Write`, `_Pickler_CommitFrame`,
 * `_Pickler_OpcodeBoundary`, `_Pickler_write_bytes`): while framing is on, the first write
 * after a commit reserves a 9-byte header; committing fills it with FRAME and the frame length,
 * or drops it when the frame holds fewer than 4 bytes. Payloads of 64 KiB or more are written
 * outside any frame. With a sink, each committed frame is handed over and the buffer reused,
 * so memory stays near one frame.
 */
export class ByteWriter {
  buf: Uint8Array;
  /** DataView over `buf`, made on first multi-byte number: a small `dumps` may never need one. */
  private viewCache: DataView | null = null;
  pos = 0;
  /** Protocol 4+ inside `dump`: writes go into frames. */
  framing = false;
  /** Offset of the reserved header of the open frame, or -1. */
  frameStart = -1;
  readonly sink: PickleSink | undefined;
  /**
   * Without a sink: payloads of 64 KiB or more are not copied into `buf` but kept here with the
   * offset in `buf` they follow, and copied once into the result by `finish` (as CPython
   * writes them past the frames; peak memory stays near the output size).
   */
  private readonly outside: Uint8Array[] = [];
  private readonly outsideAt: number[] = [];
  private outsideBytes = 0;

  /** @param buffer a buffer to start in (reused scratch space); a new 4 KiB one by default. */
  constructor(sink?: PickleSink, buffer?: Uint8Array) {
    this.buf = buffer ?? new Uint8Array(INITIAL_SIZE);
    this.sink = sink;
  }

  get view(): DataView {
    const buf = this.buf;
    return (this.viewCache ??= new DataView(buf.buffer, buf.byteOffset, buf.byteLength));
  }

  /**
   * Makes room for `n` more bytes and opens a frame if one is due (every write goes through
   * here, as `_Pickler_Write` does). Returns the offset to write at.
   */
  reserve(n: number): number {
    if (this.framing && this.frameStart < 0) {
      this.frameStart = this.pos;
      n += FRAME_HEADER_SIZE;
      if (this.pos + n > this.buf.length) this.grow(n);
      this.pos += FRAME_HEADER_SIZE;
      return this.pos;
    }
    if (this.pos + n > this.buf.length) this.grow(n);
    return this.pos;
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    const need = this.pos + n;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.viewCache = null;
  }

  byte(b: number): void {
    const p = this.reserve(1);
    this.buf[p] = b;
    this.pos = p + 1;
  }

  byte2(a: number, b: number): void {
    const p = this.reserve(2);
    this.buf[p] = a;
    this.buf[p + 1] = b;
    this.pos = p + 2;
  }

  bytes(data: Uint8Array): void {
    const p = this.reserve(data.length);
    this.buf.set(data, p);
    this.pos = p + data.length;
  }

  /** Latin-1/ASCII text (every char code < 256), e.g. decimal digits and GLOBAL names. */
  latin1(s: string): void {
    const n = s.length;
    let p = this.reserve(n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Closes the open frame (`_Pickler_CommitFrame`). */
  commitFrame(): void {
    const start = this.frameStart;
    if (!this.framing || start < 0) return;
    const len = this.pos - start - FRAME_HEADER_SIZE;
    if (len >= FRAME_SIZE_MIN) {
      this.buf[start] = OP.FRAME;
      this.view.setUint32(start + 1, len % 0x100000000, true);
      this.view.setUint32(start + 5, Math.floor(len / 0x100000000), true);
    } else {
      this.buf.copyWithin(start, start + FRAME_HEADER_SIZE, this.pos);
      this.pos -= FRAME_HEADER_SIZE;
    }
    this.frameStart = -1;
  }

  /**
   * Called before each object is saved (`_Pickler_OpcodeBoundary`): closes the frame once it
   * reaches 64 KiB and, with a sink, hands the buffered bytes over.
   */
  opcodeBoundary(): void {
    if (this.frameStart < 0 || this.pos - this.frameStart - FRAME_HEADER_SIZE < FRAME_SIZE_TARGET) return;
    this.commitFrame();
    if (this.sink) this.flush();
  }

  /**
   * A header and a payload (`_Pickler_write_bytes`): a payload of 64 KiB or more closes the
   * current frame and goes outside any frame, straight to the sink when there is one.
   */
  headerAndPayload(header: Uint8Array, headerLen: number, data: Uint8Array): void {
    if (data.length < FRAME_SIZE_TARGET) {
      const p = this.reserve(headerLen + data.length);
      this.buf.set(header.subarray(0, headerLen), p);
      this.buf.set(data, p + headerLen);
      this.pos = p + headerLen + data.length;
      return;
    }
    const framing = this.framing;
    this.commitFrame();
    this.framing = false;
    const p = this.reserve(headerLen);
    this.buf.set(header.subarray(0, headerLen), p);
    this.pos = p + headerLen;
    if (this.sink) {
      this.flush();
      this.sink.write(data);
    } else {
      this.outside.push(data);
      this.outsideAt.push(this.pos);
      this.outsideBytes += data.length;
    }
    this.framing = framing;
  }

  /** Hands buffered bytes to the sink (a copy) and empties the buffer; commits no frame. */
  flush(): void {
    if (!this.sink || this.pos === 0) return;
    this.sink.write(this.buf.slice(0, this.pos));
    this.pos = 0;
  }

  /** The bytes written so far, copied into one new array (large payloads joined in). */
  finish(): Uint8Array {
    const n = this.outside.length;
    if (n === 0) return this.buf.slice(0, this.pos);
    const out = new Uint8Array(this.pos + this.outsideBytes);
    let from = 0;
    let to = 0;
    for (let i = 0; i < n; i++) {
      const at = this.outsideAt[i]!;
      const data = this.outside[i]!;
      out.set(this.buf.subarray(from, at), to);
      to += at - from;
      out.set(data, to);
      to += data.length;
      from = at;
    }
    out.set(this.buf.subarray(from, this.pos), to);
    return out;
  }

  /** Drops the bytes written from offset `pos` on (a failed pickle), large payloads included. */
  truncate(pos: number): void {
    this.pos = pos;
    this.frameStart = -1;
    this.framing = false;
    while (this.outsideAt.length !== 0 && this.outsideAt[this.outsideAt.length - 1]! >= pos) {
      this.outsideAt.pop();
      this.outsideBytes -= this.outside.pop()!.length;
    }
  }

  /** Forgets the buffered bytes (and any open frame). */
  reset(): void {
    this.truncate(0);
  }
}
