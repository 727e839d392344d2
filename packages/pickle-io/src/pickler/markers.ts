/** Values the pickler makes for itself: the globals it names, and wrappers for CPython's object kinds. */

import { PyGlobal } from "@x/pyobject";
import { latin1 } from "./value-kinds.js";

export const G_SET = new PyGlobal("builtins", "set");
export const G_FROZENSET = new PyGlobal("builtins", "frozenset");
export const G_BYTES = new PyGlobal("builtins", "bytes");
export const G_BYTEARRAY = new PyGlobal("builtins", "bytearray");
export const G_ENCODE = new PyGlobal("_codecs", "encode");
export const G_COMPLEX = new PyGlobal("builtins", "complex");
export const G_GETATTR = new PyGlobal("builtins", "getattr");
export const G_NEWOBJ = new PyGlobal("copyreg", "__newobj__");
export const G_NEWOBJ_EX = new PyGlobal("copyreg", "__newobj_ex__");
export const G_RECONSTRUCTOR = new PyGlobal("copyreg", "_reconstructor");
export const G_OBJECT = new PyGlobal("builtins", "object");

/**
 * A str CPython creates fresh while pickling (the latin-1 text of bytes below protocol 3): it is
 * memoized as a new object, never shared with an equal str already written.
 */
export class FreshStr {
  constructor(readonly s: string) {}
}

/**
 * The fresh str `data.decode("latin-1")` CPython builds to pickle bytes below protocol 3, kept
 * as the bytes: the encoder writes its UTF-8 from them, and the JS string is made only if a
 * `persistentId` hook asks for the value.
 */
export class FreshLatin1Str {
  constructor(readonly bytes: Uint8Array) {}
  get s(): string {
    return latin1(this.bytes);
  }
}

/** A number CPython always holds as a float (complex parts), whatever the model. */
export class FloatValue {
  constructor(readonly x: number) {}
}

export interface ReduceRest {
  listItems: Iterator<unknown> | null;
  dictItems: Iterator<unknown> | null;
  state: unknown;
  stateSetter: unknown;
}
