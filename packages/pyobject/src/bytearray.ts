import { BRAND, brandOf } from "./brand.js";
import { asBytes, type BytesLike } from "./bytes-like.js";

/**
 * Python's `bytearray`: mutable bytes, distinct from immutable `bytes` (a plain Uint8Array).
 * It holds the given memory (no copy); an ArrayBuffer or another view is viewed as bytes.
 */
export class PyByteArray {
  declare readonly [BRAND]: "bytearray";
  bytes: Uint8Array;
  /** @throws PyTypeError for an argument that is not bytes-like. */
  constructor(bytes: BytesLike = new Uint8Array(0)) {
    this.bytes = asBytes(bytes);
  }
  get length(): number {
    return this.bytes.length;
  }
}
Object.defineProperty(PyByteArray.prototype, BRAND, { value: "bytearray" });

export function isPyByteArray(v: unknown): v is PyByteArray {
  return brandOf(v) === "bytearray";
}
