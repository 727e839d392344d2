import { brandOf } from "./brand.js";
import type { PyComplex } from "./complex.js";

/**
 * Canonical form of a Python number for hash-table lookups: Python's `1 == 1.0 == True` and
 * `-0.0 == 0.0` become one JS Map key (SameValueZero). Safe integers and non-integral floats
 * are numbers; integers beyond 2**53 (from int or from an integral float) are bigints.
 * Returns `undefined` for a value that is not a number, and NaN for NaN (which the caller
 * must treat as equal to nothing).
 */
export function numericKey(v: unknown): number | bigint | undefined {
  switch (typeof v) {
    case "number":
      return Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v) : v;
    case "boolean":
      return v ? 1 : 0;
    case "bigint":
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  }
  if (brandOf(v) === "complex" && (v as PyComplex).imag === 0) return numericKey((v as PyComplex).real);
  return undefined;
}
