/**
 * CPython's numeric hash arithmetic (Python/pyhash.c, Objects/longobject.c): hashes of
 * rationals are reduced modulo the Mersenne prime 2**61 - 1, so equal numbers of different
 * types (int, float, Fraction, Decimal) hash alike.
 */

/** `sys.hash_info.modulus` on 64-bit builds. */
export const HASH_MODULUS = (1n << 61n) - 1n;
/** `sys.hash_info.inf`. */
export const HASH_INF = 314159n;

/** `pow(base, exp, mod)` for non-negative bigints. */
export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = ((base % mod) + mod) % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** CPython's hash of the rational `num / den` (den > 0), as `Fraction.__hash__`. */
export function rationalHash(num: bigint, den: bigint): bigint {
  const dinv = modPow(den, HASH_MODULUS - 2n, HASH_MODULUS);
  const abs = num < 0n ? -num : num;
  // den a multiple of the modulus has no inverse: CPython hashes it as infinity.
  const h = den % HASH_MODULUS === 0n ? HASH_INF : ((abs % HASH_MODULUS) * dinv) % HASH_MODULUS;
  const r = num >= 0n ? h : -h;
  return r === -1n ? -2n : r;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The exact value of a finite double as `[num, den]` (den a power of two, lowest terms). */
export function floatRational(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (hi >>> 31) mant = -mant;
  if (mant === 0n) return [0n, 1n];
  if (e >= 0) return [mant << BigInt(e), 1n];
  let den = 1n << BigInt(-e);
  while ((mant & 1n) === 0n && den > 1n) {
    mant >>= 1n;
    den >>= 1n;
  }
  return [mant, den];
}

/** `int` from a model value: bigint, integral number or bool; undefined otherwise. */
export function asBigInt(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  return undefined;
}

/** A Python int as a JS number when it is safe, else the bigint (the natural view of an int). */
export function naturalInt(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}
