/**
 * Python's `fractions.Fraction` as bigint numerator/denominator in lowest terms (denominator
 * positive). CPython 3.11 pickles it as `Fraction(numerator, denominator)`; older versions
 * wrote `Fraction('n/d')`, which loads too.
 */
import { PY_EQ, PY_HASH, PY_REPR, PY_TYPE_NAME, PyTypeError, PyValueError } from "@x/pyobject";
import type { ClassRegistration, ReduceValue } from "../registry.js";
import { PyDecimal } from "./decimal.js";
import { asBigInt, floatRational, gcd, rationalHash } from "./hash-math.js";

const FRACTION_RE = /^([-+]?)(?=\d|\.\d)(\d*)(?:(?:\/(\d+))|(?:\.(\d*))?(?:e([-+]?\d+))?)$/i;

/** Python's `fractions.Fraction`: an exact rational, immutable. */
export class PyFraction {
  readonly numerator: bigint;
  readonly denominator: bigint;

  /**
   * `Fraction(numerator, denominator)`, normalised to lowest terms with a positive denominator.
   * @throws PyValueError when the denominator is zero (CPython: ZeroDivisionError).
   */
  constructor(numerator: bigint | number, denominator: bigint | number = 1n) {
    const n = asBigInt(numerator);
    const d = asBigInt(denominator);
    if (n === undefined || d === undefined)
      throw new PyTypeError("both arguments should be Rational instances");
    if (d === 0n) throw new PyValueError(`Fraction(${n}, 0)`);
    const g = gcd(n, d) * (d < 0n ? -1n : 1n);
    this.numerator = n / g;
    this.denominator = d / g;
  }

  /**
   * Parses `Fraction(str)`: `"3/4"`, `"-1.25"`, `"1e-3"` (surrounding whitespace allowed).
   * @throws PyValueError for other text.
   */
  static parse(text: string): PyFraction {
    const m = FRACTION_RE.exec(text.trim().replace(/(?<=\d)_(?=\d)/g, ""));
    if (m === null) throw new PyValueError(`Invalid literal for Fraction: ${JSON.stringify(text)}`);
    const sign = m[1] === "-" ? -1n : 1n;
    if (m[3] !== undefined) return new PyFraction(sign * BigInt(m[2] || "0"), BigInt(m[3]));
    const frac = m[4] ?? "";
    let num = BigInt((m[2] ?? "") + frac || "0");
    let den = 10n ** BigInt(frac.length);
    const exp = BigInt(m[5] ?? "0");
    // CPython would compute 10**exp; an untrusted exponent must not size an allocation here.
    if (exp > 100_000n || exp < -100_000n) throw new PyValueError("Fraction exponent is too large");
    if (exp >= 0n) num *= 10n ** exp;
    else den *= 10n ** -exp;
    return new PyFraction(sign * num, den);
  }

  /** The exact value of a finite double, as `Fraction(float)`. */
  static fromFloat(x: number): PyFraction {
    if (!Number.isFinite(x)) throw new PyValueError(`cannot convert ${x} to integer ratio`);
    const [n, d] = floatRational(x);
    return new PyFraction(n, d);
  }

  /** The nearest JS number. */
  toNumber(): number {
    const n = this.numerator;
    const d = this.denominator;
    if (Number.isSafeInteger(Number(n)) && Number.isSafeInteger(Number(d))) return Number(n) / Number(d);
    // Scale so the quotient keeps 64 significant bits before the final rounding.
    const shift = BigInt(Math.max(0, 64 - (n < 0n ? -n : n).toString(2).length + d.toString(2).length));
    return Number((n << shift) / d) / 2 ** Number(shift);
  }

  toString(): string {
    return this.denominator === 1n ? `${this.numerator}` : `${this.numerator}/${this.denominator}`;
  }

  [PY_EQ](other: unknown): boolean | undefined {
    if (other instanceof PyFraction) {
      return other.numerator === this.numerator && other.denominator === this.denominator;
    }
    if (other instanceof PyDecimal) return other.equalsRational(this.numerator, this.denominator);
    if (typeof other === "number") {
      if (!Number.isFinite(other)) return false;
      const [n, d] = floatRational(other);
      return n === this.numerator && d === this.denominator;
    }
    const n = asBigInt(other);
    if (n === undefined) return undefined;
    return this.denominator === 1n && this.numerator === n;
  }

  /** CPython's `Fraction.__hash__` (equal to the hash of an equal int, float or Decimal). */
  [PY_HASH](): bigint {
    return rationalHash(this.numerator, this.denominator);
  }

  [PY_REPR](): string {
    return `Fraction(${this.numerator}, ${this.denominator})`;
  }

  get [PY_TYPE_NAME](): string {
    return "Fraction";
  }
}

/** `fractions.Fraction`: `Fraction(numerator, denominator)`. */
export const FRACTION: ClassRegistration<PyFraction> = {
  module: "fractions",
  name: "Fraction",
  jsClass: PyFraction,
  reduce(f): ReduceValue {
    return [FRACTION, [f.numerator, f.denominator]];
  },
  call(args) {
    if (args.length > 2) throw new PyTypeError(`Fraction() takes at most 2 arguments (${args.length} given)`);
    const [a = 0n, b] = args;
    if (b === undefined) {
      if (typeof a === "string") return PyFraction.parse(a);
      if (a instanceof PyFraction) return a;
      if (typeof a === "number" && !Number.isInteger(a)) return PyFraction.fromFloat(a);
    }
    const n = asBigInt(a);
    const d = b === undefined ? 1n : asBigInt(b);
    if (n === undefined || d === undefined)
      throw new PyTypeError("both arguments should be Rational instances");
    return new PyFraction(n, d);
  },
};
