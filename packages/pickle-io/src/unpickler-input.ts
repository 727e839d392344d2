import { asBytes, isBytesLike, PyTypeError } from "@x/pyobject";
import type { PickleSource } from "./unpickler.js";

/**
 * What an Unpickler reads: the bytes of a bytes-like input (Uint8Array, any ArrayBufferView,
 * ArrayBuffer), or a file-like source with `read`.
 * @throws PyTypeError "file must have 'read' and 'readline' attributes" (Python's words) otherwise.
 */
export function unpicklerInput(source: unknown): Uint8Array | PickleSource {
  if (isBytesLike(source)) return asBytes(source);
  if (typeof (source as Partial<PickleSource> | null)?.read === "function") return source as PickleSource;
  throw new PyTypeError("file must have 'read' and 'readline' attributes");
}
