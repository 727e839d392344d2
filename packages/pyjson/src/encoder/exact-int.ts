/**
 * The exact decimal digits of an integral double beyond 2**53 (Python's `int(x)` repr), without
 * BigInt: `BigInt(x).toString()` costs ~2.6 µs for a 1e300 (the `floats` workload spends most of
 * its time there). A double is m·2**e with m < 2**53; m is split as a·2**27 + b and multiplied by
 * a table of powers of two in base 10**7, so every product and sum stays exact below 2**53.
 */

const BASE = 10_000_000;
/** Largest binary exponent of an integral double's m·2**e (2**1023·(2 - 2**-52) = (2**53-1)·2**971), plus 27 for `a`. */
const MAX_POW = 971 + 27;

/** Limbs (base 10**7, least significant first) of 2**k for k = 0..MAX_POW: filled on first use. */
let powLimbs: Int32Array | undefined;
/** Where the limbs of 2**k start in powLimbs; powStart[k + 1] - powStart[k] is their count. */
const powStart = new Int32Array(MAX_POW + 2);

function powers(): Int32Array {
  if (powLimbs !== undefined) return powLimbs;
  const cur = new Float64Array(50);
  let n = 1;
  cur[0] = 1;
  const rows: number[] = [];
  for (let k = 0; k <= MAX_POW; k++) {
    powStart[k] = rows.length;
    for (let i = 0; i < n; i++) rows.push(cur[i]!);
    let carry = 0;
    for (let i = 0; i < n; i++) {
      const t = cur[i]! * 2 + carry;
      carry = t >= BASE ? 1 : 0;
      cur[i] = t - carry * BASE;
    }
    if (carry) cur[n++] = carry;
  }
  powStart[MAX_POW + 1] = rows.length;
  powLimbs = Int32Array.from(rows);
  return powLimbs;
}

/** "0000".."9999" as ASCII, four bytes each: filled on first use. */
let DIGITS4: Uint8Array | undefined;
function digits4(): Uint8Array {
  if (DIGITS4 === undefined) {
    const t = new Uint8Array(40000);
    for (let v = 0; v < 10000; v++) {
      t[4 * v] = 0x30 + ((v / 1000) | 0);
      t[4 * v + 1] = 0x30 + (((v / 100) | 0) % 10);
      t[4 * v + 2] = 0x30 + (((v / 10) | 0) % 10);
      t[4 * v + 3] = 0x30 + (v % 10);
    }
    DIGITS4 = t;
  }
  return DIGITS4;
}

const view = new DataView(new ArrayBuffer(8));
const limbs = new Float64Array(50);

/**
 * Writes the decimal digits of `x` (integral, finite, |x| >= 2**53) as ASCII into `buf` at `at`
 * (room for 310 bytes needed); returns the end.
 */
export function writeExactInt(x: number, buf: Uint8Array, at: number): number {
  const pow = powers();
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const e = ((hi >>> 20) & 0x7ff) - 1075;
  const m = ((hi & 0xfffff) | 0x100000) * 4294967296 + view.getUint32(4);
  const a = Math.floor(m / 134217728);
  const b = m - a * 134217728;
  const pa = powStart[e + 27]!;
  const na = powStart[e + 28]! - pa;
  const pb = powStart[e]!;
  const nb = powStart[e + 1]! - pb;
  // limbs = a·2**(e+27) + b·2**e, then carries: each product < 2**51, each carry < 2**28.
  let carry = 0;
  let n = 0;
  for (let i = 0; i < na; i++) {
    let t = a * pow[pa + i]! + carry;
    if (i < nb) t += b * pow[pb + i]!;
    let q = Math.floor(t / BASE);
    let r = t - q * BASE;
    if (r < 0) {
      q--;
      r += BASE;
    } else if (r >= BASE) {
      q++;
      r -= BASE;
    }
    limbs[n++] = r;
    carry = q;
  }
  while (carry > 0) {
    const q = Math.floor(carry / BASE);
    limbs[n++] = carry - q * BASE;
    carry = q;
  }
  while (n > 1 && limbs[n - 1] === 0) n--;
  let j = at;
  if (x < 0) buf[j++] = 0x2d;
  // The leading limb without zeros, then 7 digits per limb, four and three from the table.
  let top = limbs[n - 1]!;
  let digits = 1;
  for (let p = 10; p <= top; p *= 10) digits++;
  for (let d = digits - 1; d >= 0; d--) {
    const q = (top / 10) | 0;
    buf[j + d] = 0x30 + top - q * 10;
    top = q;
  }
  j += digits;
  const dig = digits4();
  for (let i = n - 2; i >= 0; i--) {
    const v = limbs[i]!;
    const h = (v / 10000) | 0;
    const l = 4 * (v - h * 10000);
    const h4 = 4 * h;
    buf[j] = dig[h4 + 1]!;
    buf[j + 1] = dig[h4 + 2]!;
    buf[j + 2] = dig[h4 + 3]!;
    buf[j + 3] = dig[l]!;
    buf[j + 4] = dig[l + 1]!;
    buf[j + 5] = dig[l + 2]!;
    buf[j + 6] = dig[l + 3]!;
    j += 7;
  }
  return j;
}
