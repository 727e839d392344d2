/**
 * The payload of LONG1/LONG4: an int as little-endian two's complement in the fewest bytes
 * that keep its sign, as CPython's `encode_long` (0 is zero bytes, 255 is `ff 00`, -128 is `80`,
 * -256 is `00 ff`).
 */

/** Bytes of `n` as LONG1/LONG4 want them (a new array; the encoder writes in place instead). */
export function longBytes(n: bigint): Uint8Array {
  const buf = new Uint8Array(longBytesRoom(n));
  const size = longBytesInto(n, new DataView(buf.buffer), buf, 0);
  return buf.slice(0, size);
}

/** Bytes `longBytesInto` may write for `n` before trimming: whole 64-bit words plus one. */
export function longBytesRoom(n: bigint): number {
  // Words of the two's complement magnitude (|n| - 1 for negatives), counted without strings.
  let m = n < 0n ? -n - 1n : n;
  let words = 1;
  while (m > 0xffffffffffffffffn) {
    m >>= 64n;
    words++;
  }
  return words * 8 + 8;
}

/**
 * Writes the LONG payload of `n` at `pos` (room: `longBytesRoom(n)`); returns its size. 64-bit
 * chunks through DataView: arithmetic shifts of a negative bigint give its two's complement.
 */
export function longBytesInto(n: bigint, view: DataView, buf: Uint8Array, pos: number): number {
  if (n === 0n) return 0;
  const room = longBytesRoom(n);
  for (let off = 0; off < room; off += 8) {
    view.setBigUint64(pos + off, BigInt.asUintN(64, off === 0 ? n : n >> BigInt(off * 8)), true);
  }
  const neg = n < 0n;
  const fill = neg ? 0xff : 0;
  let size = room;
  while (size > 1 && buf[pos + size - 1] === fill && ((buf[pos + size - 2]! & 0x80) !== 0) === neg) size--;
  return size;
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
