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
  const v = new Uint32Array(8);
  init(v, ZERO_KEY);
  bytesInto(v, data);
  finish(v);
  const rh = (v[V0]! ^ v[V1]! ^ v[V2]! ^ v[V3]!) >>> 0;
  const rl = (v[V0 + 1]! ^ v[V1 + 1]! ^ v[V2 + 1]! ^ v[V3 + 1]!) >>> 0;
  return BigInt.asIntN(64, (BigInt(rh) << 32n) | BigInt(rl));
}

const ZERO_KEY = new Uint32Array(4);

/** v = "somepseudorandomlygeneratedbytes" xor the key (k0 = key[0..1], k1 = key[2..3] as hi, lo). */
function init(v: Uint32Array, key: Uint32Array): void {
  v[V0] = 0x736f6d65 ^ key[0]!;
  v[V0 + 1] = 0x70736575 ^ key[1]!;
  v[V1] = 0x646f7261 ^ key[2]!;
  v[V1 + 1] = 0x6e646f6d ^ key[3]!;
  v[V2] = 0x6c796765 ^ key[0]!;
  v[V2 + 1] = 0x6e657261 ^ key[1]!;
  v[V3] = 0x74656462 ^ key[2]!;
  v[V3 + 1] = 0x79746573 ^ key[3]!;
}

/** The blocks of `data`, then the last block with the length's low byte in its top byte. */
function bytesInto(v: Uint32Array, data: Uint8Array): void {
  const n = data.length;
  const full = n - (n & 7);
  let i = 0;
  for (; i < full; i += 8) {
    const lo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    const hi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    compress(v, hi, lo);
  }
  let lo = 0;
  let hi = ((n & 0xff) << 24) >>> 0;
  for (let k = 0; i + k < n; k++) {
    const byte = data[i + k]!;
    if (k < 4) lo = (lo | (byte << (8 * k))) >>> 0;
    else hi = (hi | (byte << (8 * (k - 4)))) >>> 0;
  }
  compress(v, hi, lo);
}

function finish(v: Uint32Array): void {
  v[V2 + 1] = (v[V2 + 1]! ^ 0xff) >>> 0;
  singleRound(v);
  singleRound(v);
  singleRound(v);
}

function fold32(v: Uint32Array): number {
  return (v[V0]! ^ v[V1]! ^ v[V2]! ^ v[V3]! ^ v[V0 + 1]! ^ v[V1 + 1]! ^ v[V2 + 1]! ^ v[V3 + 1]!) | 0;
}

/**
 * Keyed SipHash-1-3 folded to 32 bits, for lookup hashing (never for `pyHash`): with a secret
 * key nobody outside the process can choose inputs that collide. One scratch state, reused:
 * hashing calls no user code, so calls never interleave.
 */
const scratch = new Uint32Array(8);

/** Keyed hash of bytes. */
export function sipBytes32(key: Uint32Array, data: Uint8Array, tag: number): number {
  init(scratch, key);
  compress(scratch, tag >>> 0, 0);
  bytesInto(scratch, data);
  finish(scratch);
  return fold32(scratch);
}

/** Keyed hash of a string's UTF-16 code units (four per 64-bit block) and its length. */
export function sipString32(key: Uint32Array, s: string, tag: number): number {
  const v = scratch;
  init(v, key);
  compress(v, tag >>> 0, s.length >>> 0);
  const n = s.length;
  const full = n - (n & 3);
  let i = 0;
  for (; i < full; i += 4) {
    compress(
      v,
      (s.charCodeAt(i + 2) | (s.charCodeAt(i + 3) << 16)) >>> 0,
      (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)) >>> 0,
    );
  }
  let lo = 0;
  let hi = 0x80000000;
  for (let k = 0; i + k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (k < 2) lo = (lo | (c << (16 * k))) >>> 0;
    else hi = (hi | c) >>> 0;
  }
  compress(v, hi, lo);
  finish(v);
  return fold32(v);
}

/** Keyed hash of one 64-bit word (hi, lo) under a type tag. */
export function sipWord32(key: Uint32Array, tag: number, hi: number, lo: number): number {
  const v = scratch;
  init(v, key);
  compress(v, tag >>> 0, 0);
  compress(v, hi >>> 0, lo >>> 0);
  finish(v);
  return fold32(v);
}
