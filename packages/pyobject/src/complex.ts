import { BRAND, brandOf } from "./brand.js";

/** Python's `complex`: two doubles. */
export class PyComplex {
  declare readonly [BRAND]: "complex";
  constructor(
    readonly real: number,
    readonly imag: number,
  ) {}
}
Object.defineProperty(PyComplex.prototype, BRAND, { value: "complex" });

export function isPyComplex(v: unknown): v is PyComplex {
  return brandOf(v) === "complex";
}
