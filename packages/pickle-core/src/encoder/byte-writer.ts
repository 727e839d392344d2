import { OP } from "../opcodes.js";

/**
 * Where a pickler's bytes go when they are not collected in memory: anything with
 * `write(bytes)`. Each call receives bytes the sink may keep: they are never written again.
 * They may be a view into a buffer that holds the writer's other writes too (as Node's pooled
 * `Buffer`s are), so a sink that hands `bytes.buffer` on (transfer, Blob) copies first. A file,
 * socket or stream adapter wraps its own write in this shape.
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
/** Buffers grow by doubling up to this size, then by buffers of this size (less slack). */
const MAX_GROWTH = 4 * 1024 * 1024;
/**
 * With a sink, writes are views of the buffer (no copy, no ArrayBuffer per write: V8's costs
 * ~0.5 µs, more than the rest of a small `dump`), so a full buffer is never reused; the next
 * is this size or twice what must fit, not doubled, so one view a sink keeps pins little.
 */
const SINK_BUFFER_SIZE = 16 * 1024;
/**
 * A growable output buffer with CPython's framing (`_Pickler_Write`, `_Pickler_CommitFrame`,
 * `_Pickler_OpcodeBoundary`, `_Pickler_write_bytes`): while framing is on, the first write
 * after a commit reserves a 9-byte header; committing fills it with FRAME and the frame length,
 * or drops it when the frame holds fewer than 4 bytes. Payloads of 64 KiB or more are written
 * outside any frame. With a sink, each committed frame is handed over and the buffer reused,
 * so memory stays near one frame; the bytes handed over are views of the buffer, whose
 * handed-over part is never written again (a full buffer is dropped, not reused).
 *
 * The output is `chunks` (finished pieces, never written again) then `buf[head..pos)`. A full
 * buffer is not copied into a bigger one: its finished part becomes a chunk (only an open
 * frame moves), and the chunks are copied once, into the result.
 */
export class ByteWriter {
  buf: Uint8Array;
  /** DataView over `buf`, made on first multi-byte number: a small `dumps` may never need one. */
  private viewCache: DataView | null = null;
  pos = 0;
  /** Where the output not yet handed out or sealed into a chunk begins in `buf`. */
  private head = 0;
  /** Protocol 4+ inside `dump`: writes go into frames. */
  framing = false;
  /** Offset of the reserved header of the open frame, or -1. */
  frameStart = -1;
  readonly sink: PickleSink | undefined;
  /** Output before `buf[head..pos)`: sealed buffer parts and large payloads (not copied). */
  private chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  /** Buffers filled and sealed during this output; spare again once it is taken. */
  private retired: Uint8Array[] = [];
  /** Buffers to write in again (a repeated large dump allocates nothing but its result). */
  private spare: Uint8Array[] = [];

  /** @param buffer a buffer to start in (reused scratch space); a new 4 KiB one by default. */
  constructor(sink?: PickleSink, buffer?: Uint8Array) {
    // With a sink the buffer is handed out in views: never one the caller may reuse.
    this.buf =
      sink === undefined && buffer !== undefined && buffer.length !== 0
        ? buffer
        : new Uint8Array(sink === undefined ? INITIAL_SIZE : SINK_BUFFER_SIZE);
    this.sink = sink;
  }

  get view(): DataView {
    const buf = this.buf;
    return (this.viewCache ??= new DataView(buf.buffer, buf.byteOffset, buf.byteLength));
  }

  /** Bytes of the buffers kept for writing in (the current one and the spare ones). */
  get scratchBytes(): number {
    let n = this.buf.length;
    for (const b of this.spare) n += b.length;
    return n;
  }

  /**
   * Drops the buffers kept for writing in (an idle writer after a large output): a new small
   * one is made. Nothing written and not taken may be pending.
   */
  releaseScratch(): void {
    this.spare = [];
    this.buf = new Uint8Array(INITIAL_SIZE);
    this.viewCache = null;
    this.pos = this.head = 0;
  }

  /** Bytes written and not yet taken (`finish`) or flushed: a mark for `truncate`. */
  get written(): number {
    return this.chunkBytes + this.pos - this.head;
  }

  /**
   * Makes room for `n` more bytes and opens a frame if one is due (every write goes through
   * here, as `_Pickler_Write` does). Returns the offset to write at.
   */
  reserve(n: number): number {
    if (this.framing && this.frameStart < 0) {
      n += FRAME_HEADER_SIZE;
      if (this.pos + n > this.buf.length) this.grow(n);
      this.frameStart = this.pos;
      this.pos += FRAME_HEADER_SIZE;
      return this.pos;
    }
    if (this.pos + n > this.buf.length) this.grow(n);
    return this.pos;
  }

  /**
   * Room for `n` more bytes in a new buffer: the finished part of this one becomes a chunk,
   * only the open frame (whose header is patched later) moves.
   */
  private grow(n: number): void {
    const old = this.buf;
    const keep = this.frameStart >= 0 ? this.frameStart : this.pos;
    if (keep > this.head) this.seal(old.subarray(this.head, keep));
    const moving = this.pos - keep;
    // With a sink, views of the old buffer may be kept: it is dropped, never spare.
    if (this.sink === undefined) this.retired.push(old);
    const next =
      this.sink === undefined
        ? (this.spareFor(moving + n) ?? this.newBuffer(old.length, moving + n))
        : new Uint8Array(Math.max(SINK_BUFFER_SIZE, 2 * (moving + n)));
    if (moving !== 0) next.set(old.subarray(keep, this.pos));
    this.buf = next;
    this.viewCache = null;
    if (this.frameStart >= 0) this.frameStart -= keep;
    this.pos = moving;
    this.head = 0;
  }

  private spareFor(need: number): Uint8Array | undefined {
    const spare = this.spare;
    for (let i = 0; i < spare.length; i++) {
      if (spare[i]!.length >= need) return spare.splice(i, 1)[0];
    }
    return undefined;
  }

  private newBuffer(last: number, need: number): Uint8Array {
    let size = Math.min(Math.max(last * 2, INITIAL_SIZE), MAX_GROWTH);
    while (size < need) size *= 2;
    return new Uint8Array(size);
  }

  private seal(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
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
      // The payload joins the output as it is; writing goes on after the sealed part.
      if (this.pos > this.head) this.seal(this.buf.subarray(this.head, this.pos));
      this.head = this.pos;
      this.seal(data);
    }
    this.framing = framing;
  }

  /** Hands buffered bytes to the sink and empties the buffer; commits no frame. */
  flush(): void {
    const sink = this.sink;
    if (!sink) return;
    if (this.chunkBytes !== 0) {
      for (const c of this.chunks) sink.write(c);
      // The sink may keep those views: their buffers are never written again.
      this.retired = [];
      this.dropChunks();
    }
    const head = this.head;
    const pos = this.pos;
    if (pos !== head) {
      // A view, not a copy: the handed-over bytes are never written again (see grow).
      const buf = this.buf;
      this.head = pos;
      sink.write(new Uint8Array(buf.buffer, buf.byteOffset + head, pos - head));
    }
  }

  /**
   * `buf[head..pos)` copied out for the caller to keep, in an ArrayBuffer of its own (a shared
   * slab would save an allocation per small pickle, but `result.buffer` handed to a Blob,
   * `postMessage` or a hash would then carry other results' bytes); the buffer is then reused.
   */
  private takeRegion(): Uint8Array {
    // slice(), not subarray().slice(): no view made only to be copied.
    const out = this.buf.slice(this.head, this.pos);
    this.pos = this.head;
    return out;
  }

  /** Forgets the chunks (taken or dropped): the buffers they were cut from are spare again. */
  private dropChunks(): void {
    this.chunks = [];
    this.chunkBytes = 0;
    if (this.retired.length !== 0) {
      for (const b of this.retired) this.spare.push(b);
      this.retired = [];
      this.spare.sort((a, b) => a.length - b.length);
    }
  }

  /** The bytes written so far, as one array the caller owns (large payloads joined in). */
  finish(): Uint8Array {
    if (this.chunkBytes === 0) return this.takeRegion();
    const out = new Uint8Array(this.written);
    let to = 0;
    for (const c of this.chunks) {
      out.set(c, to);
      to += c.length;
    }
    out.set(this.buf.subarray(this.head, this.pos), to);
    this.dropChunks();
    this.head = this.pos = 0;
    return out;
  }

  /** Drops the bytes written after mark `at` (a `written` value: a failed pickle), payloads included. */
  truncate(at: number): void {
    this.frameStart = -1;
    this.framing = false;
    if (at >= this.chunkBytes) {
      this.pos = this.head + (at - this.chunkBytes);
      return;
    }
    if (at === 0) {
      this.dropChunks();
      this.pos = this.head;
      return;
    }
    const chunks = this.chunks;
    while (chunks.length !== 0 && this.chunkBytes - chunks[chunks.length - 1]!.length >= at) {
      this.chunkBytes -= chunks.pop()!.length;
    }
    if (this.chunkBytes > at) {
      const last = chunks.length - 1;
      chunks[last] = chunks[last]!.subarray(0, chunks[last]!.length - (this.chunkBytes - at));
      this.chunkBytes = at;
    }
    this.pos = this.head;
  }

  /** Forgets the buffered bytes (and any open frame). */
  reset(): void {
    this.truncate(0);
  }
}
