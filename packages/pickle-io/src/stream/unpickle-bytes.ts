import { PickleEOFError } from "@x/pickle-core";
import { asBytes, type BytesLike } from "@x/pyobject";
import { Unpickler, type UnpicklerOptions } from "../unpickler.js";

/** Something that unpickles one pickle's bytes: `Unpickler` or a subclass of it. */
export type UnpicklerClass = new (data: Uint8Array, options?: UnpicklerOptions) => { load(): unknown };

/** Options of the stream and file loaders: the Unpickler's, plus which class unpickles. */
export interface StreamLoadOptions extends UnpicklerOptions {
  /**
   * The class that unpickles each pickle (a subclass of `Unpickler` overriding `findClass`
   * or `persistentLoad`). Default `Unpickler`.
   */
  readonly unpicklerClass?: UnpicklerClass;
}

/**
 * Unpickles the bytes of one pickle that a reader cut from a source; `null` (the source had
 * no further byte) is Python's `EOFError: Ran out of input`.
 * @throws PickleEOFError for `null`; UnpicklingError (or PickleEOFError) for a truncated or
 *   malformed pickle, as the Unpickler reports it.
 */
export function unpickleBytes(bytes: Uint8Array | null, options: StreamLoadOptions | undefined): unknown {
  if (bytes === null) throw new PickleEOFError("Ran out of input");
  const Cls = options?.unpicklerClass ?? Unpickler;
  return new Cls(bytes, options).load();
}

/** `unpickleBytes` over a bytes-like input (as `loads`): empty input is `EOFError`. */
export function unpickleBytesLike(input: BytesLike, options: StreamLoadOptions | undefined): unknown {
  const bytes = asBytes(input);
  return unpickleBytes(bytes.length === 0 ? null : bytes, options);
}
