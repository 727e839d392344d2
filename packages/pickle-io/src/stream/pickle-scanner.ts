import { OP } from "@x/pickle-core";

/**
 * How an opcode's argument is laid out in the stream (pickletools' ArgumentDescriptor.n):
 * a fixed byte count (>= 0), or one of the markers below.
 */
const LINE = -1; // up to and including "\n"
const LINE_PAIR = -2; // two such lines (GLOBAL, INST)
const LEN1 = -3; // 1-byte length, then that many bytes
const LEN4S = -4; // 4-byte signed little-endian length, then that many bytes
const LEN4U = -5; // 4-byte unsigned length
const LEN8U = -6; // 8-byte unsigned length
const UNKNOWN = -7; // not an opcode

const ARG = new Int8Array(256).fill(UNKNOWN);
for (const op of [
  OP.NONE,
  OP.NEWTRUE,
  OP.NEWFALSE,
  OP.NEXT_BUFFER,
  OP.READONLY_BUFFER,
  OP.EMPTY_LIST,
  OP.APPEND,
  OP.APPENDS,
  OP.LIST,
  OP.EMPTY_TUPLE,
  OP.TUPLE,
  OP.TUPLE1,
  OP.TUPLE2,
  OP.TUPLE3,
  OP.EMPTY_DICT,
  OP.DICT,
  OP.SETITEM,
  OP.SETITEMS,
  OP.EMPTY_SET,
  OP.ADDITEMS,
  OP.FROZENSET,
  OP.POP,
  OP.DUP,
  OP.MARK,
  OP.POP_MARK,
  OP.MEMOIZE,
  OP.STACK_GLOBAL,
  OP.REDUCE,
  OP.BUILD,
  OP.OBJ,
  OP.NEWOBJ,
  OP.NEWOBJ_EX,
  OP.STOP,
  OP.BINPERSID,
]) {
  ARG[op] = 0;
}
for (const op of [OP.BININT1, OP.BINGET, OP.BINPUT, OP.EXT1, OP.PROTO]) ARG[op] = 1;
for (const op of [OP.BININT2, OP.EXT2]) ARG[op] = 2;
for (const op of [OP.BININT, OP.LONG_BINGET, OP.LONG_BINPUT, OP.EXT4]) ARG[op] = 4;
ARG[OP.BINFLOAT] = 8;
ARG[OP.FRAME] = 8;
for (const op of [OP.INT, OP.LONG, OP.STRING, OP.UNICODE, OP.FLOAT, OP.GET, OP.PUT, OP.PERSID])
  ARG[op] = LINE;
ARG[OP.GLOBAL] = LINE_PAIR;
ARG[OP.INST] = LINE_PAIR;
for (const op of [OP.LONG1, OP.SHORT_BINSTRING, OP.SHORT_BINBYTES, OP.SHORT_BINUNICODE]) ARG[op] = LEN1;
ARG[OP.LONG4] = LEN4S;
ARG[OP.BINSTRING] = LEN4S;
ARG[OP.BINBYTES] = LEN4U;
ARG[OP.BINUNICODE] = LEN4U;
for (const op of [OP.BINBYTES8, OP.BINUNICODE8, OP.BYTEARRAY8]) ARG[op] = LEN8U;

/** `scan()` found the end: the pickle is `bytes[0, end)`. */
export const SCAN_DONE = 0;
/** `scan()` needs more bytes: at least `needed` more after the given ones. */
export const SCAN_MORE = 1;

/**
 * Finds where one pickle ends in a byte stream without decoding it, so a stream reader can
 * fetch exactly the bytes of one object (and give back the rest) before the unpickler runs.
 * It walks opcode by opcode, skipping each argument by its declared layout; it resumes where
 * it stopped when called again with more bytes. It never allocates: lengths declared in the
 * data only move an offset.
 *
 * The end is just after STOP. An unknown opcode or a negative length also ends the scan
 * there: the unpickler then reports that byte with CPython's error, as it would in a file.
 * A FRAME's length is reported as `needed` so exact readers fetch the frame in one read.
 */
export class PickleScanner {
  /** Offset of the first opcode not yet fully seen. */
  private pos = 0;
  /** Where to resume the newline search for a text argument of the opcode at `pos`. */
  private lineFrom = 0;
  /** Newlines still to find for the opcode at `pos` (GLOBAL and INST take two lines). */
  private linesLeft = 0;
  /** After SCAN_MORE: the least number of further bytes that could let the scan progress. */
  needed = 1;
  /** After SCAN_DONE: the pickle's length in bytes. */
  end = 0;

  /** Forget the current pickle, to scan the next one from offset 0. */
  reset(): void {
    this.pos = 0;
    this.lineFrom = 0;
    this.linesLeft = 0;
    this.needed = 1;
    this.end = 0;
  }

  /** Bytes of the current pickle already known to be complete opcodes. */
  get scanned(): number {
    return this.pos;
  }

  /**
   * Scans `buf[0, length)`, the start of a pickle (the same bytes as on earlier calls, plus
   * more). Returns SCAN_DONE (see `end`) or SCAN_MORE (see `needed`).
   */
  scan(buf: Uint8Array, length: number): number {
    let pos = this.pos;
    while (pos < length) {
      const op = buf[pos]!;
      const kind = ARG[op]!;
      if (kind === 0) {
        pos++;
        if (op === OP.STOP) return this.done(pos);
        continue;
      }
      if (kind > 0) {
        const next = pos + 1 + kind;
        if (next > length) return this.more(pos, next - length);
        if (op === OP.FRAME) {
          // The frame's bytes follow; asking for all of them lets exact readers do one read.
          const frameLen = readUint64(buf, pos + 1);
          this.pos = next;
          this.linesLeft = 0;
          this.needed = Math.max(1, Math.min(frameLen, Number.MAX_SAFE_INTEGER) - (length - next));
          pos = next;
          continue;
        }
        pos = next;
        continue;
      }
      if (kind === LINE || kind === LINE_PAIR) {
        // Resume a search cut short by the end of the bytes, or start one.
        const resuming = this.pos === pos && this.linesLeft > 0;
        let from = resuming ? this.lineFrom : pos + 1;
        let lines = resuming ? this.linesLeft : kind === LINE ? 1 : 2;
        while (lines > 0) {
          while (from < length && buf[from] !== 10) from++;
          if (from === length) {
            // A text line has no declared length: read on (a byte at a time for exact readers).
            this.pos = pos;
            this.lineFrom = length;
            this.linesLeft = lines;
            this.needed = 1;
            return SCAN_MORE;
          }
          from++;
          lines--;
        }
        this.linesLeft = 0;
        pos = from;
        continue;
      }
      if (kind === UNKNOWN) return this.done(pos + 1);
      const width = kind === LEN1 ? 1 : kind === LEN8U ? 8 : 4;
      const head = pos + 1 + width;
      if (head > length) return this.more(pos, head - length);
      let n: number;
      if (kind === LEN1) n = buf[pos + 1]!;
      else if (kind === LEN8U) n = readUint64(buf, pos + 1);
      else {
        n = readUint32(buf, pos + 1);
        if (kind === LEN4S && n >= 0x80000000) return this.done(head); // negative: decoder's error
      }
      const next = head + n;
      if (next > length) return this.more(pos, next - length);
      pos = next;
    }
    this.pos = pos;
    this.linesLeft = 0;
    this.needed = 1;
    return SCAN_MORE;
  }

  private done(end: number): number {
    this.end = end;
    this.pos = end;
    this.linesLeft = 0;
    return SCAN_DONE;
  }

  private more(pos: number, needed: number): number {
    this.pos = pos;
    this.linesLeft = 0;
    this.needed = needed;
    return SCAN_MORE;
  }
}

function readUint32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
}

/** An 8-byte little-endian length; beyond 2**53 it saturates (no input can hold that much). */
function readUint64(b: Uint8Array, at: number): number {
  const lo = readUint32(b, at);
  const hi = readUint32(b, at + 4);
  return hi >= 0x200000 ? Number.MAX_SAFE_INTEGER : hi * 0x100000000 + lo;
}
