/**
 * `dis`: CPython's `pickletools.dis`, a symbolic disassembly with its stack and memo checks,
 * byte for byte the same text (and the same error, after the same partial output).
 */
import { asBytes, type BytesLike, floatRepr } from "@x/pyobject";
import type { StackObject } from "./descriptors.js";
import { PickletoolsError } from "./errors.js";
import { STACK_OBJECTS } from "./opcode-table.js";
import { byteArrayRepr, bytesRepr, intRepr, strRepr } from "./py-repr.js";
import { checkStart, OpcodeScanner, type PickleArg } from "./scanner.js";

/** Where `dis` writes its text as it goes: a function, or anything with `write` (a Node stream). */
export type DisOutput = ((text: string) => unknown) | { write(text: string): unknown };

/** The memo `dis` emulates: memo id to the kind of object stored. Share one to span pickles. */
export type DisMemo = Map<bigint, StackObject>;

export interface DisOptions {
  /**
   * Write the text here instead of returning it (Python's `out`): whole lines, in chunks of
   * about 64 KiB, as they are produced. Nothing is kept, so memory stays bounded however long
   * the text is (deep MARK nesting makes it quadratic in the input: CPython's is too); `dis`
   * then returns `""` and a failure's `error.output` is `""` (its text was written already).
   */
  readonly out?: DisOutput;
  /**
   * The memo to start from; `dis` adds to it, so passing the same map to the next call
   * disassembles pickles written by one pickler with one memo (Python's `memo`). Default: a new map.
   */
  readonly memo?: DisMemo;
  /** Blanks by which each MARK level is indented. Default 4. */
  readonly indentlevel?: number;
  /** Nonzero adds each opcode's one-line description, starting near this column. Default 0. */
  readonly annotate?: number;
  /**
   * Offset in `pickle` where the pickle starts; printed positions stay offsets into `pickle`
   * (like Python's `tell()` on a file read from the middle). Default 0.
   */
  readonly start?: number;
}

const MARK = STACK_OBJECTS.mark;

/** The longest text `dis` returns (without `out`): 2**26 UTF-16 units (64 Mi; up to 128 MiB of memory). */
export const MAX_DIS_TEXT = 2 ** 26;
/** Lines go to `out` in chunks of about this many characters (one write per chunk). */
const CHUNK = 65536;

// "%-4s " % repr(opcode.code)[1:-1], per opcode byte.
const CODE_COLUMN: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => `${strRepr(String.fromCharCode(b)).slice(1, -1).padEnd(4)} `,
);

const STRING_ARGS = new Set([
  "stringnl",
  "stringnl_noescape",
  "stringnl_noescape_pair",
  "string1",
  "string4",
  "unicodestringnl",
  "unicodestring1",
  "unicodestring4",
  "unicodestring8",
]);

/** Python's `repr(arg)` for an argument read by the descriptor `kind`. */
function argRepr(kind: string, arg: PickleArg, codePoints: readonly number[] | undefined): string {
  if (arg === null) return "None";
  if (kind === "floatnl" || kind === "float8") return floatRepr(arg as number);
  if (STRING_ARGS.has(kind)) return strRepr(arg as string, codePoints);
  if (arg instanceof Uint8Array) return bytesRepr(arg);
  if (typeof arg === "object") return byteArrayRepr(arg.bytes);
  return intRepr(arg as number | bigint | boolean);
}

function memoKey(arg: PickleArg): bigint {
  if (typeof arg === "boolean") return arg ? 1n : 0n;
  return BigInt(arg as number | bigint);
}

// len() in Python counts code points; a JS string counts UTF-16 units.
function pyLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function checkInt(name: string, v: number): number {
  if (!Number.isInteger(v)) {
    throw new PickletoolsError(`${name} must be an integer, got ${v}`, { pyType: "TypeError" });
  }
  return v;
}

/**
 * Disassembles the pickle at the start of `pickle` through its first STOP and returns the
 * text CPython's `pickletools.dis` prints, or writes it to `options.out` as it goes (then
 * returns `""`).
 * Checks what CPython checks: arguments decode, pops have enough items, MARKs exist, memo
 * keys are stored before use, never redefined, and never hold the mark.
 * @throws {PickletoolsError} with CPython's exception type and message when a check fails;
 *   `error.output` holds the text printed before the failure (`""` with `out`, where it was
 *   written). A TypeError-typed one for a non-integer `indentlevel`, `annotate` or `start`; a
 *   MemoryError-typed one when the returned text would exceed MAX_DIS_TEXT characters
 *   (pass `out` to stream longer ones) or a line the longest JS string.
 * @throws PyTypeError for input that is not bytes-like (Uint8Array, ArrayBufferView, ArrayBuffer).
 */
export function dis(pickle: BytesLike, options?: DisOptions): string {
  const bytes = asBytes(pickle);
  try {
    return disassemble(bytes, options);
  } catch (e) {
    // A line longer than JS strings allow (deep MARK nesting times a large indentlevel):
    // Python would run out of memory here too.
    if (e instanceof RangeError) {
      throw new PickletoolsError(`disassembly too large: ${e.message}`, { pyType: "MemoryError", cause: e });
    }
    throw e;
  }
}

function disassemble(pickle: Uint8Array, options?: DisOptions): string {
  const out = options?.out;
  const write: ((text: string) => unknown) | undefined =
    out === undefined ? undefined : typeof out === "function" ? out : (t) => out.write(t);
  const memo: DisMemo = options?.memo ?? new Map();
  const indentlevel = checkInt("indentlevel", options?.indentlevel ?? 4);
  const annotate = checkInt("annotate", options?.annotate ?? 0);
  const indentWidth = Math.max(0, indentlevel);
  // indentchunk * depth, cached for the usual shallow depths only: caching every depth of a
  // deeply nested pickle would hold O(depth**2) characters.
  const indents: string[] = [""];
  const indent = (depth: number): string =>
    depth < 64 ? (indents[depth] ??= " ".repeat(indentWidth * depth)) : " ".repeat(indentWidth * depth);

  // Lines are joined in batches: appending each line to one string builds a rope of a node
  // per line that the GC walks again and again (most of the time on large pickles). With
  // `out`, each batch is written and dropped; without, batches are kept up to MAX_DIS_TEXT.
  const parts: string[] = [];
  const batch: string[] = [];
  let batchChars = 0;
  let kept = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    const chunk = batch.length === 1 ? batch[0]! : batch.join("");
    batch.length = 0;
    batchChars = 0;
    if (write !== undefined) {
      write(chunk);
      return;
    }
    kept += chunk.length;
    if (kept > MAX_DIS_TEXT) {
      parts.length = 0;
      throw new PickletoolsError(
        `disassembly longer than ${MAX_DIS_TEXT} characters: pass an output sink (out) to stream it`,
        { pyType: "MemoryError" },
      );
    }
    parts.push(chunk);
  };
  const emit = (s: string): void => {
    batch.push(s);
    batchChars += s.length;
    if (batchChars >= CHUNK) flush();
  };
  const fail = (e: unknown, prefix: string): never => {
    if (prefix !== "") emit(prefix);
    flush();
    if (PickletoolsError.isInstance(e)) e.output = parts.join("");
    throw e;
  };

  const stack: StackObject[] = [];
  const markstack: number[] = [];
  let maxproto = -1;
  let annocol = annotate;
  const scanner = new OpcodeScanner(pickle, checkStart(options?.start, pickle.length));
  for (;;) {
    try {
      if (!scanner.next()) break;
    } catch (e) {
      fail(e, "");
    }
    const { op, arg, pos } = scanner;
    // print("%5d:" % pos, end=' ') happens before anything below can fail.
    const prefix = `${String(pos).padStart(5)}: `;
    let line = `${CODE_COLUMN[op.code.charCodeAt(0)]}${indent(markstack.length)}${op.name}`;
    if (op.proto > maxproto) maxproto = op.proto;
    const before = op.stackBefore;
    let after = op.stackAfter;
    let numtopop = before.length;

    let markmsg: string | null = null;
    let errormsg: string | null = null;
    const markBefore = before.indexOf(MARK);
    if (markBefore >= 0 || (op.name === "POP" && stack.length > 0 && stack[stack.length - 1] === MARK)) {
      if (markstack.length > 0) {
        markmsg = `(MARK at ${markstack.pop()})`;
        // Pop everything at and after the topmost markobject (IndexError if there is none).
        while (stack[stack.length - 1] !== MARK) {
          if (stack.length === 0) {
            fail(
              new PickletoolsError("list index out of range", { pyType: "IndexError", offset: pos }),
              prefix,
            );
          }
          stack.pop();
        }
        stack.pop();
        numtopop = Math.max(markBefore, 0);
      } else {
        errormsg = markmsg = "no MARK exists on stack";
      }
    }

    const name = op.name;
    if (name === "PUT" || name === "BINPUT" || name === "LONG_BINPUT" || name === "MEMOIZE") {
      let key: bigint;
      if (name === "MEMOIZE") {
        key = BigInt(memo.size);
        markmsg = `(as ${memo.size})`;
      } else key = memoKey(arg);
      if (memo.has(key)) errormsg = `memo key ${argRepr("", arg, undefined)} already defined`;
      else if (stack.length === 0) errormsg = "stack is empty -- can't store into memo";
      else if (stack[stack.length - 1] === MARK) errormsg = "can't store markobject in the memo";
      else memo.set(key, stack[stack.length - 1]!);
    } else if (name === "GET" || name === "BINGET" || name === "LONG_BINGET") {
      const stored = memo.get(memoKey(arg));
      if (stored !== undefined) after = [stored];
      else errormsg = `memo key ${argRepr("", arg, undefined)} has never been stored into`;
    }

    if (arg !== null || markmsg !== null) {
      line += " ".repeat(Math.max(0, 10 - name.length));
      if (arg !== null) {
        try {
          line += ` ${argRepr(op.arg!.name, arg, scanner.codePoints)}`;
        } catch (e) {
          fail(e, prefix);
        }
      }
      if (markmsg !== null) line += ` ${markmsg}`;
    }
    if (annotate !== 0) {
      const len = pyLen(line);
      line += " ".repeat(Math.max(0, annocol - len));
      annocol = Math.max(len, annocol);
      if (annocol > 50) annocol = annotate;
      const nl = op.doc.indexOf("\n");
      line += ` ${nl < 0 ? op.doc : op.doc.slice(0, nl)}`;
    }
    emit(`${prefix}${line}\n`);

    if (errormsg !== null)
      fail(new PickletoolsError(errormsg, { offset: pos, opcode: op.code.charCodeAt(0) }), "");
    if (stack.length < numtopop) {
      fail(
        new PickletoolsError(`tries to pop ${numtopop} items from stack with only ${stack.length} items`, {
          offset: pos,
          opcode: op.code.charCodeAt(0),
        }),
        "",
      );
    }
    if (numtopop > 0) stack.length -= numtopop;
    if (after.includes(MARK)) markstack.push(pos);
    for (const x of after) stack.push(x);
  }
  emit(`highest protocol among opcodes = ${maxproto}\n`);
  if (stack.length > 0) {
    fail(new PickletoolsError(`stack not empty after STOP: [${stack.map((s) => s.name).join(", ")}]`), "");
  }
  flush();
  return parts.length === 1 ? parts[0]! : parts.join("");
}
