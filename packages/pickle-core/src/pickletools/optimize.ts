/**
 * `optimize`: CPython's `pickletools.optimize`. Drops PUTs no GET uses, renumbers the memo
 * densely, drops FRAMEs and re-frames protocol 4+ pickles the way `pickle._Pickler`'s framer
 * does, so the bytes equal CPython's.
 */
import { asBytes, type BytesLike } from "@x/pyobject";
import { PickletoolsError } from "./errors.js";
import { OpcodeScanner, type PickleArg } from "./scanner.js";

/** `pickle._Framer._FRAME_SIZE_TARGET`. */
const FRAME_SIZE_TARGET = 64 * 1024;
/** `pickle._Framer._FRAME_SIZE_MIN`: smaller frames are written without a FRAME header. */
const FRAME_SIZE_MIN = 4;

enum Kind {
  Put = 0,
  Get = 1,
  Copy = 2,
}

/** A growable byte buffer. */
class ByteSink {
  buf = new Uint8Array(256);
  length = 0;
  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  write(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }
  /** Appends src[start:end] without a subarray view per call (most opcodes are a few bytes). */
  copy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    if (n > 32) this.buf.set(src.subarray(start, end), this.length);
    else for (let i = 0; i < n; i++) this.buf[this.length + i] = src[start + i]!;
    this.length += n;
  }
  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }
  ascii(s: string): void {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i);
  }
  uint32le(v: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.length, v, true);
    this.length += 4;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

// Python compares memo ids as ints (True == 1). Safe ints are numbers (the scanner's natural
// view), so only ids beyond 2**53 are keyed by their decimal text.
function memoKey(arg: PickleArg): number | string {
  if (typeof arg === "number") return arg;
  if (typeof arg === "boolean") return arg ? 1 : 0;
  return String(arg);
}

/**
 * Returns the pickle at the start of `pickle` (through its first STOP) without the PUT
 * opcodes no GET refers to, exactly as CPython's `pickletools.optimize` writes it.
 * @throws {PickletoolsError} for a pickle `genops` cannot walk, or one whose PROTO is above 5
 *   (CPython's pickler refuses it: "pickle protocol must be <= 5"); PyTypeError for input that
 *   is not bytes-like.
 */
export function optimize(input: BytesLike): Uint8Array {
  const pickle = asBytes(input);
  const kinds: Kind[] = [];
  // Put/Get: the memo key; Copy: the opcode's start offset.
  const args: (string | number)[] = [];
  const ends: number[] = [];
  const oldids = new Set<number | string>();
  // GET ids -> the new id of their latest PUT (undefined until one is seen).
  const newids = new Map<number | string, number | undefined>();
  let proto = 0;
  let protoheader: Uint8Array = new Uint8Array(0);
  const scanner = new OpcodeScanner(pickle);
  while (scanner.next()) {
    const { op, arg, pos, endPos } = scanner;
    const name = op.name;
    if (name === "PUT" || name === "BINPUT" || name === "LONG_BINPUT") {
      const key = memoKey(arg);
      oldids.add(key);
      kinds.push(Kind.Put);
      args.push(key);
      ends.push(0);
    } else if (name === "MEMOIZE") {
      const key = oldids.size;
      oldids.add(key);
      kinds.push(Kind.Put);
      args.push(key);
      ends.push(0);
    } else if (name === "FRAME") {
      // dropped: the output is re-framed
    } else if (name === "GET" || name === "BINGET" || name === "LONG_BINGET") {
      if (op.proto > proto) proto = op.proto;
      const key = memoKey(arg);
      newids.set(key, undefined);
      kinds.push(Kind.Get);
      args.push(key);
      ends.push(0);
    } else if (name === "PROTO") {
      if ((arg as number) > proto) proto = arg as number;
      if (pos === 0) protoheader = pickle.subarray(pos, endPos);
      else {
        kinds.push(Kind.Copy);
        args.push(pos);
        ends.push(endPos);
      }
    } else {
      kinds.push(Kind.Copy);
      args.push(pos);
      ends.push(endPos);
    }
  }
  if (proto > 5) throw new PickletoolsError("pickle protocol must be <= 5");

  const file = new ByteSink();
  file.write(protoheader);
  const framing = proto >= 4;
  const bin = proto >= 1;
  let frame = new ByteSink();

  const commitFrame = (force: boolean): void => {
    if (!framing) return;
    if (frame.length >= FRAME_SIZE_TARGET || force) {
      if (frame.length >= FRAME_SIZE_MIN) {
        file.byte(0x95);
        file.uint32le(frame.length);
        file.uint32le(0);
      }
      file.write(frame.bytes());
      frame = new ByteSink();
    }
  };
  const sink = (): ByteSink => (framing ? frame : file);

  // pickle._Pickler.put / get
  const writeMemo = (get: boolean, idx: number | undefined): void => {
    const w = sink();
    if (bin) {
      if (idx === undefined) {
        throw new PickletoolsError("'<' not supported between instances of 'NoneType' and 'int'", {
          pyType: "TypeError",
        });
      }
      if (idx < 256) {
        w.byte(get ? 0x68 : 0x71);
        w.byte(idx);
      } else {
        w.byte(get ? 0x6a : 0x72);
        w.uint32le(idx);
      }
    } else {
      w.ascii(`${get ? "g" : "p"}${idx === undefined ? "None" : idx}\n`);
    }
  };

  let idx = 0;
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!;
    if (kind === Kind.Put) {
      const key = args[i]!;
      if (!newids.has(key)) continue;
      if (framing) commitFrame(false);
      if (framing) frame.byte(0x94);
      else writeMemo(false, idx);
      newids.set(key, idx);
      idx++;
    } else if (kind === Kind.Get) {
      // The argument is computed before the frame commit, as in CPython.
      const target = newids.get(args[i]!);
      if (bin && target === undefined) writeMemo(true, target);
      commitFrame(false);
      writeMemo(true, target);
    } else {
      const start = args[i] as number;
      const end = ends[i]!;
      const frameless = end - start > FRAME_SIZE_TARGET;
      commitFrame(frameless);
      if (frameless && framing) file.copy(pickle, start, end);
      else sink().copy(pickle, start, end);
    }
  }
  // end_framing
  if (framing && frame.length > 0) commitFrame(true);
  return file.bytes().slice();
}
