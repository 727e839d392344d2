/**
 * `genops`: CPython's `pickletools.genops`, an iterator over a pickle's opcodes.
 */
import { asBytes, type BytesLike } from "@x/pyobject";
import type { OpcodeInfo } from "./descriptors.js";
import { checkStart, OpcodeScanner, type PickleArg } from "./scanner.js";

/** One opcode of a pickle: its descriptor, its decoded argument (or null) and its offset. */
export type GenopsItem = [opcode: OpcodeInfo, arg: PickleArg, pos: number];
/** A genops item with the offset just past the opcode's argument. */
export type GenopsItemWithEnd = [opcode: OpcodeInfo, arg: PickleArg, pos: number, endPos: number];

export interface GenopsOptions {
  /** Also yield the offset just past each opcode (CPython's `yield_end_pos`). Default false. */
  readonly yieldEndPos?: boolean;
  /** Offset in `pickle` where the pickle starts; positions stay offsets into `pickle`. Default 0. */
  readonly start?: number;
}

/**
 * Generates every opcode of the pickle at the start of `pickle`, through the first STOP, as
 * `[opcode, arg, pos]` triples (Python's `pickletools.genops`). Bytes after STOP are not read.
 * @throws {PickletoolsError} (while iterating) ValueError for an unknown opcode, a pickle that
 *   ends before STOP, or an argument that does not decode, with CPython's message; a
 *   TypeError-typed one for a bad `start`; PyTypeError for input that is not bytes-like.
 */
export function genops(pickle: BytesLike): Generator<GenopsItem, void, undefined>;
export function genops(
  pickle: BytesLike,
  options: GenopsOptions & { readonly yieldEndPos: true },
): Generator<GenopsItemWithEnd, void, undefined>;
export function genops(
  pickle: BytesLike,
  options?: GenopsOptions,
): Generator<GenopsItem | GenopsItemWithEnd, void, undefined>;
export function* genops(
  input: BytesLike,
  options?: GenopsOptions,
): Generator<GenopsItem | GenopsItemWithEnd, void, undefined> {
  const pickle = asBytes(input);
  const scanner = new OpcodeScanner(pickle, checkStart(options?.start, pickle.length));
  const withEnd = options?.yieldEndPos === true;
  while (scanner.next()) {
    yield withEnd
      ? [scanner.op, scanner.arg, scanner.pos, scanner.endPos]
      : [scanner.op, scanner.arg, scanner.pos];
  }
}
