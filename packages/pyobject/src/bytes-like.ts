import { PyTypeError } from "./errors.js";
import { pyTypeName } from "./type-name.js";

/**
 * What the byte-taking functions accept, as Python's bytes-like objects: a Uint8Array (a Node
 * Buffer too), any other ArrayBufferView (typed array, DataView: its bytes) or an ArrayBuffer.
 */
export type BytesLike = ArrayBufferView | ArrayBuffer;

const toTag = Object.prototype.toString;

/** True for the inputs `asBytes` accepts. */
export function isBytesLike(input: unknown): input is BytesLike {
  return (
    input instanceof Uint8Array ||
    ArrayBuffer.isView(input) ||
    input instanceof ArrayBuffer ||
    // an ArrayBuffer from another realm (a worker, an iframe, vm) or a SharedArrayBuffer
    (typeof input === "object" &&
      input !== null &&
      (toTag.call(input) === "[object ArrayBuffer]" || toTag.call(input) === "[object SharedArrayBuffer]"))
  );
}

/**
 * The bytes of a bytes-like input as a Uint8Array over the same memory (no copy: a Uint8Array
 * is returned as is). Callers that keep or hand out bytes copy them.
 * @throws PyTypeError "a bytes-like object is required, not 'str'" (Python's words) for
 *   anything else.
 */
export function asBytes(input: unknown): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (isBytesLike(input)) return new Uint8Array(input as ArrayBuffer);
  throw new PyTypeError(`a bytes-like object is required, not '${bytesLikeTypeName(input)}'`);
}

/** Python's name for the type of a value that is not bytes-like (a JS integer reads as 'int'). */
function bytesLikeTypeName(v: unknown): string {
  if (typeof v === "number" && Number.isInteger(v)) return "int";
  return pyTypeName(v);
}
