/**
 * The record types of CPython's pickletools: what an opcode's embedded argument looks like
 * (`ArgumentDescriptor`), what kinds of objects sit on the unpickling stack (`StackObject`),
 * and the opcode itself (`OpcodeInfo`). The records are generated into opcode-table.ts.
 */
import type { OpName } from "../opcodes.js";

/** `ArgumentDescriptor.n` for an argument that runs to the next newline. */
export const UP_TO_NEWLINE = -1;
/** `ArgumentDescriptor.n`: a 1-byte unsigned length, then that many bytes. */
export const TAKEN_FROM_ARGUMENT1 = -2;
/** `ArgumentDescriptor.n`: a 4-byte signed little-endian length, then that many bytes. */
export const TAKEN_FROM_ARGUMENT4 = -3;
/** `ArgumentDescriptor.n`: a 4-byte unsigned little-endian length, then that many bytes. */
export const TAKEN_FROM_ARGUMENT4U = -4;
/** `ArgumentDescriptor.n`: an 8-byte unsigned little-endian length, then that many bytes. */
export const TAKEN_FROM_ARGUMENT8U = -5;

/** The argument embedded in the byte stream after an opcode. */
export interface ArgumentDescriptor {
  /** The descriptor's name in pickletools, e.g. `uint1`, `unicodestringnl`. */
  readonly name: string;
  /** Byte length when fixed (>= 0), else one of the negative `UP_TO_NEWLINE`/`TAKEN_FROM_*` markers. */
  readonly n: number;
  readonly doc: string;
}

/** A kind of object on the unpickling stack, as pickletools names it (`int`, `mark`, `any`, ...). */
export interface StackObject {
  readonly name: string;
  /** Names of the Python types the object may have. */
  readonly obtype: readonly string[];
  readonly doc: string;
}

/** One pickle opcode (pickletools' `OpcodeInfo`). */
export interface OpcodeInfo {
  readonly name: OpName;
  /** The opcode byte as a one-character (latin-1) string, as in CPython. */
  readonly code: string;
  /** The embedded argument, or null when the opcode has none. */
  readonly arg: ArgumentDescriptor | null;
  /** The top of the stack before the opcode runs (rightmost is the top). */
  readonly stackBefore: readonly StackObject[];
  /** The top of the stack after the opcode runs. */
  readonly stackAfter: readonly StackObject[];
  /** The protocol that introduced the opcode. */
  readonly proto: number;
  readonly doc: string;
}
