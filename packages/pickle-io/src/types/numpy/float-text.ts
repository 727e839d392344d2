/**
 * numpy's float text (its Dragon4 modes) for float16/32/64: the shortest digits that read back
 * as the same value of that width, optionally cut at a number of fractional digits (rounding
 * the exact binary value, ties to even, as Dragon4 does).
 */

/** Rounds a number to the nearest float16 (ties to even), returned as a double. */
export function fround16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  // Spacing of float16 values around a: 2^(e-10) for normals, 2^-24 for subnormals.
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  let ulp = 2 ** (e - 10);
  if (a / ulp >= 2048) ulp *= 2; // log2 rounding at a power of two
  const q = a / ulp;
  let r = Math.round(q);
  if (Math.abs(q - Math.trunc(q) - 0.5) < 1e-12 && r % 2 === 1) r -= 1; // ties to even
  return Math.sign(x) * r * ulp;
}

/** The value read back at the float's width. */
function roundTo(width: number, x: number): number {
  return width === 8 ? x : width === 4 ? Math.fround(x) : fround16(x);
}

/** Decimal digits (no leading zeros) and exponent of the first: value = 0.d1d2... × 10^(exp+1). */
interface Digits {
  digits: string;
  exp: number;
}

function parseExponential(s: string): Digits {
  const [m = "", e = "0"] = s.split("e");
  const digits = m.replace("-", "").replace(".", "").replace(/0+$/, "") || "0";
  return { digits, exp: Number(e) };
}

/**
 * |a| (finite, non-zero) rounded to `sig` significant digits, ties to even, from its exact
 * expansion (toExponential(100) is exact that far for the values printed here).
 */
function roundSig(a: number, sig: number): Digits {
  const long = parseExact(a);
  if (sig <= 0) {
    if (sig < 0) return { digits: "0", exp: 0 };
    const tie = long.digits[0] === "5" && /^0*$/.test(long.digits.slice(1));
    return long.digits[0]! >= "5" && !tie ? { digits: "1", exp: long.exp + 1 } : { digits: "0", exp: 0 };
  }
  const head = long.digits.slice(0, sig).padEnd(sig, "0");
  const rest = long.digits.slice(sig);
  const first = rest[0] ?? "0";
  const tie = first === "5" && /^0*$/.test(rest.slice(1));
  const up = first > "5" || (first === "5" && !tie) || (tie && Number(head[head.length - 1]) % 2 === 1);
  if (!up) return { digits: head.replace(/0+$/, "") || "0", exp: long.exp };
  const n = [...head].map(Number);
  let i = n.length - 1;
  while (i >= 0 && n[i] === 9) n[i--] = 0;
  if (i < 0) return { digits: "1", exp: long.exp + 1 };
  n[i] = (n[i] ?? 0) + 1;
  return { digits: n.join("").replace(/0+$/, ""), exp: long.exp };
}

/** The exact decimal digits of |a| (up to 101 significant) and the exponent of the first. */
function parseExact(a: number): { digits: string; exp: number } {
  const [m = "", e = "0"] = Math.abs(a).toExponential(100).split("e");
  return { digits: m.replace(".", ""), exp: Number(e) };
}

/** The shortest digits of |x| that round-trip at `width` bytes (x finite and non-zero). */
export function shortestDigits(x: number, width: number): Digits {
  const a = Math.abs(x);
  if (width === 8) return parseExponential(a.toExponential());
  for (let p = 1; p < 18; p++) {
    const d = roundSig(a, p);
    if (roundTo(width, Number(`${d.digits[0]}.${d.digits.slice(1) || "0"}e${d.exp}`)) === a) return d;
  }
  return parseExponential(a.toExponential());
}

/** |x| rounded to `places` fractional digits, ties to even (Dragon4's rounding of the exact value). */
function fixedDigits(a: number, places: number): Digits {
  return roundSig(a, parseExact(a).exp + 1 + places);
}

/** Digits of |x| in positional form: shortest, or cut at `precision` fractional digits. */
function positionalDigits(x: number, width: number, precision: number | null): Digits {
  const d = shortestDigits(x, width);
  const fracLen = d.digits.length - 1 - d.exp;
  if (precision === null || fracLen <= precision) return d;
  return fixedDigits(Math.abs(x), precision);
}

/**
 * Digits of |x| in scientific form: shortest, or cut at `precision` digits after the first;
 * `exact` prints `precision` digits of the exact value (Dragon4's min_digits).
 */
function scientificDigits(x: number, width: number, precision: number | null, exact: boolean): Digits {
  if (exact && precision !== null) return roundSig(Math.abs(x), precision + 1);
  const d = shortestDigits(x, width);
  if (precision === null || d.digits.length - 1 <= precision) return d;
  return roundSig(Math.abs(x), precision + 1);
}

/** Integer and fraction text of a positional number (fraction without trailing zeros). */
export function positionalParts(x: number, width: number, precision: number | null): [string, string] {
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return [`${sign}0`, ""];
  const { digits, exp } = positionalDigits(x, width, precision);
  if (digits === "0") return [`${sign}0`, ""];
  if (exp >= 0) {
    const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    return [sign + int, digits.slice(exp + 1)];
  }
  return [`${sign}0`, "0".repeat(-exp - 1) + digits];
}

/** Mantissa integer digit, fraction and exponent of a scientific number. */
export function scientificParts(
  x: number,
  width: number,
  precision: number | null,
  exact = false,
): [string, string, number] {
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return [`${sign}0`, "", 0];
  const { digits, exp } = scientificDigits(x, width, precision, exact);
  return [sign + digits[0], digits.slice(1), exp];
}

/** `e+05`-style exponent text, at least `digits` digits. */
export function exponentText(exp: number, digits: number): string {
  return `e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(digits, "0")}`;
}

/**
 * numpy 2's repr of a float scalar's value (`np.float32(0.1)` shows `0.1`): positional for 0
 * and 1e-4 <= |x| < cutoff (1e3, 1e6, 1e16 for float16/32/64), keeping one zero after the
 * point; else scientific with the point dropped when no digit follows.
 */
export function floatScalarText(x: number, width: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const a = Math.abs(x);
  const cutoff = width === 2 ? 1e3 : width === 4 ? 1e6 : 1e16;
  if (x === 0 || (a >= 1e-4 && a < cutoff)) {
    const [i, f] = positionalParts(x, width, null);
    return `${i}.${f || "0"}`;
  }
  const [i, f, e] = scientificParts(x, width, null);
  return `${i}${f ? `.${f}` : ""}${exponentText(e, 2)}`;
}
