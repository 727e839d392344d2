/**
 * The payload of LONG1/LONG4: an int as little-endian two's complement in the fewest bytes
 * that keep its sign, as CPython's `encode_long` (0 is zero bytes, 255 is `ff 00`, -128 is `80`,
 * -256 is `00 ff`). Converted through hex text, which V8 produces in linear time (shifting a
 * bigint 64 bits at a time is quadratic in its size).
 */

/**
 * The hex digits LONG bytes are made from: of `n` when `n >= 0`, else of `-n - 1`, whose bytes
 * inverted are `n`'s two's complement.
 */
export function longHex(n: bigint): string {
  return (n < 0n ? -n - 1n : n).toString(16);
}

/** Bytes `longHexInto` may write for `hex`: one per two digits, plus a sign byte. */
export function longHexRoom(hex: string): number {
  return (hex.length >> 1) + 2;
}

/** Value of one hex digit's char code (0-9, a-f: what `toString(16)` writes). */
function nibble(c: number): number {
  return c <= 0x39 ? c - 0x30 : c - 0x57;
}

/**
 * Writes the LONG payload of the int that `longHex` gave `hex` for (`neg`: the int is
 * negative) at `pos`, room `longHexRoom(hex)`; returns its size.
 */
export function longHexInto(hex: string, neg: boolean, buf: Uint8Array, pos: number): number {
  let len = hex.length;
  if (len === 1 && hex === "0") {
    // 0 is no bytes; -1 (hex of 0 inverted) is one 0xff.
    if (!neg) return 0;
    buf[pos] = 0xff;
    return 1;
  }
  const mask = neg ? 0xff : 0;
  let q = pos;
  // Least significant byte first: pairs of digits from the end.
  while (len >= 2) {
    buf[q++] = ((nibble(hex.charCodeAt(len - 2)) << 4) | nibble(hex.charCodeAt(len - 1))) ^ mask;
    len -= 2;
  }
  if (len === 1) buf[q++] = nibble(hex.charCodeAt(0)) ^ mask;
  // A top byte with its high bit set would read as the other sign: add a sign byte.
  if (((buf[q - 1]! ^ mask) & 0x80) !== 0) buf[q++] = mask;
  return q - pos;
}

/** Bytes of `n` as LONG1/LONG4 want them (a new array; the encoder writes in place instead). */
export function longBytes(n: bigint): Uint8Array {
  const hex = longHex(n);
  const buf = new Uint8Array(longHexRoom(hex));
  return buf.slice(0, longHexInto(hex, n < 0n, buf, 0));
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

/** Room `integralLongBytesInto` needs: 128 zero bytes at most (2**1024 / 2**60), then 8. */
export const INTEGRAL_LONG_ROOM = 136;

/** Reads a double's exponent (big-endian: sign and exponent lead). */
const bits = new DataView(new ArrayBuffer(8));
/** `2 ** (-8 * z)` for every whole-byte scaling a finite double can need (exact halvings). */
const BYTE_SCALES = new Float64Array(128);
BYTE_SCALES[0] = 1;
for (let z = 1; z < 128; z++) BYTE_SCALES[z] = BYTE_SCALES[z - 1]! / 256;

/**
 * LONG payload of a finite integral double of magnitude 2**53 or more (an int in the natural
 * model) without a bigint. Such a double is `m * 2**e` with `2**52 <= m < 2**53`: its low
 * `e` bits are zero, so `(e >> 3)` whole zero bytes come first, and the value scaled down by
 * them (an exact power-of-two scaling, under 2**61) is written by `safeLongBytesInto`; the low
 * zero bytes of a negative int stay zero in two's complement. Returns the byte count.
 */
export function integralLongBytesInto(x: number, buf: Uint8Array, pos: number): number {
  const a = x < 0 ? -x : x;
  bits.setFloat64(0, a);
  const e = ((bits.getUint16(0) >>> 4) & 0x7ff) - 1023 - 52;
  const zeros = e >> 3;
  const scaled = a * BYTE_SCALES[zeros]!;
  for (let i = 0; i < zeros; i++) buf[pos + i] = 0;
  return zeros + safeLongBytesInto(x < 0 ? -scaled : scaled, buf, pos + zeros);
}

/**
 * LONG payload of a bigint under 2**512 in magnitude, written 64 bits at a time (the
 * hex route's string costs more for such ints); returns the byte count, or -1 when `n` is
 * larger (the caller then goes through `longHex`). Room: 65 bytes.
 */
export function smallLongBytesInto(n: bigint, view: DataView, buf: Uint8Array, pos: number): number {
  let q = pos;
  let rest = n;
  for (let k = 0; k < 8; k++) {
    // setBigUint64 takes its argument modulo 2**64 itself: no BigInt.asUintN allocation.
    view.setBigUint64(q, rest, true);
    q += 8;
    rest >>= 64n;
    if (rest === 0n || rest === -1n) {
      const neg = rest !== 0n;
      const fill = neg ? 0xff : 0;
      // Trim redundant sign bytes; when the top byte's high bit disagrees, one sign byte stays.
      buf[q] = fill;
      let size = q + 1 - pos;
      while (size > 1 && buf[pos + size - 1] === fill && ((buf[pos + size - 2]! & 0x80) !== 0) === neg)
        size--;
      return size;
    }
  }
  return -1;
}
