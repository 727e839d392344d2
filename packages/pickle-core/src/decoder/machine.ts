/**
 * The unpickling machine: one `switch` over opcode bytes with an explicit value stack, mark
 * stack and memo, no recursion, and all state in instance fields so decoding can stop when
 * the input runs out mid-opcode and resume when more bytes are fed.
 */
import {
  isPyByteArray,
  isPyDict,
  isPyInstance,
  isPySet,
  isPyTuple,
  PyByteArray,
  PyDict,
  PyFrozenSet,
  PySet,
  PyTuple,
  pyTypeName,
} from "@x/pyobject";
import { PickleEOFError, PickleError, UnpicklingError } from "../errors.js";
import { HIGHEST_PROTOCOL, OP_NAMES } from "../opcodes.js";
import { type DecoderHooks, inertHooks } from "./hooks.js";
import { setNaturalKey } from "./natural-keys.js";
import { replaceForwarded, resolveForward } from "./replace-references.js";
import {
  CodecError,
  type Decode8Bit,
  decodeEscapes,
  decodeLatin1,
  decodeRawUnicodeEscape,
  decodeUtf8,
  makeDecode8Bit,
} from "./text-codecs.js";
import { naturalInt, parseDecimalText, parseFloatText, parseIntText, parseLongText } from "./text-numbers.js";

/**
 * Returned by {@link PickleDecoder.run} when the fed bytes end inside an opcode: feed more
 * and call `run()` again. A preallocated frozen object, compared by identity.
 */
export const NEED_MORE: unique symbol = Symbol.for("@x/pickle-core.need-more");
export type NeedMore = typeof NEED_MORE;

/** Options of the opcode machine (the pickle-io Unpickler resolves its own into these). */
export interface DecoderOptions {
  /**
   * `"natural"` (default): ints as numbers when safe, tuples as arrays, str-keyed dicts as
   * plain objects (else Map), sets as Set, bytearray as Uint8Array. `"faithful"`: the
   * `@x/pyobject` model (bigint, PyTuple, PyDict, PySet, PyFrozenSet, PyByteArray).
   *
   * Natural dicts start as plain objects and become a Map at their first non-str key, and a
   * PyDict when a Map cannot hold their keys as Python does (two NaN keys, a -0.0 key, many
   * big int keys sharing their low 64 bits: see natural-keys.ts). Every reference to the old
   * form (stack, memo, and, if the dict was fetched by GET/DUP before, every container built
   * since) is redirected, so shared and recursive dicts keep their identity. Map keys follow
   * Python's equality for numbers (1, 1.0 and True are one key); tuple keys become arrays
   * (identity keys).
   */
  readonly model?: "natural" | "faithful";
  /** Codec for Python 2 `str` (STRING/BINSTRING/SHORT_BINSTRING); default `"ASCII"`; `"bytes"` keeps bytes. */
  readonly encoding?: string;
  /** Error handler for `encoding`; default `"strict"`. */
  readonly errors?: string;
  /** Memo ids above the dense memo's length plus this go to a sparse map. Default 65536. */
  readonly denseMemoSlack?: number;
  /**
   * CPython 3.11's `sys.get_int_max_str_digits()`: INT/LONG text with more decimal digits
   * raises ValueError (converting it costs quadratic time). Default 4300; 0 lifts the limit.
   */
  readonly intMaxStrDigits?: number;
}

const PROTO_OBJECT = Object.prototype;
/**
 * Byte size of the opcodes MARK's list fast path takes (0: not one of them; 255: LONG1,
 * sized by its length byte): numbers and constants, never memoized, no hooks.
 */
const SCALAR_SIZE: Uint8Array = (() => {
  const t = new Uint8Array(256);
  t[0x47] = 9; // BINFLOAT
  t[0x4b] = 2; // BININT1
  t[0x4d] = 3; // BININT2
  t[0x4a] = 5; // BININT
  t[0x8a] = 255; // LONG1
  t[0x4e] = 1; // NONE
  t[0x88] = 1; // NEWTRUE
  t[0x89] = 1; // NEWFALSE
  return t;
})();
/**
 * The faithful model's ints 0-255 (BININT1), made once: bigints are immutable values, so
 * sharing them is invisible, and a BigInt allocation per small int doubled GC time on ints.
 */
const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));
/**
 * APPENDS of at most this many items into a fresh empty list builds it with one exact-size
 * `slice` (larger batches push: a list of floats then keeps V8's unboxed double elements).
 */
const SMALL_LIST = 32;
/**
 * Fresh dicts of at most this many keys are built from a template of their shape (records,
 * rows); a larger one is rarely repeated, and recording its keys would cost more than it saves.
 */
const SHAPE_KEYS = 16;
/** 256 ** i for i in 0..6 (exact doubles): `2 ** x` with a variable exponent is a Math.pow call. */
const POW256 = [1, 2 ** 8, 2 ** 16, 2 ** 24, 2 ** 32, 2 ** 40, 2 ** 48];
/**
 * The largest list of numbers made at its final size in one allocation (V8 keeps arrays up to
 * 32M elements in fast mode when their length is set; beyond, a dictionary).
 */
const MAX_EXACT = 1 << 24;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const TWO32 = 4294967296;

/** Whether a plain object has no properties. */
function isEmpty(o: Record<string, unknown>): boolean {
  for (const _ in o) return false;
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === PROTO_OBJECT;
}

/** A natural dict that may still change form: a plain object or a Map. */
function isNaturalDict(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === PROTO_OBJECT || p === Map.prototype;
}

/** Sets a natural dict's str key; "__proto__" is defined, never assigned, so no prototype changes. */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") {
    Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  } else o[k] = v;
}

/** Thrown (internally) by the readers of a line when no newline is in the fed bytes yet. */
const LINE_MISSING = -1;

/**
 * The resumable unpickling machine.
 *
 * Usage, whole input: `const d = new PickleDecoder(); d.feed(bytes); d.endInput(); d.run()`.
 * Streaming: `feed(chunk)`, then `run()`; while it returns {@link NEED_MORE}, feed at least
 * `bytesNeeded` more bytes (or call `endInput()` when the source is exhausted) and call
 * `run()` again: it resumes at the opcode that was cut. After STOP, `run()` returns the
 * value and `consumed` is the absolute offset just past the STOP byte; bytes fed beyond it
 * stay buffered (`remaining()`), and the next `run()` decodes the next pickle with a fresh
 * stack and memo.
 */
export class PickleDecoder {
  /** The protocol named by the last PROTO opcode (0 before any), as `Unpickler.proto`. */
  proto = 0;
  /** Minimum number of further bytes needed to make progress, after `run()` returned NEED_MORE. */
  bytesNeeded = 0;
  /** True when the cut opcode reads a newline-terminated argument (its length is unknown). */
  needsLine = false;

  private buf: Uint8Array = EMPTY;
  /**
   * A DataView over `buf`, for BINFLOAT (big-endian) and 8-byte LONG1 (little-endian), made on
   * first use: allocating one per `loads` costs more than decoding a small pickle.
   */
  private viewCache: DataView | null = null;
  /** Whether `buf` is our own growable buffer (else a caller's chunk, never written). */
  private ownsBuf = false;
  private pos = 0;
  private end = 0;
  /** Absolute offset of `buf[0]` in the whole input. */
  private base = 0;
  private ended = false;
  /** Absolute offset where the current frame ends (0: not in a frame). */
  private frameEnd = 0;
  private opStart = 0;
  private opByte = 0;

  private stack: unknown[] = genericArray();
  private marks: number[] = [];
  private fence = 0;
  private memo: unknown[] = genericArray();
  /**
   * 1 where the dense memo slot holds a natural dict or a list (set by PUT): GET counts
   * `dictGets` from this flag instead of inspecting each fetched value.
   */
  private memoDict: Uint8Array = NO_FLAGS;
  private sparseMemo: Map<number, unknown> | null = null;
  private memoCount = 0;

  // Natural dicts start as plain objects and change form (a Map at their first non-str key,
  // a PyDict when a Map cannot hold the keys as Python does). The references to redirect are
  // found without tracking each one (see replaceDict): `dictGets` counts GET/DUP of dicts and
  // lists and calls of host hooks, `slotStamp[s]` is its value when the dict at stack slot s
  // was created, so a dict none of those can have reached is only in its stack slot and its
  // memo slot. An empty list from EMPTY_LIST is tracked the same way (its `slotMemoId` is -1
  // until PUT), so its first APPEND/APPENDS can put an exact-size array in its place: a push
  // into an empty array allocates 17 slots, and small lists are most lists.
  private dictGets = 0;
  // A list escapes only by a GET of its own memo id (its flag in `memoDict` becomes 2), a DUP
  // or a hook call (`listEscapes`): GETs of other dicts and lists cannot reach a list still on
  // the stack, so a list filled among shared dicts (100,000 GETs) stays fresh.
  private listEscapes = 0;
  // A fresh list's APPENDS batches, gathered while the next batch follows at once (MARK after
  // APPENDS) and copied into one array when anything else happens: pushing item by item into
  // a large array costs ~3x a copy (growth copies, write barriers) and its garbage doubled the
  // peak heap. `pendSlot` is the list's stack slot; a MARK at pendSlot+1 is open meanwhile.
  private pendList: unknown[] | null = null;
  private pendSlot = -1;
  private pendChunks: unknown[][] = [];
  private slotStamp: number[] = [];
  // Memo id of a natural dict by its stack slot (a dict does not move while it is filled);
  // two plain arrays are far cheaper than a Map keyed by object on the hot path.
  private slotDict: unknown[] = [];
  private slotMemoId: number[] = [];
  /** Dicts that changed form after they may have been referenced: old form -> new form. */
  private forward: Map<object, object> | null = null;
  // The key list of the last fresh natural dict filled by one SETITEMS, and a private copy of
  // it: the next fresh dict with the same keys is that copy's clone with its values assigned
  // (one allocation of the final size, no property-adding map transitions).
  private shapeKeys: unknown[] | null = null;
  private shapeTemplate: Record<string, unknown> | null = null;

  private readonly natural: boolean;
  private readonly decode8: Decode8Bit;
  private readonly denseSlack: number;
  private readonly maxDigits: number;

  /**
   * @throws UnpicklingError for an unknown `encoding` or `errors` handler.
   */
  constructor(
    private readonly hooks: DecoderHooks = inertHooks,
    options: DecoderOptions = {},
  ) {
    this.natural = (options.model ?? "natural") === "natural";
    this.denseSlack = options.denseMemoSlack ?? 65536;
    this.maxDigits = options.intMaxStrDigits ?? 4300;
    try {
      this.decode8 = makeDecode8Bit(options.encoding ?? "ASCII", options.errors ?? "strict");
    } catch (e) {
      throw new UnpicklingError((e as Error).message, { cause: e });
    }
  }

  private get view(): DataView {
    const buf = this.buf;
    return (this.viewCache ??= new DataView(buf.buffer, buf.byteOffset, buf.byteLength));
  }

  /** Absolute offset of the next unread byte: after a value, just past its STOP. */
  get consumed(): number {
    return this.base + this.pos;
  }

  /** The fed bytes not yet consumed (a view; copy it before feeding more). */
  remaining(): Uint8Array {
    return this.buf.subarray(this.pos, this.end);
  }

  /**
   * Appends input. The chunk is not copied when nothing is pending, so do not modify it
   * until it has been consumed.
   * @throws UnpicklingError after `endInput()`.
   */
  feed(chunk: Uint8Array): void {
    if (this.ended) throw new UnpicklingError("feed() after endInput()");
    if (chunk.length === 0) return;
    // A Node Buffer (or any Uint8Array subclass) has a `slice` that returns a view: decode from
    // a plain Uint8Array over the same bytes so every value copied out with `slice` is a copy.
    if (chunk.constructor !== Uint8Array)
      chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const pending = this.end - this.pos;
    if (pending === 0) {
      this.base += this.end;
      this.buf = chunk;
      this.viewCache = null;
      this.ownsBuf = false;
      this.pos = 0;
      this.end = chunk.length;
      return;
    }
    const need = pending + chunk.length;
    if (this.ownsBuf && this.end + chunk.length <= this.buf.length) {
      this.buf.set(chunk, this.end);
      this.end += chunk.length;
      return;
    }
    if (this.ownsBuf && need <= this.buf.length && this.pos >= pending) {
      this.buf.copyWithin(0, this.pos, this.end);
    } else {
      const grown = new Uint8Array(Math.max(need, this.ownsBuf ? this.buf.length * 2 : need * 2, 256));
      grown.set(this.buf.subarray(this.pos, this.end));
      this.buf = grown;
      this.viewCache = null;
      this.ownsBuf = true;
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = pending;
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Declares that no more input will come: a cut opcode then raises instead of NEED_MORE. */
  endInput(): void {
    this.ended = true;
  }

  /** Forgets the stack, marks and memo (a new pickle starts at the next opcode). */
  resetState(): void {
    this.resetStack();
    this.memo = genericArray();
    this.memoDict = NO_FLAGS;
    this.sparseMemo = null;
    this.memoCount = 0;
    this.slotDict = [];
    this.slotMemoId = [];
    this.slotStamp = [];
    this.pendList = null;
    this.pendChunks = [];
    this.forward = null;
    this.shapeKeys = null;
    this.shapeTemplate = null;
  }

  /**
   * After STOP: a fresh stack and marks, but the memo stays, as in CPython's Unpickler, whose
   * memo lives across `load()` calls (a Pickler that dumped several objects may GET an
   * object memoized by an earlier one).
   */
  private resetStack(): void {
    this.stack = genericArray();
    this.longDrops = 0;
    this.marks = [];
    this.fence = 0;
    this.frameEnd = 0;
  }

  /** An UnpicklingError at the current opcode; `pyType` is CPython's exception type when not UnpicklingError. */
  private error(message: string, cause?: unknown, pyType?: string): UnpicklingError {
    return new UnpicklingError(
      `${message} (at byte ${this.opStart}, opcode 0x${this.opByte.toString(16).padStart(2, "0")}${
        OP_NAMES[this.opByte] ? ` ${OP_NAMES[this.opByte]}` : ""
      })`,
      pyType === undefined
        ? { offset: this.opStart, opcode: this.opByte, cause }
        : { offset: this.opStart, opcode: this.opByte, cause, pyType },
    );
  }

  private underflow(): UnpicklingError {
    return this.error(this.marks.length > 0 ? "unexpected MARK found" : "unpickling stack underflow");
  }

  /** Long drops from the current pickle's stack so far (see {@link dropTo}). */
  private longDrops = 0;

  /**
   * `stack.length = x` as pops: V8 runs a store to `length` as a builtin call (~50 ns, measured
   * at 4-6% of records, strings and deep), while `pop` is inlined. A store that drops a long
   * batch also shrinks the backing store, which the next batch grows again (shared, 100
   * batches of 1,000: 1.9 MB of garbage, peak heap 3.8x retained, 2.1x with pops); but pops
   * off a stack that never held a long batch trim it step by step (~4 us per 1,000 items): the
   * first long drop of a pickle is a store, the later ones pops.
   */
  private dropTo(x: number): void {
    const stack = this.stack;
    if (stack.length - x > 32 && this.longDrops++ === 0) stack.length = x;
    else while (stack.length > x) stack.pop();
  }

  /** Suspends at the current opcode (nothing was changed) or fails when input has ended. */
  private suspend(start: number, need: number, line: boolean): NeedMore {
    this.pos = start;
    if (this.ended) {
      if (start === this.end) throw new PickleEOFError("Ran out of input", { offset: this.base + start });
      throw this.error("pickle data was truncated");
    }
    this.bytesNeeded = Math.max(need - (this.end - start), this.frameEnd - (this.base + this.end), 1);
    this.needsLine = line;
    return NEED_MORE;
  }

  /** Index of the newline ending a line argument that starts at `from`, or LINE_MISSING. */
  private findLine(from: number): number {
    // Resuming the same cut line: skip what an earlier call already scanned (keeps byte-wise
    // feeding linear).
    const abs = this.base + from;
    const scanFrom = this.lineStart === abs ? Math.max(from, this.lineScanned - this.base) : from;
    const i = this.buf.indexOf(0x0a, scanFrom);
    if (i >= 0 && i < this.end) return i;
    this.lineStart = abs;
    this.lineScanned = this.base + this.end;
    return LINE_MISSING;
  }
  private lineStart = -1;
  private lineScanned = 0;

  /**
   * Decodes until STOP. Returns the value, or {@link NEED_MORE} when the fed input ends inside
   * an opcode (state is kept; feed more and call again).
   * @throws PickleEOFError when the input ended before any opcode of a pickle.
   * @throws UnpicklingError for malformed input, with the byte offset and opcode.
   */
  run(): unknown {
    try {
      return this.loop();
    } catch (e) {
      if (this.inHook) {
        this.inHook = false;
        // A hook's UnpicklingError without a location gets this opcode's; others pass unchanged.
        if (UnpicklingError.isInstance(e) && e.offset === undefined) throw this.error(e.message, e, e.pyType);
        throw e;
      }
      if (PickleError.isInstance(e)) throw e;
      if (e instanceof CodecError) throw this.error(e.message, e, e.pyType);
      if (e instanceof Error) throw this.error(e.message, e);
      throw e;
    }
  }

  /**
   * True while a host hook runs: its errors pass through `run()` unchanged. Set before the
   * call and cleared by {@link exit} (no closure or try block per call on the hot path).
   */
  private inHook = false;

  /** The host hooks, marked as running (see {@link exit}). */
  private enter(): DecoderHooks {
    this.inHook = true;
    this.dictGets++; // a hook may keep what it is given: dicts and lists made so far may escape
    this.listEscapes++;
    if (this.pendList !== null) this.flushPending();
    return this.hooks;
  }

  /** A hook's result (undefined as None); the hook returned, so its errors are no longer its own. */
  private exit<T>(r: T): T {
    this.inHook = false;
    return (r === undefined ? null : r) as T;
  }

  private loop(): unknown {
    const buf = this.buf;
    let view: DataView | null = null;
    const end = this.end;
    const stack = this.stack;
    const natural = this.natural;
    let pos = this.pos;
    // Resuming after APPENDS of the pending list: anything but its next batch flushes it.
    if (this.pendList !== null && pos < end) this.flushUnlessNextBatch(buf[pos] as number);
    for (;;) {
      const start = pos;
      if (pos >= end) return this.suspend(start, 1, false);
      const op = buf[pos++] as number;
      this.opStart = this.base + start;
      this.opByte = op;
      // Case labels are literal bytes (named in comments, see opcodes.ts): a `case OP.X`
      // label is an expression evaluated per opcode, which defeats the jump table.
      switch (op) {
        // --- ints ---
        case 0x4b: // BININT1 — K: 1-byte unsigned
          if (pos >= end) return this.suspend(start, 2, false);
          stack.push(natural ? (buf[pos] as number) : (SMALL_BIGINTS[buf[pos] as number] as bigint));
          pos += 1;
          continue;
        case 0x4d: // BININT2 — M: 2-byte unsigned LE
          if (pos + 2 > end) return this.suspend(start, 3, false);
          {
            const v = (buf[pos] as number) | ((buf[pos + 1] as number) << 8);
            stack.push(natural ? v : v < 256 ? (SMALL_BIGINTS[v] as bigint) : BigInt(v));
          }
          pos += 2;
          continue;
        case 0x4a: // BININT — J: 4-byte signed LE
          if (pos + 4 > end) return this.suspend(start, 5, false);
          {
            const v =
              (buf[pos] as number) |
              ((buf[pos + 1] as number) << 8) |
              ((buf[pos + 2] as number) << 16) |
              ((buf[pos + 3] as number) << 24);
            stack.push(natural ? v : BigInt(v));
          }
          pos += 4;
          continue;
        case 0x8a: {
          // LONG1
          // \x8a: n (1 byte) then n bytes of two's complement LE
          if (pos >= end) return this.suspend(start, 2, false);
          const n = buf[pos] as number;
          if (pos + 1 + n > end) return this.suspend(start, 2 + n, false);
          stack.push(this.decodeLong(buf, pos + 1, n));
          pos += 1 + n;
          continue;
        }
        case 0x8b: {
          // LONG4
          if (pos + 4 > end) return this.suspend(start, 5, false);
          const n =
            (buf[pos] as number) |
            ((buf[pos + 1] as number) << 8) |
            ((buf[pos + 2] as number) << 16) |
            ((buf[pos + 3] as number) << 24);
          if (n < 0) throw this.error("LONG pickle has negative byte count");
          if (pos + 4 + n > end) return this.suspend(start, 5 + n, false);
          stack.push(this.decodeLong(buf, pos + 4, n));
          pos += 4 + n;
          continue;
        }
        case 0x49: // INT — I: decimal line, 01/00 are True/False
        case 0x4c: {
          // LONG
          // L: decimal line with optional trailing L
          const nl = this.findLine(pos);
          if (nl === LINE_MISSING) return this.suspend(start, end - start + 1, true);
          if (nl - pos < 1) throw this.error("pickle data was truncated");
          const text = decodeLatin1(buf, pos, nl);
          const v =
            op === 0x49 /* INT */ ? parseIntText(text, this.maxDigits) : parseLongText(text, this.maxDigits);
          stack.push(typeof v === "boolean" ? v : natural ? naturalInt(v) : v);
          pos = nl + 1;
          continue;
        }
        // --- floats ---
        case 0x47: {
          // BINFLOAT
          // G: 8-byte IEEE double, big-endian
          if (pos + 8 > end) return this.suspend(start, 9, false);
          stack.push((view ??= this.view).getFloat64(pos, false));
          pos += 8;
          continue;
        }
        case 0x46: {
          // FLOAT
          // F: repr line
          const nl = this.findLine(pos);
          if (nl === LINE_MISSING) return this.suspend(start, end - start + 1, true);
          if (nl - pos < 1) throw this.error("pickle data was truncated");
          stack.push(parseFloatText(decodeLatin1(buf, pos, nl)));
          pos = nl + 1;
          continue;
        }
        // --- constants ---
        case 0x4e: // NONE
          stack.push(null);
          continue;
        case 0x88: // NEWTRUE
          stack.push(true);
          continue;
        case 0x89: // NEWFALSE
          stack.push(false);
          continue;
        // --- str ---
        case 0x8c: {
          // SHORT_BINUNICODE
          if (pos >= end) return this.suspend(start, 2, false);
          const n = buf[pos] as number;
          if (pos + 1 + n > end) return this.suspend(start, 2 + n, false);
          stack.push(decodeUtf8(buf, pos + 1, pos + 1 + n));
          pos += 1 + n;
          continue;
        }
        case 0x58: {
          // BINUNICODE
          if (pos + 4 > end) return this.suspend(start, 5, false);
          const n = readU32(buf, pos);
          if (pos + 4 + n > end) return this.suspend(start, 5 + n, false);
          stack.push(decodeUtf8(buf, pos + 4, pos + 4 + n));
          pos += 4 + n;
          continue;
        }
        case 0x8d: {
          // BINUNICODE8
          if (pos + 8 > end) return this.suspend(start, 9, false);
          const n = this.readU64Length(buf, pos, end - pos - 8);
          if (pos + 8 + n > end) return this.suspend(start, 9 + n, false);
          stack.push(decodeUtf8(buf, pos + 8, pos + 8 + n));
          pos += 8 + n;
          continue;
        }
        case 0x56: {
          // UNICODE
          // V: raw-unicode-escape line
          const nl = this.findLine(pos);
          if (nl === LINE_MISSING) return this.suspend(start, end - start + 1, true);
          stack.push(decodeRawUnicodeEscape(buf, pos, nl));
          pos = nl + 1;
          continue;
        }
        // --- bytes and Python 2 str ---
        case 0x43: {
          // SHORT_BINBYTES
          if (pos >= end) return this.suspend(start, 2, false);
          const n = buf[pos] as number;
          if (pos + 1 + n > end) return this.suspend(start, 2 + n, false);
          stack.push(buf.slice(pos + 1, pos + 1 + n));
          pos += 1 + n;
          continue;
        }
        case 0x42: {
          // BINBYTES
          if (pos + 4 > end) return this.suspend(start, 5, false);
          const n = readU32(buf, pos);
          if (pos + 4 + n > end) return this.suspend(start, 5 + n, false);
          stack.push(buf.slice(pos + 4, pos + 4 + n));
          pos += 4 + n;
          continue;
        }
        case 0x8e: // BINBYTES8
        case 0x96: {
          // BYTEARRAY8
          if (pos + 8 > end) return this.suspend(start, 9, false);
          const n = this.readU64Length(buf, pos, end - pos - 8);
          if (pos + 8 + n > end) return this.suspend(start, 9 + n, false);
          const b = buf.slice(pos + 8, pos + 8 + n);
          stack.push(op === 0x96 /* BYTEARRAY8 */ && !natural ? new PyByteArray(b) : b);
          pos += 8 + n;
          continue;
        }
        case 0x55: {
          // SHORT_BINSTRING
          if (pos >= end) return this.suspend(start, 2, false);
          const n = buf[pos] as number;
          if (pos + 1 + n > end) return this.suspend(start, 2 + n, false);
          stack.push(this.decode8(buf, pos + 1, pos + 1 + n));
          pos += 1 + n;
          continue;
        }
        case 0x54: {
          // BINSTRING
          if (pos + 4 > end) return this.suspend(start, 5, false);
          // unsigned, as CPython 3 reads it (a "negative" count is just too long)
          const n = readU32(buf, pos);
          if (pos + 4 + n > end) return this.suspend(start, 5 + n, false);
          stack.push(this.decode8(buf, pos + 4, pos + 4 + n));
          pos += 4 + n;
          continue;
        }
        case 0x53: {
          // STRING
          // S: quoted Python bytes literal line
          const nl = this.findLine(pos);
          if (nl === LINE_MISSING) return this.suspend(start, end - start + 1, true);
          const e = nl;
          const q = buf[pos] as number;
          if (e - pos < 2 || buf[e - 1] !== q || (q !== 0x27 && q !== 0x22)) {
            throw this.error("the STRING opcode argument must be quoted");
          }
          const raw = decodeEscapes(buf, pos + 1, e - 1);
          stack.push(this.decode8(raw, 0, raw.length));
          pos = nl + 1;
          continue;
        }
        // --- containers ---
        case 0x5d: // EMPTY_LIST
          {
            const slot = stack.length;
            const list: unknown[] = [];
            this.slotStamp[slot] = this.listEscapes;
            this.slotDict[slot] = list;
            this.slotMemoId[slot] = -1;
            stack.push(list);
          }
          continue;
        case 0x7d: // EMPTY_DICT
          if (natural) {
            this.slotStamp[stack.length] = this.dictGets;
            stack.push({});
          } else stack.push(new PyDict());
          continue;
        case 0x29: // EMPTY_TUPLE
          stack.push(natural ? [] : new PyTuple([]));
          continue;
        case 0x8f: // EMPTY_SET
          stack.push(natural ? new Set() : new PySet());
          continue;
        case 0x28: {
          // MARK
          const x = stack.length;
          // A list's batch of plain numbers (MARK, BININT*/BINFLOAT/LONG1/None/bools, APPENDS):
          // appended straight from the bytes, without the stack (no boxed double per float).
          if (
            x > this.fence &&
            Array.isArray(stack[x - 1]) &&
            pos < end &&
            SCALAR_SIZE[buf[pos] as number] !== 0
          ) {
            if (stack[x - 1] === this.pendList) this.flushPending();
            const after = this.appendScalars(buf, pos, end, x - 1);
            if (after !== -1) {
              pos = after;
              continue;
            }
          }
          this.marks.push(x);
          this.fence = x;
          continue;
        }
        case 0x85: {
          // TUPLE1
          if (stack.length - 1 < this.fence) throw this.underflow();
          const a = stack.pop();
          stack.push(natural ? [a] : new PyTuple([a]));
          continue;
        }
        case 0x86: {
          // TUPLE2
          if (stack.length - 2 < this.fence) throw this.underflow();
          const b = stack.pop();
          const a = stack.pop();
          stack.push(natural ? [a, b] : new PyTuple([a, b]));
          continue;
        }
        case 0x87: {
          // TUPLE3
          if (stack.length - 3 < this.fence) throw this.underflow();
          const c = stack.pop();
          const b = stack.pop();
          const a = stack.pop();
          stack.push(natural ? [a, b, c] : new PyTuple([a, b, c]));
          continue;
        }
        case 0x74: {
          // TUPLE
          const items = stack.splice(this.popMark());
          stack.push(natural ? items : new PyTuple(items));
          continue;
        }
        case 0x6c: // LIST
          stack.push(stack.splice(this.popMark()));
          continue;
        case 0x61: {
          // APPEND
          const x = stack.length - 1;
          if (x <= this.fence) throw this.underflow();
          const list = stack[x - 1];
          if (Array.isArray(list)) {
            if (list.length === 0 && this.isFreshList(x - 1, list))
              this.replaceFresh(x - 1, list, [stack.pop()]);
            else list.push(stack.pop());
          } else this.appendTo(list, stack.splice(x));
          continue;
        }
        case 0x65: {
          // APPENDS
          const x = this.popMarkKeep();
          if (x <= this.fence) throw this.underflow();
          let list = stack[x - 1];
          // The next batch follows (MARK, or a FRAME first), or the input ends here: then the
          // next run() decides (see loop's start).
          const more = pos >= end || buf[pos] === 0x28 || buf[pos] === 0x95;
          if (this.pendList !== null && x === this.pendSlot + 1) {
            if (list === this.pendList) {
              this.pendChunks.push(stack.slice(x));
              this.dropTo(x);
              if (!more) this.flushPending();
              continue;
            }
            this.flushPending();
            list = stack[x - 1];
          }
          if (Array.isArray(list)) {
            // `n` on a local: V8 cannot tell that `list` is not `stack`, and would reload the
            // stack's length after every push (measured ~1.3x slower on 1,000-item batches).
            const n = stack.length;
            if (n - x <= SMALL_LIST) {
              if (list.length === 0 && this.isFreshList(x - 1, list))
                this.replaceFresh(x - 1, list, stack.slice(x));
              else for (let i = x; i < n; i++) list.push(stack[i]);
            } else if (more && this.pendList === null && this.isFreshList(x - 1, list)) {
              this.pendList = list;
              this.pendSlot = x - 1;
              this.pendChunks = [stack.slice(x)];
            } else for (let i = x; i < n; i++) list.push(stack[i]);
            this.dropTo(x);
          } else this.appendTo(list, stack.splice(x));
          continue;
        }
        case 0x73: {
          // SETITEM
          const x = stack.length - 2;
          if (x <= this.fence) throw this.underflow();
          this.setItems(x);
          continue;
        }
        case 0x75: {
          // SETITEMS
          const x = this.popMark();
          if (x <= this.fence) throw this.underflow();
          if ((stack.length - x) % 2 !== 0) throw this.error("odd number of items for SETITEMS");
          this.setItems(x);
          continue;
        }
        case 0x64: {
          // DICT
          const x = this.popMark();
          if ((stack.length - x) % 2 !== 0) throw this.error("odd number of items for DICT");
          // the new dict goes below its items, where SETITEMS expects it
          if (natural) this.slotStamp[x] = this.dictGets;
          stack.splice(x, 0, natural ? {} : new PyDict());
          this.setItems(x + 1);
          continue;
        }
        case 0x90: {
          // ADDITEMS
          const x = this.popMark();
          if (x <= this.fence) throw this.underflow();
          const set = stack[x - 1];
          const n = stack.length;
          if (set instanceof Set) {
            for (let i = x; i < n; i++) set.add(stack[i]);
          } else if (isPySet(set)) {
            for (let i = x; i < n; i++) set.add(stack[i]);
          } else if (n > x) {
            throw this.error(
              `'${pyTypeName(set)}' object has no attribute 'add'`,
              undefined,
              "AttributeError",
            );
          }
          this.dropTo(x);
          continue;
        }
        case 0x91: {
          // FROZENSET
          const items = stack.splice(this.popMark());
          stack.push(natural ? new Set(items) : new PyFrozenSet(items));
          continue;
        }
        // --- stack ---
        case 0x30: {
          // POP
          const marks = this.marks;
          if (marks.length > 0 && marks[marks.length - 1] === stack.length) {
            if (this.pendList !== null && stack.length === this.pendSlot + 1) this.flushPending();
            marks.pop();
            this.fence = marks.length > 0 ? (marks[marks.length - 1] as number) : 0;
          } else if (stack.length <= this.fence) throw this.underflow();
          else stack.pop();
          continue;
        }
        case 0x31: // POP_MARK
          this.dropTo(this.popMark());
          continue;
        case 0x32: {
          // DUP
          if (stack.length <= this.fence) throw this.underflow();
          const v = stack[stack.length - 1];
          if (Array.isArray(v)) {
            this.dictGets++;
            this.listEscapes++;
          } else if (natural && isNaturalDict(v)) this.dictGets++;
          stack.push(v);
          continue;
        }
        // --- memo ---
        case 0x71: // BINPUT
          if (pos >= end) return this.suspend(start, 2, false);
          this.memoPut(buf[pos] as number);
          pos += 1;
          continue;
        case 0x72: // LONG_BINPUT
          if (pos + 4 > end) return this.suspend(start, 5, false);
          this.memoPut(readU32(buf, pos));
          pos += 4;
          continue;
        case 0x94: // MEMOIZE
          this.memoPut(this.memoCount);
          continue;
        case 0x70: {
          // PUT
          const nl = this.findLine(pos);
          if (nl === LINE_MISSING) return this.suspend(start, end - start + 1, true);
          if (nl - pos < 1) throw this.error("pickle data was truncated");
          if (stack.length <= this.fence) throw this.underflow();
          const idx = parseDecimalText(decodeLatin1(buf, pos, nl));
          if (idx < 0) throw this.error("negative PUT argument", undefined, "ValueError");
          this.memoPut(idx);
          pos = nl + 1;
          continue;
        }
        case 0x68: // BINGET
          if (pos >= end) return this.suspend(start, 2, false);
          stack.push(this.memoGet(buf[pos] as number));
          pos += 1;
          continue;
        case 0x6a: // LONG_BINGET
          if (pos + 4 > end) return this.suspend(start, 5, false);
          stack.push(this.memoGet(readU32(buf, pos)));
          pos += 4;
          continue;
        case 0x67: {
          // GET
          const nl = this.findLine(pos);
          if (nl === LINE_MISSING) return this.suspend(start, end - start + 1, true);
          if (nl - pos < 1) throw this.error("pickle data was truncated");
          stack.push(this.memoGet(parseDecimalText(decodeLatin1(buf, pos, nl))));
          pos = nl + 1;
          continue;
        }
        // --- framing and protocol ---
        case 0x80: {
          // PROTO
          if (pos >= end) return this.suspend(start, 2, false);
          const p = buf[pos] as number;
          if (p > HIGHEST_PROTOCOL)
            throw this.error(`unsupported pickle protocol: ${p}`, undefined, "ValueError");
          this.proto = p;
          pos += 1;
          continue;
        }
        case 0x95: {
          // FRAME
          if (pos + 8 > end) return this.suspend(start, 9, false);
          const n = this.readU64Length(buf, pos, end - pos - 8, true);
          // As CPython: the whole frame must be there; a streaming reader fetches it at once.
          if (pos + 8 + n > end) return this.suspend(start, 9 + n, false);
          this.frameEnd = this.base + pos + 8 + n;
          pos += 8;
          // between the pending list's batches (see APPENDS): only its next MARK keeps it
          if (this.pendList !== null && pos < end) this.flushUnlessNextBatch(buf[pos] as number);
          continue;
        }
        case 0x2e: {
          // STOP
          if (stack.length <= this.fence) throw this.underflow();
          if (this.pendList !== null) this.flushPending();
          let v = stack.pop();
          if (this.forward !== null) v = this.flushForward(v);
          this.pos = pos;
          this.resetStack();
          this.bytesNeeded = 0;
          return v;
        }
        default:
          this.pos = pos;
          this.runRare(op, start);
          pos = this.pos;
          if (pos === start) return NEED_MORE;
      }
    }
  }

  /**
   * GLOBAL/INST's two newline-terminated lines at `this.pos`: `[module, name, offset of the
   * second newline]`, or undefined after suspending for more input.
   */
  private readGlobalName(start: number, end: number): [string, string, number] | undefined {
    const buf = this.buf;
    const pos = this.pos;
    const nl1 = this.findLine(pos);
    const nl2 = nl1 === LINE_MISSING ? LINE_MISSING : this.findLine(nl1 + 1);
    // CPython decodes the module line before it reads the name line
    if (nl2 === LINE_MISSING && nl1 !== LINE_MISSING && this.ended) decodeUtf8Checked(buf, pos, nl1);
    if (nl2 === LINE_MISSING) {
      this.suspend(start, end - start + 1, true);
      return undefined;
    }
    if (nl1 - pos < 1 || nl2 - nl1 - 1 < 1) throw this.error("pickle data was truncated");
    return [decodeUtf8Checked(buf, pos, nl1), decodeUtf8Checked(buf, nl1 + 1, nl2), nl2];
  }

  /** The less frequent opcodes, out of the hot switch. Sets `this.pos` past the opcode, or to `start` on NEED_MORE. */
  private runRare(op: number, start: number): void {
    const buf = this.buf;
    const end = this.end;
    const stack = this.stack;
    const pos = this.pos;
    switch (op) {
      case 0x63: {
        // GLOBAL
        const global = this.readGlobalName(start, end);
        if (global === undefined) return;
        const [module, name, nl2] = global;
        stack.push(this.exit(this.enter().findClass(module, name, this.proto)));
        this.pos = nl2 + 1;
        return;
      }
      case 0x93: {
        // STACK_GLOBAL
        if (stack.length - 2 < this.fence) throw this.underflow();
        const name = stack.pop();
        const module = stack.pop();
        if (typeof name !== "string" || typeof module !== "string")
          throw this.error("STACK_GLOBAL requires str");
        stack.push(this.exit(this.enter().findClass(module, name, this.proto)));
        return;
      }
      case 0x69: {
        // INST: CPython finds the MARK before it reads the names
        if (this.marks.length === 0) throw this.error("could not find MARK");
        const global = this.readGlobalName(start, end);
        if (global === undefined) return;
        const [module, name, nl2] = global;
        const x = this.popMark();
        const cls = this.exit(this.enter().findClass(module, name, this.proto));
        const args = stack.splice(x);
        stack.push(this.exit(this.enter().reduce(cls, args, true)));
        this.pos = nl2 + 1;
        return;
      }
      case 0x6f: {
        // OBJ
        const x = this.popMark();
        if (stack.length <= x) throw this.underflow();
        const args = stack.splice(x + 1);
        const cls = stack.pop();
        stack.push(this.exit(this.enter().reduce(cls, args, true)));
        return;
      }
      case 0x52: {
        // REDUCE
        if (stack.length - 2 < this.fence) throw this.underflow();
        const argtup = stack.pop();
        const callable = stack.pop();
        const args = this.tupleItems(argtup);
        if (args === undefined) throw this.error("argument list must be a tuple", undefined, "TypeError");
        stack.push(this.exit(this.enter().reduce(callable, args)));
        return;
      }
      case 0x81: {
        // NEWOBJ
        if (stack.length - 2 < this.fence) throw this.underflow();
        const argtup = stack.pop();
        const cls = stack.pop();
        this.checkClass(cls, "NEWOBJ");
        const args = this.tupleItems(argtup);
        if (args === undefined) throw this.error(`NEWOBJ expected an arg tuple, not ${pyTypeName(argtup)}`);
        stack.push(this.exit(this.enter().newObj(cls, args, null, "newobj")));
        return;
      }
      case 0x92: {
        // NEWOBJ_EX
        if (stack.length - 3 < this.fence) throw this.underflow();
        const kwargs = stack.pop();
        const argtup = stack.pop();
        const cls = stack.pop();
        this.checkClass(cls, "NEWOBJ_EX");
        const args = this.tupleItems(argtup);
        if (args === undefined) {
          throw this.error(`NEWOBJ_EX args argument must be a tuple, not ${pyTypeName(argtup)}`);
        }
        if (!(this.natural ? isPlainObject(kwargs) || kwargs instanceof Map : isPyDict(kwargs))) {
          throw this.error(`NEWOBJ_EX kwargs argument must be a dict, not ${pyTypeName(kwargs)}`);
        }
        stack.push(this.exit(this.enter().newObj(cls, args, kwargs, "newobj_ex")));
        return;
      }
      case 0x62: {
        // BUILD
        if (stack.length - 2 < this.fence) throw this.underflow();
        let state = stack.pop();
        const obj = stack[stack.length - 1];
        if (this.forward !== null) state = resolveForward(this.forward, state);
        if (state !== null) this.exit(this.enter().build(obj, state));
        else if (isPyInstance(obj)) obj.state = null;
        return;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: {
        // EXT4
        const n = op === 0x82 /* EXT1 */ ? 1 : op === 0x83 /* EXT2 */ ? 2 : 4;
        if (pos + n > end) {
          this.suspend(start, 1 + n, false);
          return;
        }
        const code =
          n === 1
            ? (buf[pos] as number)
            : n === 2
              ? (buf[pos] as number) | ((buf[pos + 1] as number) << 8)
              : readU32(buf, pos) | 0;
        if (code <= 0) throw this.error("EXT specifies code <= 0");
        stack.push(this.exit(this.enter().extension(code, this.proto)));
        this.pos = pos + n;
        return;
      }
      case 0x50: {
        // PERSID
        const nl = this.findLine(pos);
        if (nl === LINE_MISSING) {
          this.suspend(start, end - start + 1, true);
          return;
        }
        for (let i = pos; i < nl; i++) {
          if ((buf[i] as number) >= 0x80)
            throw this.error("persistent IDs in protocol 0 must be ASCII strings");
        }
        const pid = decodeLatin1(buf, pos, nl);
        stack.push(this.exit(this.enter().persistentLoad(pid)));
        this.pos = nl + 1;
        return;
      }
      case 0x51: {
        // BINPERSID
        if (stack.length - 1 < this.fence) throw this.underflow();
        const pid = stack.pop();
        stack.push(this.exit(this.enter().persistentLoad(pid)));
        return;
      }
      case 0x97: // NEXT_BUFFER
        stack.push(this.exit(this.enter().nextBuffer()));
        return;
      case 0x98: {
        // READONLY_BUFFER
        if (stack.length - 1 < this.fence) throw this.underflow();
        const b = stack[stack.length - 1];
        // A read-only view: bytes-like values become immutable bytes.
        if (isPyByteArray(b)) stack[stack.length - 1] = b.bytes;
        else if (!(b instanceof Uint8Array)) {
          throw this.error(
            `memoryview: a bytes-like object is required, not '${pyTypeName(b)}'`,
            undefined,
            "TypeError",
          );
        }
        return;
      }
      default: {
        const ch =
          op >= 0x20 && op <= 0x7e ? String.fromCharCode(op) : `\\x${op.toString(16).padStart(2, "0")}`;
        throw this.error(`invalid load key, '${ch}'.`);
      }
    }
  }

  private checkClass(cls: unknown, op: string): void {
    if (!this.exit(this.enter().isClass(cls))) {
      throw this.error(`${op} class argument must be a type, not ${pyTypeName(cls)}`);
    }
  }

  /** The items of a tuple argument (a fresh array), or undefined when it is not a tuple. */
  private tupleItems(v: unknown): unknown[] | undefined {
    if (this.natural) {
      if (!Array.isArray(v)) return undefined;
      const items = v.slice();
      // A hook may keep its arguments: give it the current form of dicts that changed form.
      const forward = this.forward;
      if (forward !== null)
        for (let i = 0; i < items.length; i++) items[i] = resolveForward(forward, items[i]);
      return items;
    }
    return isPyTuple(v) ? v.items.slice() : undefined;
  }

  /** Pops the top mark and returns its stack index; the pending list's batches end there. */
  private popMark(): number {
    const x = this.popMarkKeep();
    if (this.pendList !== null && x === this.pendSlot + 1) this.flushPending();
    return x;
  }

  /** Pops the top mark and returns its stack index (APPENDS: the pending list may go on). */
  private popMarkKeep(): number {
    const marks = this.marks;
    if (marks.length === 0) throw this.error("could not find MARK");
    const x = marks.pop() as number;
    this.fence = marks.length > 0 ? (marks[marks.length - 1] as number) : 0;
    return x;
  }

  private decodeLong(buf: Uint8Array, at: number, n: number): number | bigint {
    if (n === 0) return this.natural ? 0 : 0n;
    if (n <= 6) {
      // up to 48 bits: exact in a double
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + (buf[at + i] as number);
      if ((buf[at + n - 1] as number) >= 0x80) v -= POW256[n] as number;
      return this.natural ? v : BigInt(v);
    }
    if (n === 8 && !this.natural) return this.view.getBigInt64(at, true);
    if (n <= 8) {
      // two 32-bit halves; the high one signed (sign-extended when n < 8)
      const lo = readU32(buf, at);
      let hi = 0;
      for (let i = n - 1; i >= 4; i--) hi = hi * 256 + (buf[at + i] as number);
      if ((buf[at + n - 1] as number) >= 0x80) hi -= POW256[n - 4] as number;
      const v = hi * TWO32 + lo;
      if (this.natural && v <= MAX_SAFE && v >= -MAX_SAFE) return v;
      if (n === 8) return this.view.getBigInt64(at, true);
      return (BigInt(hi) << 32n) + BigInt(lo);
    }
    if (n <= 14) {
      // Up to 112 bits: the high 1-6 bytes as an exact double, the low 8 as one bigint
      // (4 small bigints; the hex-text route below costs ~2x more per int at this size).
      let hi = 0;
      for (let i = n - 1; i >= 8; i--) hi = hi * 256 + (buf[at + i] as number);
      if ((buf[at + n - 1] as number) >= 0x80) hi -= POW256[n - 8] as number;
      const v = (BigInt(hi) << 64n) + this.view.getBigUint64(at, true);
      return this.natural ? naturalInt(v) : v;
    }
    // Beyond 14 bytes: hex text through BigInt("0x..."), linear in n (shifting and or-ing
    // 64-bit groups into a growing bigint copies it each time: quadratic).
    let v = BigInt(`0x${hexOfLE(buf, at, n)}`);
    if ((buf[at + n - 1] as number) >= 0x80) v -= 1n << BigInt(8 * n);
    return this.natural ? naturalInt(v) : v;
  }

  /**
   * An 8-byte LE length; lengths beyond what is left (or 2**53) are reported as truncation
   * once input has ended, so nothing is allocated for them.
   */
  private readU64Length(buf: Uint8Array, at: number, available: number, frame = false): number {
    const lo = readU32(buf, at);
    const hi = readU32(buf, at + 4);
    const n = hi * TWO32 + lo;
    if (hi >= 0x80000000) {
      // beyond sys.maxsize: CPython's OverflowError
      throw this.error(
        frame
          ? "FRAME length exceeds system's maximum of 9223372036854775807 bytes"
          : `${OP_NAMES[this.opByte] ?? "length"} exceeds system's maximum size of 9223372036854775807 bytes`,
        undefined,
        "OverflowError",
      );
    }
    if (this.ended && n > available) {
      // CPython allocates BINBYTES8/BYTEARRAY8 before reading: a length no memory holds is
      // its MemoryError (nothing is allocated here).
      if ((this.opByte === 0x8e || this.opByte === 0x96) && n >= 2 ** 40) {
        throw this.error(`cannot allocate ${n} bytes`, undefined, "MemoryError");
      }
      throw this.error("pickle data was truncated");
    }
    if (hi >= 0x200000 || n > MAX_SAFE) {
      if (frame) throw this.error("frame size > sys.maxsize", undefined, "OverflowError");
      throw this.error(
        `${OP_NAMES[this.opByte] ?? "length"} exceeds system's maximum size of ${MAX_SAFE} bytes`,
        undefined,
        "OverflowError",
      );
    }
    return n;
  }

  private memoPut(idx: number): void {
    const stack = this.stack;
    if (stack.length <= this.fence) throw this.underflow();
    const v = stack[stack.length - 1];
    const memo = this.memo;
    if (idx === memo.length) {
      // the usual case: MEMOIZE / ascending BINPUT
      memo.push(v);
      this.memoCount++;
      if (this.sparseMemo !== null && this.sparseMemo.delete(idx)) this.memoCount--;
    } else if (idx < memo.length) {
      if (memo[idx] === undefined) {
        this.memoCount++;
        if (this.sparseMemo !== null && this.sparseMemo.delete(idx)) this.memoCount--;
      }
      memo[idx] = v;
    } else if (idx < memo.length + this.denseSlack && idx < 2 * this.memoCount + this.denseSlack) {
      // A gap, but the dense memo stays within twice the ids actually used (plus the slack):
      // ids chosen far apart cannot make it grow faster than the input.
      while (memo.length < idx) memo.push(undefined);
      memo.push(v);
      this.memoCount++;
      if (this.sparseMemo !== null && this.sparseMemo.delete(idx)) this.memoCount--;
    } else {
      // Far beyond the dense memo (e.g. LONG_BINPUT 0xffffffff): a sparse slot costs nothing.
      this.sparseMemo ??= new Map();
      if (!this.sparseMemo.has(idx)) this.memoCount++;
      this.sparseMemo.set(idx, v);
    }
    // A str, number, bool or None (most PUTs in records and strings): no dict or list bookkeeping.
    if (typeof v !== "object" || v === null) {
      if (idx < this.memoDict.length && this.memoDict[idx] === 1) this.memoDict[idx] = 0;
      return;
    }
    if (this.natural && isNaturalDict(v)) {
      const slot = stack.length - 1;
      // A second PUT of the same dict: its other memo slots are found as escaped references.
      if (this.slotDict[slot] === v) this.slotStamp[slot] = -1;
      this.slotDict[slot] = v;
      this.slotMemoId[slot] = idx;
      if (idx < memo.length) this.flagDictId(idx);
    } else if (Array.isArray(v)) {
      const slot = stack.length - 1;
      if (this.slotDict[slot] === v) {
        // An EMPTY_LIST's first PUT is recorded; a second one leaves the list as it is.
        if (this.slotMemoId[slot] === -1) this.slotMemoId[slot] = idx;
        else this.slotStamp[slot] = -1;
      }
      if (idx < memo.length) this.flagDictId(idx);
    } else if (idx < this.memoDict.length && this.memoDict[idx] === 1) this.memoDict[idx] = 0;
  }

  /**
   * MARK's fast path: when the opcodes from `from` are batches of plain numbers (see
   * SCALAR_SIZE), each ending with APPENDS, the next one starting with MARK (FRAMEs anywhere
   * between), more than SMALL_LIST numbers in all and all in the fed bytes, appends their
   * values to the list at stack slot `slot` exactly as pushing them and APPENDS would, and
   * returns the offset after the last APPENDS; otherwise -1, having changed nothing.
   * Counting first makes one array of the final size: a fresh list of 1,000,000 floats is
   * allocated once (no growth copies, no boxed doubles), in place of the EMPTY_LIST's.
   */
  private appendScalars(buf: Uint8Array, from: number, end: number, slot: number): number {
    let p = from;
    let count = 0;
    let good = -1; // offset after the last whole batch
    let goodCount = 0;
    let frameEnd = -1;
    let goodFrameEnd = -1;
    scan: for (;;) {
      for (;;) {
        if (p >= end) break scan;
        const op = buf[p] as number;
        if (op === 0x65 /* APPENDS */) break;
        let size = SCALAR_SIZE[op] as number;
        if (size === 0) {
          // A FRAME between numbers when its whole frame is here (else the loop reports it).
          if (op !== 0x95 /* FRAME */ || p + 9 > end || readU32(buf, p + 5) !== 0) break scan;
          const fe = p + 9 + readU32(buf, p + 1);
          if (fe > end) break scan;
          frameEnd = fe;
          p += 9;
          continue;
        }
        if (size === 255) {
          // LONG1: its length byte follows
          if (p + 1 >= end) break scan;
          size = 2 + (buf[p + 1] as number);
        }
        p += size;
        count++;
      }
      p++;
      good = p;
      goodCount = count;
      goodFrameEnd = frameEnd;
      if (p >= end || buf[p] !== 0x28 /* MARK */) break;
      p++;
    }
    if (good === -1 || goodCount <= SMALL_LIST) return -1;
    const natural = this.natural;
    const view = this.viewCache ?? this.view;
    // Made in its final elements kind when the run starts with a float (a `new Array(n)` of
    // Smis turned into doubles is two allocations: peak heap 2.1x a list of floats, not 1.1x).
    // Beyond MAX_EXACT, V8 would make an exact-size array a slow dictionary: plain pushes.
    let items: unknown[];
    if (goodCount > MAX_EXACT) items = [];
    else if (buf[from] === 0x47 /* BINFLOAT */) {
      items = [0.5];
      items.length = goodCount;
    } else items = new Array(goodCount);
    let k = 0;
    let q = from;
    while (q < good) {
      const op = buf[q] as number;
      switch (op) {
        case 0x47: // BINFLOAT
          items[k++] = view.getFloat64(q + 1, false);
          q += 9;
          break;
        case 0x4b: // BININT1
          items[k++] = natural ? (buf[q + 1] as number) : (SMALL_BIGINTS[buf[q + 1] as number] as bigint);
          q += 2;
          break;
        case 0x4d: {
          // BININT2
          const v = (buf[q + 1] as number) | ((buf[q + 2] as number) << 8);
          items[k++] = natural ? v : v < 256 ? (SMALL_BIGINTS[v] as bigint) : BigInt(v);
          q += 3;
          break;
        }
        case 0x4a: {
          // BININT
          const v =
            (buf[q + 1] as number) |
            ((buf[q + 2] as number) << 8) |
            ((buf[q + 3] as number) << 16) |
            ((buf[q + 4] as number) << 24);
          items[k++] = natural ? v : BigInt(v);
          q += 5;
          break;
        }
        case 0x8a: {
          // LONG1
          const n = buf[q + 1] as number;
          items[k++] = this.decodeLong(buf, q + 2, n);
          q += 2 + n;
          break;
        }
        case 0x4e: // NONE
          items[k++] = null;
          q += 1;
          break;
        case 0x88: // NEWTRUE
          items[k++] = true;
          q += 1;
          break;
        case 0x89: // NEWFALSE
          items[k++] = false;
          q += 1;
          break;
        case 0x95: // FRAME
          q += 9;
          break;
        default: // MARK, APPENDS
          q += 1;
      }
    }
    const list = this.stack[slot] as unknown[];
    if (list.length === 0 && this.isFreshList(slot, list)) this.replaceFresh(slot, list, items);
    else for (let i = 0; i < goodCount; i++) list.push(items[i]);
    if (goodFrameEnd >= 0) this.frameEnd = this.base + goodFrameEnd;
    return good;
  }

  /** Whether the list at stack slot `slot` is an EMPTY_LIST's that no GET, DUP or hook has reached. */
  private isFreshList(slot: number, list: unknown[]): boolean {
    if (this.slotDict[slot] !== list || this.slotStamp[slot] !== this.listEscapes) return false;
    const id = this.slotMemoId[slot] as number;
    return id < 0 || id >= this.memoDict.length || this.memoDict[id] !== 2;
  }

  /**
   * Between the pending list's APPENDS and its next MARK (no mark above it is open), the next
   * opcode `op` must be that MARK (or a FRAME): anything else flushes it. Inside a batch, nothing.
   */
  private flushUnlessNextBatch(op: number): void {
    if (this.fence <= this.pendSlot && this.stack.length === this.pendSlot + 1 && op !== 0x28 && op !== 0x95)
      this.flushPending();
  }

  /**
   * Copies the pending list's items and gathered batches into one array, put in the list's
   * place (only its stack and memo slots hold it: it is fresh), and returns it.
   */
  private flushPending(): unknown[] {
    const list = this.pendList as unknown[];
    const chunks = this.pendChunks;
    this.pendList = null;
    this.pendChunks = [];
    let out = list;
    // concat of arrays computes the size and copies in one allocation; groups bound the
    // spread's argument count
    for (let i = 0; i < chunks.length; i += 4096) out = out.concat(...chunks.slice(i, i + 4096));
    this.replaceFresh(this.pendSlot, list, out);
    return out;
  }

  /**
   * A fresh natural dict's contents when the str keys stack[x], stack[x+2], ... (before n) are
   * those of {@link shapeKeys}, in order: a clone of the template with the values assigned.
   */
  private sameShape(x: number, n: number): Record<string, unknown> | null {
    const keys = this.shapeKeys;
    if (keys === null || keys.length !== (n - x) >> 1) return null;
    const stack = this.stack;
    for (let i = 0, j = x; j < n; i++, j += 2) if (stack[j] !== keys[i]) return null;
    let t = this.shapeTemplate;
    if (t === null) {
      // made on the second dict of this shape, from the keys alone (a dict made earlier
      // may have changed since)
      t = {};
      for (let i = 0; i < keys.length; i++) t[keys[i] as string] = null;
      this.shapeTemplate = t;
    }
    const o = { ...t };
    // every key is an own data property already (none is "__proto__"): plain stores
    for (let j = x; j < n; j += 2) o[stack[j] as string] = stack[j + 1];
    return o;
  }

  /** Records the keys of the fresh dict just filled from stack[x..n) as the next shape. */
  private rememberShape(x: number, n: number): void {
    const stack = this.stack;
    const keys: unknown[] = new Array((n - x) >> 1); // exact size: one allocation per shape
    for (let i = 0, j = x; j < n; i++, j += 2) {
      if (stack[j] === "__proto__") return;
      keys[i] = stack[j];
    }
    this.shapeKeys = keys;
    this.shapeTemplate = null;
  }

  /** Puts `to` in place of the fresh list or dict `from` at stack slot `slot` and in its memo slot. */
  private replaceFresh(slot: number, from: object, to: object): void {
    this.stack[slot] = to;
    this.slotDict[slot] = to;
    const id = this.slotMemoId[slot] as number;
    if (id >= 0) {
      if (this.memo[id] === from) this.memo[id] = to;
      else if (this.sparseMemo?.get(id) === from) this.sparseMemo.set(id, to);
    }
  }

  /** Marks dense memo slot `idx` as holding a natural dict (see {@link memoDict}). */
  private flagDictId(idx: number): void {
    let flags = this.memoDict;
    if (idx >= flags.length) {
      const grown = new Uint8Array(Math.max(64, 2 * flags.length, idx + 1));
      grown.set(flags);
      this.memoDict = flags = grown;
    }
    // 2 (fetched by GET) stays: a list fetched under this id before it was reused has escaped
    if (flags[idx] === 0) flags[idx] = 1;
  }

  private memoGet(idx: number): unknown {
    const memo = this.memo;
    const v = idx < memo.length && idx >= 0 ? memo[idx] : undefined;
    if (v === undefined || (this.forward !== null && typeof v === "object")) return this.memoGetSlow(idx);
    // The flag, not the value: counting GETs of dicts and lists must not touch every fetched object.
    const flags = this.memoDict;
    if (idx < flags.length) {
      const f = flags[idx] as number;
      if (f !== 0) {
        this.dictGets++;
        // the first GET of this id: a list under it escapes (the pending one is copied now)
        if (f === 1) {
          flags[idx] = 2;
          if (v === this.pendList) return this.flushPending();
        }
      }
    }
    return v;
  }

  /** A GET from the sparse memo, of a missing id, or while dicts that changed form are forwarded. */
  private memoGetSlow(idx: number): unknown {
    let v = idx < this.memo.length && idx >= 0 ? this.memo[idx] : undefined;
    if (v === undefined && this.sparseMemo !== null) v = this.sparseMemo.get(idx);
    if (v === undefined) throw this.error(`Memo value not found at index ${idx}`);
    if (this.natural && typeof v === "object") {
      if (this.forward !== null) {
        const f = resolveForward(this.forward, v);
        if (f !== v) {
          v = f;
          if (idx < this.memo.length && idx >= 0) this.memo[idx] = f;
          else this.sparseMemo?.set(idx, f);
        }
      }
      if (isNaturalDict(v)) this.dictGets++;
    }
    if (Array.isArray(v)) {
      this.dictGets++;
      this.listEscapes++;
      if (v === this.pendList) return this.flushPending();
    }
    return v;
  }

  /** APPEND/APPENDS on something that is not a list. */
  private appendTo(target: unknown, items: unknown[]): void {
    if (isPyInstance(target)) {
      target.listItems ??= [];
      for (const x of items) target.listItems.push(x);
      return;
    }
    if (items.length === 0) return;
    throw this.error(`'${pyTypeName(target)}' object has no attribute 'append'`, undefined, "AttributeError");
  }

  /** SETITEM/SETITEMS/DICT: stack[x-1] is the dict, stack[x..] are key, value pairs; pops them. */
  private setItems(x: number): void {
    const stack = this.stack;
    let d = stack[x - 1];
    const n = stack.length;
    if (this.natural) {
      if (this.forward !== null && typeof d === "object" && d !== null) {
        d = resolveForward(this.forward, d);
        stack[x - 1] = d;
      }
      if (isPlainObject(d)) {
        let allStr = true;
        for (let i = x; i < n; i += 2) {
          if (typeof stack[i] !== "string") {
            allStr = false;
            break;
          }
        }
        if (allStr) {
          if (
            n > x &&
            n - x <= 2 * SHAPE_KEYS &&
            this.slotDict[x - 1] === d &&
            this.slotStamp[x - 1] === this.dictGets &&
            isEmpty(d)
          ) {
            // A fresh dict (only in its stack and memo slots) filled by one batch.
            const o = this.sameShape(x, n);
            if (o !== null) {
              this.replaceFresh(x - 1, d, o);
              this.dropTo(x);
              return;
            }
            for (let i = x; i < n; i += 2) setOwn(d, stack[i] as string, stack[i + 1]);
            this.rememberShape(x, n);
            this.dropTo(x);
            return;
          }
          for (let i = x; i < n; i += 2) setOwn(d, stack[i] as string, stack[i + 1]);
          this.dropTo(x);
          return;
        }
        const map = new Map<unknown, unknown>();
        for (const k of Object.keys(d)) map.set(k, d[k]);
        this.replaceDict(d, map, x - 1);
        d = map;
      }
      if (d instanceof Map && Object.getPrototypeOf(d) === Map.prototype) {
        for (let i = x; i < n; i += 2) {
          if (!setNaturalKey(d, stack[i], stack[i + 1])) {
            // The Map cannot hold this dict as Python does: the rest goes to a PyDict.
            const dict = new PyDict(d);
            this.replaceDict(d, dict, x - 1);
            for (let j = i; j < n; j += 2) dict.set(stack[j], stack[j + 1]);
            break;
          }
        }
        this.dropTo(x);
        return;
      }
    }
    if (isPyDict(d)) {
      for (let i = x; i < n; i += 2) d.set(stack[i], stack[i + 1]);
    } else if (isPyInstance(d)) {
      d.dictItems ??= [];
      for (let i = x; i < n; i += 2) d.dictItems.push([stack[i], stack[i + 1]]);
    } else if (d instanceof Map) {
      for (let i = x; i < n; i += 2) d.set(stack[i], stack[i + 1]);
    } else if (n > x) {
      throw this.error(`'${pyTypeName(d)}' object does not support item assignment`, undefined, "TypeError");
    }
    this.dropTo(x);
  }

  /**
   * A natural dict at stack slot `slot` changes form. When no GET/DUP happened since it was
   * created (the common case), only its stack slot and its memo slot hold it. Otherwise the
   * old form is recorded in `forward`: GET and SETITEMS follow it at once, and the stale
   * references inside containers are replaced in one pass when the pickle ends.
   */
  private replaceDict(from: object, to: object, slot: number): void {
    this.stack[slot] = to;
    const tracked = this.slotDict[slot] === from;
    if (tracked) this.slotDict[slot] = to;
    if (this.slotStamp[slot] === this.dictGets) {
      if (!tracked) return;
      const id = this.slotMemoId[slot] as number;
      if (this.memo[id] === from) this.memo[id] = to;
      else if (this.sparseMemo?.get(id) === from) this.sparseMemo.set(id, to);
      return;
    }
    this.forward ??= new Map();
    this.forward.set(from, to);
  }

  /** At STOP: redirects every stale reference to a dict that changed form (one linear pass). */
  private flushForward(v: unknown): unknown {
    const forward = this.forward;
    if (forward === null) return v;
    this.forward = null;
    const root = [v];
    const roots: unknown[][] = [root, this.memo];
    if (this.sparseMemo !== null) {
      const ids = [...this.sparseMemo.keys()];
      const values = ids.map((id) => this.sparseMemo?.get(id));
      roots.push(values);
      replaceForwarded(forward, roots);
      for (let i = 0; i < ids.length; i++) this.sparseMemo.set(ids[i] as number, values[i]);
    } else replaceForwarded(forward, roots);
    return root[0];
  }
}

/** The empty input a decoder starts with (never written: `ownsBuf` is false for it). */
const EMPTY = new Uint8Array(0);
/** The empty memo-dict flags of a fresh decoder (replaced, never written, on the first dict PUT). */
const NO_FLAGS = new Uint8Array(0);

/**
 * An empty array already in V8's generic-elements kind: the stack and memo hold every kind of
 * value, and starting generic avoids the Smi -> double -> object transitions that deoptimize
 * the machine's loop on each new pickle.
 */
function genericArray(): unknown[] {
  const a: unknown[] = [null];
  a.pop();
  return a;
}

const HEX_DIGITS = new TextEncoder().encode("0123456789abcdef");
let asciiDecoder: TextDecoder | undefined;

/** The hex digits of a little-endian unsigned number, most significant first (one pass, one string). */
function hexOfLE(buf: Uint8Array, at: number, n: number): string {
  const out = new Uint8Array(2 * n);
  for (let i = 0, j = at + n - 1; j >= at; j--, i += 2) {
    const b = buf[j] as number;
    out[i] = HEX_DIGITS[b >> 4] as number;
    out[i + 1] = HEX_DIGITS[b & 15] as number;
  }
  asciiDecoder ??= new TextDecoder("latin1");
  return asciiDecoder.decode(out);
}

function readU32(buf: Uint8Array, at: number): number {
  return (
    ((buf[at] as number) |
      ((buf[at + 1] as number) << 8) |
      ((buf[at + 2] as number) << 16) |
      ((buf[at + 3] as number) << 24)) >>>
    0
  );
}

/** GLOBAL/INST names: strict UTF-8. */
function decodeUtf8Checked(buf: Uint8Array, start: number, end: number): string {
  return decodeUtf8(buf, start, end);
}
