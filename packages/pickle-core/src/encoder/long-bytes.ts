/**
 * The payload of LONG1/LONG4: an int as little-endian two's complement in the fewest bytes
 * that keep its sign, as CPython's `encode_long` (0 is zero bytes, 255 is `ff 00`, -128 is `80`,
 * -256 is `00 ff`).
 */

/** Bytes of `n` (a safe integer outside int32, or any bigint) as LONG1/LONG4 want them. */
export function longBytes(n: bigint): Uint8Array {
  if (n === 0n) return new Uint8Array(0);
  // Bit length of the magnitude (for negatives, of |n| - 1, the two's complement bits).
  const neg = n < 0n;
  const mag = neg ? -n - 1n : n;
  const bits = mag === 0n ? 0 : mag.toString(2).length;
  // One sign bit on top: bits + 1 rounded up to bytes.
  const size = (bits >> 3) + 1;
  const out = new Uint8Array(size);
  let v = neg ? (1n << BigInt(size * 8)) + n : n;
  let i = 0;
  // 32 bits at a time keeps the bigint operations few for large ints.
  while (i + 4 <= size) {
    const w = Number(v & 0xffffffffn);
    out[i] = w & 0xff;
    out[i + 1] = (w >>> 8) & 0xff;
    out[i + 2] = (w >>> 16) & 0xff;
    out[i + 3] = (w >>> 24) & 0xff;
    v >>= 32n;
    i += 4;
  }
  while (i < size) {
    out[i++] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * LONG1 payload of a safe integer (|n| <= 2**53 - 1) written into `buf` at `pos` without a
 * bigint (the caller leaves room for 8 bytes); returns the byte count.
 */
export function safeLongBytesInto(n: number, buf: Uint8Array, pos: number): number {
  // Two's complement over 64 bits, split in 32-bit halves (exact for safe integers).
  let lo: number;
  let hi: number;
  if (n >= 0) {
    lo = n % 0x100000000;
    hi = Math.floor(n / 0x100000000);
  } else {
    const m = -n;
    let mlo = m % 0x100000000;
    let mhi = Math.floor(m / 0x100000000);
    // Negate the 64-bit value: invert and add one.
    mlo = (~mlo >>> 0) + 1;
    mhi = ~mhi >>> 0;
    if (mlo > 0xffffffff) {
      mlo = 0;
      mhi = (mhi + 1) >>> 0;
    }
    lo = mlo;
    hi = mhi;
  }
  buf[pos] = lo & 0xff;
  buf[pos + 1] = (lo >>> 8) & 0xff;
  buf[pos + 2] = (lo >>> 16) & 0xff;
  buf[pos + 3] = lo >>> 24;
  buf[pos + 4] = hi & 0xff;
  buf[pos + 5] = (hi >>> 8) & 0xff;
  buf[pos + 6] = (hi >>> 16) & 0xff;
  buf[pos + 7] = hi >>> 24;
  // Trim redundant sign bytes: drop the top byte while the next one still carries the sign.
  const neg = n < 0;
  const fill = neg ? 0xff : 0;
  let size = 8;
  while (size > 1 && buf[pos + size - 1] === fill && ((buf[pos + size - 2]! & 0x80) !== 0) === neg) size--;
  return size;
}
