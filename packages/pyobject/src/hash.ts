import { brandOf } from "./brand.js";
import type { PyComplex } from "./complex.js";
import { PyTypeError } from "./errors.js";
import type { PyGlobal } from "./global.js";
import { callHashHook, PY_HASH, type PyHooks } from "./hooks.js";
import type { PyFrozenSet } from "./set.js";
import { siphash13 } from "./siphash.js";
import type { PyTuple } from "./tuple.js";
import { pyTypeName } from "./type-name.js";

/** CPython's `_PyHASH_MODULUS`, the Mersenne prime 2**61 - 1 that numeric hashes reduce by. */
const MODULUS = (1n << 61n) - 1n;
const INF_HASH = 314159n;
const IMAG = 1000003n;
const XXPRIME_1 = 11400714785074694791n;
const XXPRIME_2 = 14029467366897019727n;
const XXPRIME_5 = 2870177450012600261n;
const U64 = (1n << 64n) - 1n;
/** CPython ≥ 3.12's constant `hash(None)` (3.11 hashes None by address, which has no counterpart). */
const NONE_HASH = 0xfca86420n;

const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const i64 = (x: bigint): bigint => BigInt.asIntN(64, x);
/** `-1` is CPython's error marker, so a hash of -1 becomes -2. */
const fixMinusOne = (h: bigint): bigint => (h === -1n ? -2n : h);

/** `hash(int)`: sign * (|n| mod 2**61-1), -1 mapped to -2. */
function intHash(n: bigint): bigint {
  const h = n < 0n ? -(-n % MODULUS) : n % MODULUS;
  return fixMinusOne(h);
}

const f64 = new Float64Array(1);
const f64words = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `hash(float)`: the float is the exact rational m * 2**e, hashed as m * 2**e mod 2**61-1
 * (2**-k is 2**(61 - k mod 61) there), so `hash(1.5) == hash(Fraction(3, 2))` and integral
 * floats hash like ints. NaN hashes to 0: CPython 3.11 hashes NaN by object address.
 */
function floatHash(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x === Infinity) return INF_HASH;
  if (x === -Infinity) return -INF_HASH;
  if (Number.isInteger(x)) {
    return intHash(BigInt(x));
  }
  f64[0] = x < 0 ? -x : x;
  const hi = f64words[LITTLE_ENDIAN ? 1 : 0]!;
  const lo = f64words[LITTLE_ENDIAN ? 0 : 1]!;
  const biased = hi >>> 20;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  // Non-integral: exp < 0, and 2**exp is 2**(61 - (-exp mod 61)) mod P.
  const shift = (61 - (-exp % 61)) % 61;
  let h = (mant << BigInt(shift)) % MODULUS;
  if (x < 0) h = -h;
  return fixMinusOne(h);
}

/** `hash(str)` under PYTHONHASHSEED=0: SipHash-1-3 over CPython's internal (latin-1, UCS-2 or UCS-4) bytes. */
function strHash(s: string): bigint {
  if (s.length === 0) return 0n;
  let max = 0;
  let codePoints = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (c > max) max = c;
    codePoints++;
  }
  const width = max <= 0xff ? 1 : max <= 0xffff ? 2 : 4;
  const bytes = new Uint8Array(codePoints * width);
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (width === 4 && c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    // Little-endian code units, as CPython stores them on the little-endian machines it is
    // compared with (the hash of the same str differs on big-endian CPython).
    bytes[o++] = c & 0xff;
    if (width >= 2) bytes[o++] = (c >>> 8) & 0xff;
    if (width === 4) {
      bytes[o++] = (c >>> 16) & 0xff;
      bytes[o++] = 0;
    }
  }
  return fixMinusOne(siphash13(bytes));
}

function bytesHash(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : fixMinusOne(siphash13(b));
}

/** `hash(complex)`: hash(real) + 1000003 * hash(imag), wrapped to 64 bits. */
function complexHash(c: PyComplex): bigint {
  return fixMinusOne(i64(u64(floatHash(c.real)) + IMAG * u64(floatHash(c.imag))));
}

const identities = new WeakMap<object, bigint>();
let nextIdentity = 1n;
/** A stable per-object number for values CPython hashes by address. */
function identityHash(o: object): bigint {
  let id = identities.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(o, id);
  }
  return id;
}

/** One tuple or frozenset being hashed: its members and how far the walk got. */
interface Frame {
  readonly tuple: boolean;
  readonly items: readonly unknown[];
  index: number;
  acc: bigint;
}

function frameOf(v: unknown): Frame | undefined {
  const b = brandOf(v);
  if (b === "tuple") return { tuple: true, items: (v as PyTuple).items, index: 0, acc: XXPRIME_5 };
  if (b === "frozenset") return { tuple: false, items: [...(v as PyFrozenSet).values()], index: 0, acc: 0n };
  return undefined;
}

/** `_shuffle_bits` of CPython's frozenset hash. */
const shuffle = (h: bigint): bigint => u64((h ^ 89869747n ^ u64(h << 16n)) * 3644798167n);

/** Adds a member's hash to a tuple or frozenset accumulator. */
function combine(f: Frame, h: bigint): void {
  if (f.tuple) {
    let acc = u64(f.acc + u64(h) * XXPRIME_2);
    acc = ((acc << 31n) | (acc >> 33n)) & U64;
    f.acc = u64(acc * XXPRIME_1);
  } else {
    f.acc ^= shuffle(u64(h));
  }
}

function finish(f: Frame): bigint {
  const n = BigInt(f.items.length);
  if (f.tuple) {
    const acc = u64(f.acc + (n ^ (XXPRIME_5 ^ 3527539n)));
    return acc === U64 ? 1546275796n : i64(acc);
  }
  let h = f.acc ^ u64((n + 1n) * 1927868237n);
  h ^= (h >> 11n) ^ (h >> 25n);
  h = u64(h * 69069n + 907133923n);
  return h === U64 ? 590923713n : i64(h);
}

/**
 * The hash of a value that is not a tuple or frozenset.
 * @throws {PyTypeError} for unhashable values.
 */
function leafHash(v: unknown): bigint {
  switch (typeof v) {
    case "bigint":
      return intHash(v);
    case "number":
      return floatHash(v);
    case "boolean":
      return v ? 1n : 0n;
    case "string":
      return strHash(v);
    case "undefined":
      return NONE_HASH;
    case "object":
      break;
    default:
      throw new PyTypeError(`unhashable type: '${pyTypeName(v)}'`);
  }
  if (v === null) return NONE_HASH;
  if (v instanceof Uint8Array) return bytesHash(v);
  switch (brandOf(v)) {
    case "complex":
      return complexHash(v as PyComplex);
    case "ellipsis":
      return strHash("Ellipsis");
    case "notimplemented":
      return strHash("NotImplemented");
    case "global": {
      // A class hashes by address in CPython; the model hashes it as (module, name).
      const g = v as PyGlobal;
      const f: Frame = { tuple: true, items: [g.module, g.name], index: 2, acc: XXPRIME_5 };
      combine(f, strHash(g.module));
      combine(f, strHash(g.name));
      return finish(f);
    }
    case "instance":
      return identityHash(v);
    case undefined: {
      // A registered type's __hash__; one with only PY_EQ is unhashable, as in Python.
      const hook = (v as PyHooks)[PY_HASH];
      if (typeof hook === "function") return fixMinusOne(i64(callHashHook(v, hook)));
    }
  }
  throw new PyTypeError(`unhashable type: '${pyTypeName(v)}'`);
}

/**
 * Python's `hash()` as CPython 3.11 computes it on a 64-bit machine: ints, floats, bools and
 * complex by the numeric hash mod 2**61-1 (so `hash(1) == hash(1.0) == hash(True)`), tuples by
 * the xxHash-based algorithm, frozensets by CPython's order-free mix, and str/bytes by
 * SipHash-1-3 with the key PYTHONHASHSEED=0 gives (other seeds are random per process).
 * Objects with a `Symbol.for("@x/pyobject.hash")` method hash to what it returns.
 *
 * CPython hashes some values by address; the model gives them a stable substitute instead:
 * NaN → 0, None → 0xfca86420 (CPython 3.12's constant), Ellipsis/NotImplemented → the hash of
 * their name, a PyGlobal → hash((module, name)), a PyInstance → a per-object counter.
 * Nested tuples are walked with an explicit stack (100,000 levels work).
 * @throws {PyTypeError} `unhashable type: 'list'` (dict, set, bytearray, Map, Set, plain
 * objects, functions, ...), as Python raises it.
 */
export function pyHash(value: unknown): bigint {
  let top = frameOf(value);
  if (top === undefined) return leafHash(value);
  const stack: Frame[] = [];
  for (;;) {
    if (top.index < top.items.length) {
      const item = top.items[top.index++];
      const child = frameOf(item);
      if (child !== undefined) {
        stack.push(top);
        top = child;
      } else {
        combine(top, leafHash(item));
      }
      continue;
    }
    const h = finish(top);
    const parent = stack.pop();
    if (parent === undefined) return h;
    combine(parent, h);
    top = parent;
  }
}
