/**
 * SipHash-1-3 with a zero key: CPython 3.11's str/bytes hash when PYTHONHASHSEED=0 (the
 * secret is all zero bytes then). 64-bit lanes are kept as pairs of uint32 locals so no
 * BigInt work happens per block; only the final result becomes a bigint.
 */

// State: v0..v3 as [hi, lo] pairs in one scratch array per call.
function rotl(v: Uint32Array, i: number, s: number): void {
  let hi = v[i]!;
  let lo = v[i + 1]!;
  if (s >= 32) {
    const t = hi;
    hi = lo;
    lo = t;
    s -= 32;
  }
  if (s > 0) {
    const nh = ((hi << s) | (lo >>> (32 - s))) >>> 0;
    lo = ((lo << s) | (hi >>> (32 - s))) >>> 0;
    hi = nh;
  }
  v[i] = hi;
  v[i + 1] = lo;
}

/** v[a] += v[b] (mod 2**64). */
function add(v: Uint32Array, a: number, b: number): void {
  const lo = v[a + 1]! + v[b + 1]!;
  v[a + 1] = lo >>> 0;
  v[a] = (v[a]! + v[b]! + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

function xorInto(v: Uint32Array, a: number, b: number): void {
  v[a] = (v[a]! ^ v[b]!) >>> 0;
  v[a + 1] = (v[a + 1]! ^ v[b + 1]!) >>> 0;
}

// Offsets of v0..v3 in the scratch array.
const V0 = 0;
const V1 = 2;
const V2 = 4;
const V3 = 6;

/** CPython's HALF_ROUND(a, b, c, d, s, t). */
function halfRound(v: Uint32Array, a: number, b: number, c: number, d: number, s: number, t: number): void {
  add(v, a, b);
  add(v, c, d);
  rotl(v, b, s);
  xorInto(v, b, a);
  rotl(v, d, t);
  xorInto(v, d, c);
  rotl(v, a, 32);
}

function singleRound(v: Uint32Array): void {
  halfRound(v, V0, V1, V2, V3, 13, 16);
  halfRound(v, V2, V1, V0, V3, 17, 21);
}

/** Mixes the 64-bit little-endian word (hi, lo) in: v3 ^= m; round; v0 ^= m. */
function compress(v: Uint32Array, hi: number, lo: number): void {
  v[V3] = (v[V3]! ^ hi) >>> 0;
  v[V3 + 1] = (v[V3 + 1]! ^ lo) >>> 0;
  singleRound(v);
  v[V0] = (v[V0]! ^ hi) >>> 0;
  v[V0 + 1] = (v[V0 + 1]! ^ lo) >>> 0;
}

/** SipHash-1-3 of `data` with key (0, 0), as a signed 64-bit bigint (CPython's Py_hash_t). */
export function siphash13(data: Uint8Array): bigint {
  // "somepseudorandomlygeneratedbytes" xor a zero key
  const v = new Uint32Array([
    0x736f6d65, 0x70736575, 0x646f7261, 0x6e646f6d, 0x6c796765, 0x6e657261, 0x74656462, 0x79746573,
  ]);
  const n = data.length;
  const full = n - (n & 7);
  let i = 0;
  for (; i < full; i += 8) {
    const lo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    const hi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    compress(v, hi, lo);
  }
  // Last block: the remaining bytes, with the length's low byte in the top byte.
  let lo = 0;
  let hi = ((n & 0xff) << 24) >>> 0;
  for (let k = 0; i + k < n; k++) {
    const byte = data[i + k]!;
    if (k < 4) lo = (lo | (byte << (8 * k))) >>> 0;
    else hi = (hi | (byte << (8 * (k - 4)))) >>> 0;
  }
  compress(v, hi, lo);
  v[V2 + 1] = (v[V2 + 1]! ^ 0xff) >>> 0;
  singleRound(v);
  singleRound(v);
  singleRound(v);
  const rh = (v[V0]! ^ v[V1]! ^ v[V2]! ^ v[V3]!) >>> 0;
  const rl = (v[V0 + 1]! ^ v[V1 + 1]! ^ v[V2 + 1]! ^ v[V3 + 1]!) >>> 0;
  return BigInt.asIntN(64, (BigInt(rh) << 32n) | BigInt(rl));
}
