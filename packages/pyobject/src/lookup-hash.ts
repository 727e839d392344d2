import { brandOf } from "./brand.js";
import type { PyComplex } from "./complex.js";
import { PyTypeError, PyValueError } from "./errors.js";
import { callHashHook, PY_HASH, type PyHooks } from "./hooks.js";
import { numericKey } from "./numeric-key.js";
import type { PyFrozenSet } from "./set.js";
import { sipBytes32, sipString32, sipWord32 } from "./siphash.js";
import type { PyTuple } from "./tuple.js";
import { pyTypeName } from "./type-name.js";

/**
 * The per-process secret of lookup hashing (as CPython's hash secret, but never visible in
 * `pyHash`, which must stay CPython's value). Random when the platform has
 * `crypto.getRandomValues` (Node, browsers, Deno, Bun), else seeded from Math.random.
 */
const KEY = new Uint32Array(4);
{
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint32Array): unknown } }).crypto;
  if (typeof c?.getRandomValues === "function") c.getRandomValues(KEY);
  else for (let i = 0; i < 4; i++) KEY[i] = Math.floor(Math.random() * 0x100000000);
}
const K0 = KEY[0]! | 0;
const K1 = KEY[1]! | 0;

// Type tags keep values of different kinds apart (the str "1" and the int 1, bytes and str).
const TAG_FLOAT = 1;
const TAG_BIGINT = 2;
const TAG_STR = 3;
const TAG_BYTES = 4;
const TAG_COMPLEX = 5;
const TAG_GLOBAL = 6;
const TAG_IDENTITY = 7;
const TAG_HOOK = 8;

/** A keyed bijective mix of a 32-bit int (murmur3's finalizer around two key words). */
function mixInt(x: number): number {
  let h = x ^ K0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= (h >>> 16) ^ K1;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return h ^ (h >>> 16);
}

const f64 = new Float64Array(1);
const f64words = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function floatBitsHash(x: number, tag: number): number {
  f64[0] = x;
  return sipWord32(KEY, tag, f64words[LITTLE_ENDIAN ? 1 : 0]!, f64words[LITTLE_ENDIAN ? 0 : 1]!);
}

/**
 * Lookup hash of a canonical numeric key (see numeric-key.ts): equal numbers hash alike.
 * Integers in int32 range take a keyed integer mix; other numbers hash their float bits, big
 * integers all their digits (through their hex text, which V8 builds in linear time).
 */
export function numericHash(n: number | bigint): number {
  if (typeof n === "number") return (n | 0) === n ? mixInt(n) : floatBitsHash(n, TAG_FLOAT);
  return sipString32(KEY, n.toString(16), TAG_BIGINT);
}

/** Lookup hash of a str. */
export function strHash(s: string): number {
  return sipString32(KEY, s, TAG_STR);
}

/**
 * A fast 32-bit hash that agrees with Python equality, used only to place keys inside
 * PyDict/PySet (Python's own `hash()` is `pyHash`). Keyed with a per-process secret, so
 * values chosen to collide in one process do not collide in another, and every part of a
 * value is hashed (all digits of an int, every byte of bytes). Not stable across processes.
 * Tuples are hashed from their items' hashes, bottom up with an explicit stack, and a tuple
 * shared several times inside one key is hashed once, so deep keys and DAGs of shared tuples
 * take linear time. Throws Python's TypeError for unhashable values.
 */
export function lookupHash(v: unknown): number {
  if (brandOf(v) !== "tuple") return shallowHash(v);
  return tupleHash(v as PyTuple);
}

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;

/** One step of an xxHash-style accumulator over item hashes (as CPython's tuple hash). */
function accumulate(acc: number, h: number): number {
  acc = (acc + Math.imul(h, P2)) | 0;
  acc = (acc << 13) | (acc >>> 19);
  return Math.imul(acc, P1);
}

/** Post-order over nested tuples; a per-call memo (made at the first nested tuple) hashes a shared tuple once. */
function tupleHash(root: PyTuple): number {
  const tuples: PyTuple[] = [root];
  const next: number[] = [0];
  const accs: number[] = [K1 ^ root.items.length];
  let memo: Map<PyTuple, number> | undefined;
  let done = 0;
  for (;;) {
    const top = tuples.length - 1;
    const t = tuples[top]!;
    const i = next[top]!;
    if (i < t.items.length) {
      next[top] = i + 1;
      const item = t.items[i];
      if (brandOf(item) !== "tuple") {
        accs[top] = accumulate(accs[top]!, shallowHash(item));
        continue;
      }
      const child = item as PyTuple;
      // NaN marks a tuple whose hash is in progress: met again, it contains itself.
      memo ??= new Map([[root, Number.NaN]]);
      const known = memo.get(child);
      if (known !== undefined) {
        if (Number.isNaN(known)) throw new PyValueError("a tuple contains itself");
        accs[top] = accumulate(accs[top]!, known);
        continue;
      }
      memo.set(child, Number.NaN);
      tuples.push(child);
      next.push(0);
      accs.push(K1 ^ child.items.length);
      continue;
    }
    done = mixInt(accs[top]! ^ t.items.length);
    tuples.pop();
    next.pop();
    accs.pop();
    if (top === 0) return done;
    memo?.set(t, done);
    accs[top - 1] = accumulate(accs[top - 1]!, done);
  }
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function identityHash(o: object): number {
  let id = identities.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(o, id);
  }
  return sipWord32(KEY, TAG_IDENTITY, 0, id);
}

// A frozenset is immutable, so its hash is computed once. Caching also bounds the work of
// nested frozensets: each one's members were hashed when it was built.
const frozenSetHashes = new WeakMap<PyFrozenSet, number>();

/** Order-independent: a sum of mixed member hashes. */
function frozenSetHash(f: PyFrozenSet): number {
  let sum = frozenSetHashes.get(f);
  if (sum === undefined) {
    sum = K0 ^ 0x27d4eb2f;
    for (const e of f.values()) sum = (sum + mixInt(lookupHash(e))) | 0;
    frozenSetHashes.set(f, sum);
  }
  return sum;
}

/** Hash of one value that is not a tuple. */
function shallowHash(x: unknown): number {
  const n = numericKey(x);
  if (n !== undefined) return numericHash(n);
  switch (typeof x) {
    case "string":
      return strHash(x);
    case "function":
    case "symbol":
      throw new PyTypeError(`unhashable type: '${pyTypeName(x)}'`);
  }
  if (x === null || x === undefined) return 0x5bd1e995 ^ K0;
  if (x instanceof Uint8Array) return sipBytes32(KEY, x, TAG_BYTES);
  switch (brandOf(x)) {
    case "frozenset":
      return frozenSetHash(x as PyFrozenSet);
    case "complex": {
      const c = x as PyComplex;
      return accumulate(floatBitsHash(c.real, TAG_COMPLEX), floatBitsHash(c.imag, TAG_COMPLEX));
    }
    case "global": {
      const g = x as { module: string; name: string };
      return sipString32(KEY, `${g.module}\n${g.name}`, TAG_GLOBAL);
    }
    case "ellipsis":
      return 0x243f6a88 ^ K0;
    case "notimplemented":
      return 0x13198a2e ^ K0;
    case "instance":
      return identityHash(x as object);
    case undefined: {
      // A registered type's hash (see hooks.ts); PY_EQ without PY_HASH is unhashable.
      const hook = (x as PyHooks)[PY_HASH];
      if (typeof hook === "function") {
        const h = BigInt.asUintN(64, callHashHook(x as object, hook));
        return sipWord32(KEY, TAG_HOOK, Number(h >> 32n), Number(h & 0xffffffffn));
      }
      break;
    }
  }
  // Lists, dicts, sets, bytearrays and plain JS objects are mutable: unhashable, as in Python.
  throw new PyTypeError(`unhashable type: '${pyTypeName(x)}'`);
}
