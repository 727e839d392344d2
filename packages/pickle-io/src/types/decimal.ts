/**
 * Python's `decimal.Decimal` as an exact JS value: sign, coefficient digits and exponent (or
 * NaN/sNaN with their payload, or Infinity), so `-0`, `1.50` and `NaN123` survive a round trip.
 * CPython pickles a Decimal as `Decimal(str(d))`.
 */
import { PY_EQ, PY_HASH, PY_REPR, PY_TYPE_NAME, PyTypeError, PyValueError } from "@x/pyobject";
import type { ClassRegistration, ReduceValue } from "../registry.js";
import { asBigInt, floatRational, HASH_INF, HASH_MODULUS, modPow } from "./hash-math.js";

/** The kind of a Decimal: a finite number, an infinity, a quiet NaN or a signalling NaN. */
export type DecimalKind = "finite" | "infinity" | "nan" | "snan";

const DECIMAL_RE = /^([-+])?(?:(?=\d|\.\d)(\d*)(?:\.(\d*))?(?:e([-+]?\d+))?|(inf(?:inity)?)|(s)?nan(\d*))$/i;
const HASH_10INV = modPow(10n, HASH_MODULUS - 2n, HASH_MODULUS);

/** Removes PEP 515 underscores, which Python allows only between digits. */
function stripUnderscores(s: string): string | undefined {
  if (!s.includes("_")) return s;
  if (/(^|[^0-9])_|_($|[^0-9])/.test(s)) return undefined;
  return s.replace(/_/g, "");
}

/** Python's `decimal.Decimal`: exact, immutable. */
export class PyDecimal {
  /** 1 for a negative sign (also `-0` and `-NaN`), else 0. */
  readonly sign: 0 | 1;
  /** Coefficient digits without leading zeros ("0" for zero); a NaN's payload ("" for none). */
  readonly digits: string;
  /** Exponent of a finite number (value = ±digits × 10**exponent); 0n for the specials. */
  readonly exponent: bigint;
  readonly kind: DecimalKind;

  /**
   * Parses a number as `decimal.Decimal(str)` does (case-insensitive `Infinity`, `NaN`,
   * `sNaN`, exponents, underscores between digits, surrounding whitespace), or takes an int
   * (bigint or integral number).
   * @throws PyValueError for text that is not a decimal number ("Invalid literal for Decimal").
   */
  constructor(value: string | bigint | number) {
    if (typeof value !== "string") {
      const n = asBigInt(value);
      if (n === undefined) {
        throw new PyTypeError("PyDecimal: use PyDecimal.fromFloat for a non-integral number");
      }
      this.sign = n < 0n ? 1 : 0;
      this.digits = (n < 0n ? -n : n).toString();
      this.exponent = 0n;
      this.kind = "finite";
      return;
    }
    const text = stripUnderscores(value.trim());
    const m = text === undefined ? null : DECIMAL_RE.exec(text);
    if (m === null) throw new PyValueError(`Invalid literal for Decimal: ${JSON.stringify(value)}`);
    this.sign = m[1] === "-" ? 1 : 0;
    if (m[5] !== undefined) {
      this.kind = "infinity";
      this.digits = "0";
      this.exponent = 0n;
    } else if (m[7] !== undefined) {
      this.kind = m[6] !== undefined ? "snan" : "nan";
      this.digits = m[7].replace(/^0+/, "");
      this.exponent = 0n;
    } else {
      const intPart = m[2] ?? "";
      const frac = m[3] ?? "";
      this.kind = "finite";
      this.digits = (intPart + frac).replace(/^0+/, "") || "0";
      this.exponent = BigInt(m[4] ?? "0") - BigInt(frac.length);
    }
  }

  /** The exact Decimal of a double, as `Decimal(float)`. */
  static fromFloat(x: number): PyDecimal {
    if (Number.isNaN(x)) return new PyDecimal("NaN");
    if (!Number.isFinite(x)) return new PyDecimal(x > 0 ? "Infinity" : "-Infinity");
    const [num, den] = floatRational(x);
    // num / 2**k == num * 5**k / 10**k
    let k = 0n;
    while (1n << k < den) k++;
    const coef = num * 5n ** k;
    const neg = coef < 0n || (coef === 0n && Object.is(x, -0));
    return new PyDecimal(`${neg ? "-" : ""}${(coef < 0n ? -coef : coef).toString()}E-${k}`);
  }

  isFinite(): boolean {
    return this.kind === "finite";
  }

  isNaN(): boolean {
    return this.kind === "nan" || this.kind === "snan";
  }

  /** `str(d)`: CPython's scientific string (`1.5`, `-0`, `1E+3`, `0E-7`, `sNaN12`, `-Infinity`). */
  toString(): string {
    const sign = this.sign ? "-" : "";
    if (this.kind === "infinity") return `${sign}Infinity`;
    if (this.kind === "nan") return `${sign}NaN${this.digits}`;
    if (this.kind === "snan") return `${sign}sNaN${this.digits}`;
    const digits = this.digits;
    const n = BigInt(digits.length);
    const leftdigits = this.exponent + n;
    const dotplace = this.exponent <= 0n && leftdigits > -6n ? leftdigits : 1n;
    let intpart: string;
    let fracpart: string;
    if (dotplace <= 0n) {
      intpart = "0";
      fracpart = `.${"0".repeat(Number(-dotplace))}${digits}`;
    } else if (dotplace >= n) {
      intpart = digits + "0".repeat(Number(dotplace - n));
      fracpart = "";
    } else {
      intpart = digits.slice(0, Number(dotplace));
      fracpart = `.${digits.slice(Number(dotplace))}`;
    }
    const e = leftdigits - dotplace;
    const exp = e === 0n ? "" : `E${e > 0n ? "+" : "-"}${(e < 0n ? -e : e).toString()}`;
    return sign + intpart + fracpart + exp;
  }

  /** The nearest JS number (NaN for both NaNs). */
  toNumber(): number {
    if (this.isNaN()) return Number.NaN;
    return Number(this.toString());
  }

  /** `JSON.stringify` writes `str(d)` (a string: exact, where a JSON number would round). */
  toJSON(): string {
    return this.toString();
  }

  /** `str(d)` in template strings and `+`; the nearest number under a number hint (`+d`, `d * 2`). */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === "number" ? this.toNumber() : this.toString();
  }

  /** Coefficient without trailing zeros and the matching exponent; undefined for specials. */
  private normal(): [bigint, bigint] | undefined {
    if (this.kind !== "finite") return undefined;
    if (this.digits === "0") return [0n, 0n];
    const stripped = this.digits.replace(/0+$/, "");
    const c = BigInt(stripped);
    return [this.sign ? -c : c, this.exponent + BigInt(this.digits.length - stripped.length)];
  }

  /** Python's `==` with Decimal, int, float and (through its own hook) Fraction. */
  [PY_EQ](other: unknown): boolean | undefined {
    if (other instanceof PyDecimal) {
      if (this.isNaN() || other.isNaN()) return false;
      if (this.kind === "infinity" || other.kind === "infinity") {
        return this.kind === other.kind && this.sign === other.sign;
      }
      const [a, ea] = this.normal()!;
      const [b, eb] = other.normal()!;
      return a === b && (a === 0n || ea === eb);
    }
    if (typeof other === "number" && !Number.isFinite(other)) {
      return this.kind === "infinity" && other > 0 === (this.sign === 0);
    }
    const n = typeof other === "number" ? floatRational(other) : asBigInt(other);
    if (n === undefined) return undefined;
    const [num, den] = typeof n === "bigint" ? [n, 1n] : n;
    return this.equalsRational(num, den);
  }

  /** Whether this Decimal is exactly `num / den` (den > 0). */
  equalsRational(num: bigint, den: bigint): boolean {
    const norm = this.normal();
    if (norm === undefined) return false;
    const [c, e] = norm;
    if (c === 0n || num === 0n) return c === num;
    // A nonzero rational's decimal exponent is bounded by its size; beyond it they differ.
    const bound = BigInt(num.toString().length + den.toString().length + 2) * 4n;
    if (e > bound || -e > bound) return false;
    return e >= 0n ? c * 10n ** e * den === num : c * den === num * 10n ** -e;
  }

  /** CPython's `Decimal.__hash__`: equal numbers of any type hash alike. */
  [PY_HASH](): bigint {
    if (this.kind === "snan") throw new PyTypeError("Cannot hash a signaling NaN value.");
    if (this.kind === "nan") return 0n; // CPython hashes NaN by identity; NaN never compares equal
    if (this.kind === "infinity") return this.sign ? -HASH_INF : HASH_INF;
    const [c, e] = this.normal()!;
    const expHash = e >= 0n ? modPow(10n, e, HASH_MODULUS) : modPow(HASH_10INV, -e, HASH_MODULUS);
    const h = ((c < 0n ? -c : c) * expHash) % HASH_MODULUS;
    const r = c < 0n ? -h : h;
    return r === -1n ? -2n : r;
  }

  [PY_REPR](): string {
    return `Decimal('${this.toString()}')`;
  }

  get [PY_TYPE_NAME](): string {
    return "Decimal";
  }
}

/** `decimal.Decimal`: pickled as `Decimal(str(d))` at every protocol. */
export const DECIMAL: ClassRegistration<PyDecimal> = {
  module: "decimal",
  name: "Decimal",
  freshQualname: true,
  jsClass: PyDecimal,
  reduce(d): ReduceValue {
    return [DECIMAL, [d.toString()]];
  },
  call(args) {
    const v = args.length === 0 ? "0" : args[0];
    if (args.length > 2) throw new PyTypeError(`Decimal() takes at most 2 arguments (${args.length} given)`);
    if (typeof v === "string" || typeof v === "bigint") return new PyDecimal(v);
    if (typeof v === "number") return Number.isInteger(v) ? new PyDecimal(v) : PyDecimal.fromFloat(v);
    if (v instanceof PyDecimal) return v;
    throw new PyTypeError("conversion from this type to Decimal is not supported");
  },
};
