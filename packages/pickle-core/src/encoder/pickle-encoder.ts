import { floatRepr, PyValueError } from "@x/pyobject";
import { PicklingError } from "../errors.js";
import { OP } from "../opcodes.js";
import { ByteWriter, FRAME_HEADER_SIZE, FRAME_SIZE_TARGET, type PickleSink } from "./byte-writer.js";
import {
  INTEGRAL_LONG_ROOM,
  integralLongBytesInto,
  longHex,
  longHexInto,
  longHexRoom,
  safeLongBytesInto,
  smallLongBytesInto,
} from "./long-bytes.js";
import { rawUnicodeEscapeInto, rawUnicodeEscapeLength } from "./raw-unicode-escape.js";
import { encodeUtf8Into, latin1Utf8Into, utf8Length } from "./utf8.js";

/**
 * Strings longer than this are UTF-8 encoded with TextEncoder.encodeInto when well formed;
 * shorter ones by the hand loop, which beats the built-in's call overhead (measured on Node 20:
 * the crossover is near 64 UTF-16 units).
 */
const ENCODE_INTO_MIN = 64;
const textEncoder = new TextEncoder();
const isWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** CPython's default `sys.get_int_max_str_digits()`. */
export const DEFAULT_INT_MAX_STR_DIGITS = 4300;

// Module constants: a negative BigInt literal in a function is a negation at each call.
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Ints written 64 bits at a time (smallLongBytesInto takes up to 2**512). */
const LONG_WORDS_MAX = 2n ** 500n;
const LONG_WORDS_MIN = -LONG_WORDS_MAX;

function intLimitError(limit: number): PyValueError {
  return new PyValueError(
    `Exceeds the limit (${limit} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
  );
}

/** Opcode forms of one value each, as CPython's `_pickle.c` chooses them for a protocol. */
export class PickleEncoder extends ByteWriter {
  readonly protocol: number;
  /** Protocol 1+: binary opcodes (CPython's `self->bin`). */
  readonly bin: boolean;
  private headerCache: Uint8Array | null = null;
  /**
   * Longest int written as decimal text (protocols 0-1), as `sys.get_int_max_str_digits()`;
   * 0 lifts the limit. CPython's default is 4300.
   */
  intMaxStrDigits = DEFAULT_INT_MAX_STR_DIGITS;

  /** Scratch for a long payload's opcode header, made on first use (most dumps never need it). */
  private header(): Uint8Array {
    return (this.headerCache ??= new Uint8Array(9));
  }

  constructor(protocol: number, sink?: PickleSink, buffer?: Uint8Array) {
    super(sink, buffer);
    this.protocol = protocol;
    this.bin = protocol >= 1;
  }

  /** PROTO (protocol 2+) and, from protocol 4, framing for the rest of the pickle. */
  start(): void {
    if (this.protocol >= 2) this.byte2(OP.PROTO, this.protocol);
    if (this.protocol >= 4) this.framing = true;
  }

  /** STOP, then the last frame is committed and framing ends. */
  stop(): void {
    this.byte(OP.STOP);
    this.commitFrame();
    this.framing = false;
  }

  /** An int held in a JS number (integral; any magnitude). */
  int(n: number): void {
    if (n >= -0x80000000 && n <= 0x7fffffff) {
      if (!this.bin) {
        this.byte(OP.INT);
        this.latin1(String(n));
        this.byte(0x0a);
        return;
      }
      if (n >= 0 && n <= 0xff) {
        this.byte2(OP.BININT1, n);
      } else if (n >= 0 && n <= 0xffff) {
        const p = this.reserve(3);
        const buf = this.buf;
        buf[p] = OP.BININT2;
        buf[p + 1] = n & 0xff;
        buf[p + 2] = n >> 8;
        this.pos = p + 3;
      } else {
        const p = this.reserve(5);
        this.buf[p] = OP.BININT;
        this.view.setInt32(p + 1, n, true);
        this.pos = p + 5;
      }
      return;
    }
    if (this.protocol >= 2) {
      if (Number.isSafeInteger(n)) {
        this.safeLong1(n);
        return;
      }
      // Integral doubles past 2**53 (natural model): bytes from the double itself, no bigint.
      const p = this.reserve(2 + INTEGRAL_LONG_ROOM);
      const size = integralLongBytesInto(n, this.buf, p + 2);
      this.buf[p] = OP.LONG1;
      this.buf[p + 1] = size;
      this.pos = p + 2 + size;
      return;
    }
    this.bigint(BigInt(n));
  }

  /** LONG1 of a safe integer outside the int32 range. */
  private safeLong1(n: number): void {
    const p = this.reserve(10);
    const size = safeLongBytesInto(n, this.buf, p + 2);
    this.buf[p] = OP.LONG1;
    this.buf[p + 1] = size;
    this.pos = p + 2 + size;
  }

  /** An int held in a bigint. */
  bigint(n: bigint): void {
    // Compares with constants and setBigInt64 allocate nothing; Number(n) outside the Smi range
    // and BigInt arithmetic allocate per int (the heap churn of a big list of ints).
    if (n >= INT32_MIN && n <= INT32_MAX) {
      this.int(Number(n));
      return;
    }
    if (this.protocol >= 2) {
      if (n >= INT64_MIN && n <= INT64_MAX) {
        const p = this.reserve(10);
        const buf = this.buf;
        this.view.setBigInt64(p + 2, n, true);
        // Trim redundant sign bytes: a top byte of all sign bits whose next byte agrees.
        const neg = n < 0n;
        const fill = neg ? 0xff : 0;
        const q = p + 2;
        let size = 8;
        while (size > 1 && buf[q + size - 1] === fill && ((buf[q + size - 2]! & 0x80) !== 0) === neg) size--;
        buf[p] = OP.LONG1;
        buf[p + 1] = size;
        this.pos = p + 2 + size;
        return;
      }
      if (n > LONG_WORDS_MIN && n < LONG_WORDS_MAX) {
        // Under 2**512: 64 bits at a time (the hex text costs more for these).
        const p = this.reserve(2 + 65);
        const size = smallLongBytesInto(n, this.view, this.buf, p + 2);
        if (size >= 0) {
          this.buf[p] = OP.LONG1;
          this.buf[p + 1] = size;
          this.pos = p + 2 + size;
          return;
        }
      }
      // Payload written after room for LONG4's header, moved down when LONG1's is enough.
      const hex = longHex(n);
      const p = this.reserve(5 + longHexRoom(hex));
      const size = longHexInto(hex, n < 0n, this.buf, p + 5);
      if (size < 256) {
        this.buf[p] = OP.LONG1;
        this.buf[p + 1] = size;
        this.buf.copyWithin(p + 2, p + 5, p + 5 + size);
        this.pos = p + 2 + size;
      } else {
        this.buf[p] = OP.LONG4;
        this.view.setInt32(p + 1, size, true);
        this.pos = p + 5 + size;
      }
      return;
    }
    // Protocols 0 and 1: the decimal repr with Python 2's trailing L.
    this.byte(OP.LONG);
    this.latin1(this.decimal(n));
    this.byte2(0x4c, 0x0a);
  }

  /**
   * `repr(n)`, refused past `intMaxStrDigits` digits as CPython 3.11 does (its decimal
   * conversion is quadratic; a size past the limit is rejected before converting).
   * @throws PyValueError "Exceeds the limit (4300 digits) for integer string conversion..."
   */
  private decimal(n: bigint): string {
    const limit = this.intMaxStrDigits;
    if (limit > 0) {
      // 2**(bits - 1) has at least (bits - 1) * log10(2) + 1 digits.
      const bits = (n < 0n ? -n : n).toString(16).length * 4 - 3;
      if ((bits - 1) * Math.LOG10E * Math.LN2 >= limit + 1) throw intLimitError(limit);
      const text = n.toString();
      if (text.length - (n < 0n ? 1 : 0) > limit) throw intLimitError(limit);
      return text;
    }
    return n.toString();
  }

  float(x: number): void {
    if (this.bin) {
      const p = this.reserve(9);
      this.buf[p] = OP.BINFLOAT;
      this.view.setFloat64(p + 1, x, false);
      this.pos = p + 9;
    } else {
      this.byte(OP.FLOAT);
      this.latin1(floatRepr(x));
      this.byte(0x0a);
    }
  }

  /**
   * BINFLOATs for the numbers of `v[i..end)` (a list batch; `v[i]` is a number), up to the first
   * non-number; returns where it stopped. One `reserve` per run of floats instead of one per
   * float, and each frame closed before the same float as `opcodeBoundary` before every float
   * would close it (the first at which the frame holds 64 KiB), so the bytes are CPython's.
   */
  binFloats(v: readonly unknown[], i: number, end: number): number {
    while (i < end) {
      this.opcodeBoundary();
      let k = end - i;
      if (this.framing) {
        const used = this.frameStart < 0 ? 0 : this.pos - this.frameStart - FRAME_HEADER_SIZE;
        const fit = Math.ceil((FRAME_SIZE_TARGET - used) / 9);
        if (fit < k) k = fit;
      }
      let p = this.reserve(9 * k);
      const buf = this.buf;
      const view = this.view;
      const stop = i + k;
      while (i < stop) {
        const x = v[i];
        if (typeof x !== "number") {
          this.pos = p;
          return i;
        }
        buf[p] = OP.BINFLOAT;
        view.setFloat64(p + 1, x, false);
        p += 9;
        i++;
      }
      this.pos = p;
    }
    return i;
  }

  bool(b: boolean): void {
    if (this.protocol >= 2) this.byte(b ? OP.NEWTRUE : OP.NEWFALSE);
    else this.latin1(b ? "I01\n" : "I00\n");
  }

  /** A str: SHORT_BINUNICODE/BINUNICODE/BINUNICODE8 (UTF-8, surrogatepass) or protocol 0's UNICODE. */
  str(s: string): void {
    const n = s.length;
    if (!this.bin) {
      const len = rawUnicodeEscapeLength(s);
      const p = this.reserve(len + 2);
      this.buf[p] = OP.UNICODE;
      const end = rawUnicodeEscapeInto(s, this.buf, p + 1);
      this.buf[end] = 0x0a;
      this.pos = end + 1;
      return;
    }
    // Short strings: encode in place after a provisional header, fix the header afterwards.
    if (n < FRAME_SIZE_TARGET) {
      const short = this.protocol >= 4;
      if (short && n <= 0xff) {
        const p = this.reserve(2 + n * 3);
        const buf = this.buf;
        let q = p + 2;
        // ASCII fast path: one pass, bail out at the first non-ASCII unit.
        let i = 0;
        for (; i < n; i++) {
          const c = s.charCodeAt(i);
          if (c >= 0x80) break;
          buf[q++] = c;
        }
        let end = i === n ? q : encodeUtf8Into(s, buf, q, i);
        const size = end - p - 2;
        if (size <= 0xff) {
          buf[p] = OP.SHORT_BINUNICODE;
          buf[p + 1] = size;
          this.pos = end;
          return;
        }
        // Over 255 bytes after all: shift right by 3 for a 4-byte length.
        buf.copyWithin(p + 5, p + 2, end);
        end += 3;
        buf[p] = OP.BINUNICODE;
        this.view.setUint32(p + 1, size, true);
        this.pos = end;
        return;
      }
      const p = this.reserve(5 + n * 3);
      let end: number;
      if (n >= ENCODE_INTO_MIN && isWellFormed?.call(s)) {
        end = p + 5 + textEncoder.encodeInto(s, this.buf.subarray(p + 5)).written;
      } else {
        end = encodeUtf8Into(s, this.buf, p + 5);
      }
      const size = end - p - 5;
      if (size < FRAME_SIZE_TARGET) {
        if (short && size <= 0xff) {
          this.buf[p] = OP.SHORT_BINUNICODE;
          this.buf[p + 1] = size;
          this.buf.copyWithin(p + 2, p + 5, end);
          this.pos = end - 3;
          return;
        }
        this.buf[p] = OP.BINUNICODE;
        this.view.setUint32(p + 1, size, true);
        this.pos = end;
        return;
      }
      // UTF-8 of 64 KiB or more goes outside frames: take it back out of the buffer.
      this.sized(OP.SHORT_BINUNICODE, OP.BINUNICODE, OP.BINUNICODE8, this.buf.slice(p + 5, end), "a string");
      return;
    }
    const size = utf8Length(s);
    const data = new Uint8Array(size);
    if (isWellFormed?.call(s)) textEncoder.encodeInto(s, data);
    else encodeUtf8Into(s, data, 0);
    this.sized(OP.SHORT_BINUNICODE, OP.BINUNICODE, OP.BINUNICODE8, data, "a string");
  }

  /**
   * The str whose code points are the bytes of `data` (CPython's `data.decode("latin-1")`, which
   * protocols 0-2 write for a bytes object), in a binary protocol: its UTF-8 written straight from
   * the bytes, with no JS string built and no second encoding pass over one.
   */
  latin1Str(data: Uint8Array): void {
    const n = data.length;
    if (this.protocol < 4 && n <= 0x3fffffff) {
      // No frames: written in one pass after room for the longest UTF-8 (2 bytes a byte), the
      // BINUNICODE length filled in afterwards (under 2 GiB of room; past that, sized exactly).
      const p = this.reserve(5 + 2 * n);
      const end = latin1Utf8Into(data, this.buf, p + 5);
      this.buf[p] = OP.BINUNICODE;
      this.view.setUint32(p + 1, end - p - 5, true);
      this.pos = end;
      return;
    }
    let size = n;
    for (let i = 0; i < n; i++) size += data[i]! >> 7;
    const out = new Uint8Array(size);
    latin1Utf8Into(data, out, 0);
    this.sized(OP.SHORT_BINUNICODE, OP.BINUNICODE, OP.BINUNICODE8, out, "a string");
  }

  /** bytes (protocol 3+): SHORT_BINBYTES/BINBYTES/BINBYTES8. */
  bytesObject(data: Uint8Array): void {
    this.sized(OP.SHORT_BINBYTES, OP.BINBYTES, OP.BINBYTES8, data, "a bytes object");
  }

  /** bytearray (protocol 5): BYTEARRAY8. */
  bytearray8(data: Uint8Array): void {
    const h = this.header();
    h[0] = OP.BYTEARRAY8;
    this.writeSize64(data.length);
    this.headerAndPayload(h, 9, data);
  }

  private sized(op1: number, op4: number, op8: number, data: Uint8Array, what: string): void {
    const size = data.length;
    const h = this.header();
    if (size <= 0xff && (op1 !== OP.SHORT_BINUNICODE || this.protocol >= 4)) {
      h[0] = op1;
      h[1] = size;
      this.headerAndPayload(h, 2, data);
    } else if (size <= 0xffffffff) {
      h[0] = op4;
      h[1] = size & 0xff;
      h[2] = (size >>> 8) & 0xff;
      h[3] = (size >>> 16) & 0xff;
      h[4] = size >>> 24;
      this.headerAndPayload(h, 5, data);
    } else if (this.protocol >= 4) {
      h[0] = op8;
      this.writeSize64(size);
      this.headerAndPayload(h, 9, data);
    } else {
      throw new PicklingError(`cannot serialize ${what} larger than 4 GiB`);
    }
  }

  private writeSize64(size: number): void {
    const h = this.header();
    let lo = size % 0x100000000;
    let hi = Math.floor(size / 0x100000000);
    for (let i = 1; i < 5; i++) {
      h[i] = lo & 0xff;
      lo = lo >>> 8;
    }
    for (let i = 5; i < 9; i++) {
      h[i] = hi & 0xff;
      hi = hi >>> 8;
    }
  }

  /** Stores the top of the stack as memo entry `idx` (PUT/BINPUT/LONG_BINPUT/MEMOIZE). */
  put(idx: number): void {
    if (this.protocol >= 4) this.byte(OP.MEMOIZE);
    else this.memoOp(OP.PUT, OP.BINPUT, OP.LONG_BINPUT, idx);
  }

  /** Pushes memo entry `idx` (GET/BINGET/LONG_BINGET). */
  get(idx: number): void {
    this.memoOp(OP.GET, OP.BINGET, OP.LONG_BINGET, idx);
  }

  private memoOp(text: number, op1: number, op4: number, idx: number): void {
    if (!this.bin) {
      this.byte(text);
      this.latin1(String(idx));
      this.byte(0x0a);
    } else if (idx < 256) {
      this.byte2(op1, idx);
    } else {
      const p = this.reserve(5);
      this.buf[p] = op4;
      this.view.setUint32(p + 1, idx, true);
      this.pos = p + 5;
    }
  }

  /**
   * GLOBAL `module\nname\n` (protocols 0-3): UTF-8 at protocol 3, ASCII below (Python 2 reads it).
   * @throws PicklingError when a name cannot be written at this protocol.
   */
  global(module: string, name: string): void {
    const p3 = this.protocol === 3;
    const enc = (s: string, what: string): Uint8Array => {
      if (!p3 && !/^[\x00-\x7f]*$/.test(s)) {
        throw new PicklingError(
          `can't pickle ${what} identifier '${s}' using pickle protocol ${this.protocol}`,
        );
      }
      const out = new Uint8Array(utf8Length(s));
      encodeUtf8Into(s, out, 0);
      return out;
    };
    const m = enc(module, "module");
    const n = enc(name, "global");
    this.byte(OP.GLOBAL);
    this.bytes(m);
    this.byte(0x0a);
    this.bytes(n);
    this.byte(0x0a);
  }

  /** EXT1/EXT2/EXT4 for an extension-registry code (1..0x7fffffff). */
  ext(code: number): void {
    if (code <= 0xff) {
      this.byte2(OP.EXT1, code);
    } else if (code <= 0xffff) {
      const p = this.reserve(3);
      this.buf[p] = OP.EXT2;
      this.buf[p + 1] = code & 0xff;
      this.buf[p + 2] = code >> 8;
      this.pos = p + 3;
    } else {
      const p = this.reserve(5);
      this.buf[p] = OP.EXT4;
      this.view.setUint32(p + 1, code, true);
      this.pos = p + 5;
    }
  }

  /**
   * Protocol 0's PERSID with the id's text.
   * @throws PicklingError unless the text is ASCII (CPython's rule).
   */
  persid(text: string): void {
    if (!/^[\x00-\x7f]*$/.test(text)) {
      throw new PicklingError("persistent IDs in protocol 0 must be ASCII strings");
    }
    this.byte(OP.PERSID);
    this.latin1(text);
    this.byte(0x0a);
  }
}
