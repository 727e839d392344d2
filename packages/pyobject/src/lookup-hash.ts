import { brandOf } from "./brand.js";
import type { PyComplex } from "./complex.js";
import { PyTypeError } from "./errors.js";
import { callHashHook, PY_HASH, type PyHooks } from "./hooks.js";
import { numericKey } from "./numeric-key.js";
import type { PyFrozenSet } from "./set.js";
import type { PyTuple } from "./tuple.js";
import { pyTypeName } from "./type-name.js";

/**
 * A fast 32-bit hash that agrees with Python equality, used only to bucket keys inside
 * PyDict/PySet (Python's own `hash()` is `pyHash`). Walks nested tuples with an explicit
 * stack, so deep keys do not overflow the JS stack. Throws Python's TypeError for
 * unhashable values.
 */
export function lookupHash(v: unknown): number {
  let h = 0x811c9dc5;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    h = Math.imul(h ^ shallowHash(x, stack), 0x01000193);
  }
  return h | 0;
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function identityHash(o: object): number {
  let id = identities.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(o, id);
  }
  return id;
}

function stringHash(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

const TUPLE_OPEN = 0x2f1a3b4c;

// A frozenset is immutable, so its hash is computed once. Caching also bounds the recursion
// of nested frozensets: each one's members were hashed when it was built.
const frozenSetHashes = new WeakMap<PyFrozenSet, number>();

/** Order-independent: a sum of member hashes. */
function frozenSetHash(f: PyFrozenSet): number {
  let sum = frozenSetHashes.get(f);
  if (sum === undefined) {
    sum = 0x27d4eb2f;
    for (const e of f.values()) sum = (sum + lookupHash(e)) | 0;
    frozenSetHashes.set(f, sum);
  }
  return sum;
}

/** Hash of one value; pushes a tuple's items onto `stack` instead of recursing. */
function shallowHash(x: unknown, stack: unknown[]): number {
  const n = numericKey(x);
  if (n !== undefined) return stringHash(String(n), 0x1234567);
  switch (typeof x) {
    case "string":
      return stringHash(x, 0x7654321);
    case "function":
    case "symbol":
      throw new PyTypeError(`unhashable type: '${pyTypeName(x)}'`);
  }
  if (x === null || x === undefined) return 0x5bd1e995;
  if (x instanceof Uint8Array) {
    let h = 0x3c6ef372;
    for (let i = 0; i < x.length; i++) h = Math.imul(h ^ x[i]!, 0x01000193);
    return h;
  }
  switch (brandOf(x)) {
    case "tuple": {
      const items = (x as PyTuple).items;
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
      return TUPLE_OPEN + items.length;
    }
    case "frozenset":
      return frozenSetHash(x as PyFrozenSet);
    case "complex": {
      const c = x as PyComplex;
      return stringHash(`${c.real}j${c.imag}`, 0x0bad5eed);
    }
    case "global": {
      const g = x as { module: string; name: string };
      return stringHash(`${g.module}\n${g.name}`, 0x6a09e667);
    }
    case "ellipsis":
      return 0x243f6a88;
    case "notimplemented":
      return 0x13198a2e;
    case "instance":
      return identityHash(x as object);
    case undefined: {
      // A registered type's hash (see hooks.ts); PY_EQ without PY_HASH is unhashable.
      const hook = (x as PyHooks)[PY_HASH];
      if (typeof hook === "function") return Number(BigInt.asIntN(32, callHashHook(x as object, hook)));
      break;
    }
    default:
      throw new PyTypeError(`unhashable type: '${pyTypeName(x)}'`);
  }
  if (Array.isArray(x) || x instanceof Map || x instanceof Set || typeof x === "object") {
    // Lists, dicts, sets and plain JS objects are mutable: unhashable, as in Python.
    throw new PyTypeError(`unhashable type: '${pyTypeName(x)}'`);
  }
  throw new PyTypeError(`unhashable type: '${pyTypeName(x)}'`);
}
