/**
 * The opcode walker behind genops, dis and optimize: reads one opcode and its embedded
 * argument at a time, exactly as CPython's `pickletools._genops` and its argument readers do,
 * including their error messages.
 */
import { PyByteArray } from "@x/pyobject";
import type { OpcodeInfo } from "./descriptors.js";
import { PickletoolsError } from "./errors.js";
import { OPCODES } from "./opcode-table.js";
import { bytesRepr } from "./py-repr.js";
import {
  asciiDecode,
  type DecodedStr,
  escapeDecode,
  latin1Decode,
  parsePyFloat,
  parsePyInt,
  rawUnicodeEscapeDecode,
  utf8SurrogatepassDecode,
} from "./py-text.js";

/**
 * An opcode's decoded argument: ints are `number` when safe (else `bigint`), the INT
 * arguments `00`/`01` are booleans, str is `string`, bytes is `Uint8Array`, bytearray is
 * `PyByteArray`; `null` when the opcode has no argument.
 */
export type PickleArg = number | bigint | boolean | string | Uint8Array | PyByteArray | null;

/** Opcode descriptors by opcode byte. */
export const OPCODE_BY_BYTE: readonly (OpcodeInfo | undefined)[] = (() => {
  const table: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
  for (const op of OPCODES) table[op.code.charCodeAt(0)] = op;
  return table;
})();

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_SSIZE = 2n ** 63n - 1n;

// A plain Uint8Array copy (slice() on a Node Buffer would return a Buffer sharing memory).
function copyOut(data: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(data.subarray(start, end));
}

function natural(n: bigint): number | bigint {
  return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n;
}

// int.from_bytes(data, "little", signed=True), through hex so big LONG4s stay linear.
function decodeLong(data: Uint8Array, start: number, end: number): bigint {
  if (end === start) return 0n;
  if (end - start <= 6) {
    let v = 0;
    for (let i = end - 1; i >= start; i--) v = v * 256 + data[i]!;
    const bits = (end - start) * 8;
    return BigInt(data[end - 1]! & 0x80 ? v - 2 ** bits : v);
  }
  let hex = "0x";
  for (let i = end - 1; i >= start; i--) hex += (data[i]! < 16 ? "0" : "") + data[i]!.toString(16);
  const v = BigInt(hex);
  return data[end - 1]! & 0x80 ? v - (1n << BigInt((end - start) * 8)) : v;
}

/**
 * Validates a start offset option.
 * @throws {PickletoolsError} TypeError-typed for an offset that is not an integer in [0, length].
 */
export function checkStart(start: number | undefined, length: number): number {
  if (start === undefined) return 0;
  if (!Number.isInteger(start) || start < 0 || start > length) {
    throw new PickletoolsError(`start must be an integer offset in [0, ${length}], got ${start}`, {
      pyType: "TypeError",
    });
  }
  return start;
}

/** Walks a pickle one opcode at a time; the fields describe the opcode last read by `next()`. */
export class OpcodeScanner {
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private p = 0;
  private stopped = false;
  /** The opcode last read. */
  op: OpcodeInfo = OPCODES[0]!;
  /** Its decoded argument, or null. */
  arg: PickleArg = null;
  /** Offset of the opcode byte. */
  pos = 0;
  /** Offset just past its argument. */
  endPos = 0;
  /** Python's code points of a str argument, when JS would join two of its surrogates. */
  codePoints: readonly number[] | undefined = undefined;

  constructor(data: Uint8Array, start = 0) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.p = start;
  }

  /**
   * Reads the next opcode; false once STOP has been read.
   * @throws {PickletoolsError} on an unknown opcode, a truncated pickle or a bad argument.
   */
  next(): boolean {
    if (this.stopped) return false;
    const pos = this.p;
    if (pos >= this.data.length)
      throw new PickletoolsError("pickle exhausted before seeing STOP", { offset: pos });
    const code = this.data[pos]!;
    const op = OPCODE_BY_BYTE[code];
    if (op === undefined) {
      throw new PickletoolsError(`at position ${pos}, opcode ${bytesRepr(this.data, pos, pos + 1)} unknown`, {
        offset: pos,
        opcode: code,
      });
    }
    this.p = pos + 1;
    this.codePoints = undefined;
    try {
      this.arg = op.arg === null ? null : this.readArg(op.arg.name);
    } catch (e) {
      if (PickletoolsError.isInstance(e)) {
        throw new PickletoolsError(e.message, { pyType: e.pyType, offset: pos, opcode: code });
      }
      throw e;
    }
    this.op = op;
    this.pos = pos;
    this.endPos = this.p;
    if (code === 0x2e) this.stopped = true;
    return true;
  }

  private remaining(): number {
    return this.data.length - this.p;
  }

  private fixed(n: number, what: string): number {
    if (this.remaining() < n) {
      this.p = this.data.length;
      throw new PickletoolsError(`not enough data in stream to read ${what}`);
    }
    const at = this.p;
    this.p += n;
    return at;
  }

  private uint1(): number {
    return this.data[this.fixed(1, "uint1")]!;
  }

  private int4(): number {
    return this.view.getInt32(this.fixed(4, "int4"), true);
  }

  private uint4(): number {
    return this.view.getUint32(this.fixed(4, "uint4"), true);
  }

  private uint8(): bigint {
    return this.view.getBigUint64(this.fixed(8, "uint8"), true);
  }

  /** Reads n counted bytes; returns their start offset. */
  private counted(n: number | bigint, what: string): number {
    const left = this.remaining();
    if (n > left) {
      this.p = this.data.length;
      throw new PickletoolsError(`expected ${n} bytes in a ${what}, but only ${left} remain`);
    }
    const at = this.p;
    this.p += Number(n);
    return at;
  }

  private counted8(what: string): number {
    const n = this.uint8();
    if (n > MAX_SSIZE) throw new PickletoolsError(`${what} byte count > sys.maxsize: ${n}`);
    return this.counted(n, what);
  }

  /** readline() without the newline; returns its [start, end). */
  private line(what: string): [number, number] {
    const at = this.p;
    const nl = this.data.indexOf(0x0a, at);
    if (nl < 0) {
      this.p = this.data.length;
      throw new PickletoolsError(`no newline found when trying to read ${what}`);
    }
    this.p = nl + 1;
    return [at, nl];
  }

  private str(d: DecodedStr): string {
    this.codePoints = d.codePoints;
    return d.value;
  }

  // read_stringnl(f, decode=True, stripquotes=...)
  private stringnl(stripquotes: boolean): string {
    let [a, z] = this.line("stringnl");
    const data = this.data;
    if (stripquotes) {
      const first = a < z ? data[a]! : -1;
      if (first === 0x22 || first === 0x27) {
        if (data[z - 1] !== first) {
          throw new PickletoolsError(
            `strinq quote ${bytesRepr(data, a, a + 1)} not found at both ends of ${bytesRepr(data, a, z)}`,
          );
        }
        // A lone quote is both ends: Python's data[1:-1] is then empty.
        a += 1;
        z = Math.max(a, z - 1);
      } else {
        throw new PickletoolsError(`no string quotes around ${bytesRepr(data, a, z)}`);
      }
    }
    const raw = escapeDecode(data, a, z);
    return asciiDecode(raw, 0, raw.length);
  }

  private readArg(name: string): PickleArg {
    const data = this.data;
    switch (name) {
      case "uint1":
        return this.uint1();
      case "uint2":
        return this.view.getUint16(this.fixed(2, "uint2"), true);
      case "int4":
        return this.int4();
      case "uint4":
        return this.uint4();
      case "uint8":
        return natural(this.uint8());
      case "float8":
        return this.view.getFloat64(this.fixed(8, "float8"), false);
      case "decimalnl_short": {
        const [a, z] = this.line("stringnl");
        if (z - a === 2 && data[a] === 0x30 && (data[a + 1] === 0x30 || data[a + 1] === 0x31)) {
          return data[a + 1] === 0x31;
        }
        return natural(parsePyInt(data, a, z));
      }
      case "decimalnl_long": {
        const [a, z] = this.line("stringnl");
        return natural(parsePyInt(data, a, z > a && data[z - 1] === 0x4c ? z - 1 : z));
      }
      case "floatnl": {
        const [a, z] = this.line("stringnl");
        return parsePyFloat(data, a, z);
      }
      case "long1": {
        const n = this.uint1();
        if (n > this.remaining()) {
          this.p = data.length;
          throw new PickletoolsError("not enough data in stream to read long1");
        }
        this.p += n;
        return natural(decodeLong(data, this.p - n, this.p));
      }
      case "long4": {
        const n = this.int4();
        if (n < 0) throw new PickletoolsError(`long4 byte count < 0: ${n}`);
        if (n > this.remaining()) {
          this.p = data.length;
          throw new PickletoolsError("not enough data in stream to read long4");
        }
        this.p += n;
        return natural(decodeLong(data, this.p - n, this.p));
      }
      case "stringnl":
        return this.stringnl(true);
      case "stringnl_noescape":
        return this.stringnl(false);
      case "stringnl_noescape_pair": {
        const first = this.stringnl(false);
        return `${first} ${this.stringnl(false)}`;
      }
      case "string1": {
        const n = this.uint1();
        const at = this.counted(n, "string1");
        return latin1Decode(data, at, at + n);
      }
      case "string4": {
        const n = this.int4();
        if (n < 0) throw new PickletoolsError(`string4 byte count < 0: ${n}`);
        const at = this.counted(n, "string4");
        return latin1Decode(data, at, at + n);
      }
      case "bytes1": {
        const n = this.uint1();
        const at = this.counted(n, "bytes1");
        return copyOut(data, at, at + n);
      }
      case "bytes4": {
        const n = this.uint4();
        const at = this.counted(n, "bytes4");
        return copyOut(data, at, at + n);
      }
      case "bytes8": {
        const at = this.counted8("bytes8");
        return copyOut(data, at, this.p);
      }
      case "bytearray8": {
        const at = this.counted8("bytearray8");
        return new PyByteArray(copyOut(data, at, this.p));
      }
      case "unicodestringnl": {
        const [a, z] = this.line("unicodestringnl");
        return this.str(rawUnicodeEscapeDecode(data, a, z));
      }
      case "unicodestring1": {
        const n = this.uint1();
        const at = this.counted(n, "unicodestring1");
        return this.str(utf8SurrogatepassDecode(data, at, at + n));
      }
      case "unicodestring4": {
        const n = this.uint4();
        const at = this.counted(n, "unicodestring4");
        return this.str(utf8SurrogatepassDecode(data, at, at + n));
      }
      case "unicodestring8": {
        const at = this.counted8("unicodestring8");
        return this.str(utf8SurrogatepassDecode(data, at, this.p));
      }
      default:
        throw new PickletoolsError(`no reader for argument ${name}`);
    }
  }
}
