import { BRAND, brandOf } from "./brand.js";

/** Python's `bytearray`: mutable bytes, distinct from immutable `bytes` (a plain Uint8Array). */
export class PyByteArray {
  declare readonly [BRAND]: "bytearray";
  bytes: Uint8Array;
  constructor(bytes: Uint8Array = new Uint8Array(0)) {
    this.bytes = bytes;
  }
  get length(): number {
    return this.bytes.length;
  }
}
Object.defineProperty(PyByteArray.prototype, BRAND, { value: "bytearray" });

export function isPyByteArray(v: unknown): v is PyByteArray {
  return brandOf(v) === "bytearray";
}
