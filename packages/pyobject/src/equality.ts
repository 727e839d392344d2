import { brandOf } from "./brand.js";
import type { PyByteArray } from "./bytearray.js";
import type { PyComplex } from "./complex.js";
import type { PyDict } from "./dict.js";
import type { PyGlobal } from "./global.js";
import { type HashTable, TABLE } from "./hash-table.js";
import { enterWalk, isEqualPairs, leaveWalk, PY_EQ, type PyHooks } from "./hooks.js";
import { numericKey } from "./numeric-key.js";
import type { PyFrozenSet, PySet } from "./set.js";
import type { PyTuple } from "./tuple.js";

/**
 * Python's `==` over the faithful model: `1 == 1.0 == True`, `-0.0 == 0.0`, NaN equal to
 * nothing, `bytes == bytearray`, list vs tuple never equal, `set == frozenset` by content,
 * dicts by key/value regardless of order. An object is equal to itself without looking
 * inside, as CPython's `PyObject_RichCompareBool` (used by containers and dict lookups) decides,
 * so self-containing values compare. Registered types compare through their
 * `Symbol.for("@x/pyobject.eq")` hook (see hooks.ts): `x.__eq__(y)`, then `y.__eq__(x)`. Walks with
 * an explicit stack: 100,000 levels of nesting compare without a stack overflow.
 */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (walking === 0) return walkEquals(a, b);
  enterWalk("comparing objects");
  try {
    return walkEquals(a, b);
  } finally {
    leaveWalk();
  }
}

/** pyEquals calls in progress: a call made inside another (from a hook) is a nested walk. */
let walking = 0;

/**
 * Object pairs compared before pairs are remembered: past it a pair met again is skipped (its
 * children are already on the stack or compared), so cyclic values (`a = [a]` against
 * `b = [b]`) and DAGs compare in bounded time; small comparisons allocate nothing.
 */
const REMEMBER_AFTER = 10_000;

function walkEquals(a: unknown, b: unknown): boolean {
  const stack: unknown[] = [a, b];
  let objectPairs = 0;
  let seen: Map<object, Set<object>> | undefined;
  walking++;
  try {
    while (stack.length > 0) {
      const y = stack.pop();
      const x = stack.pop();
      if (x !== y && typeof x === "object" && x !== null && typeof y === "object" && y !== null) {
        if (++objectPairs > REMEMBER_AFTER) {
          seen ??= new Map();
          let ys = seen.get(x);
          if (ys === undefined) seen.set(x, (ys = new Set()));
          else if (ys.has(y)) continue;
          ys.add(y);
        }
      }
      if (!shallowEquals(x, y, stack)) return false;
    }
    return true;
  } finally {
    walking--;
  }
}

function bytesOf(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (brandOf(v) === "bytearray") return (v as PyByteArray).bytes;
  return undefined;
}

function bytesEqual(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * `a[PY_EQ](b)` when `a` has the hook; `undefined` for no hook or NotImplemented. A hook that
 * answers with pairs (equalPairs) has them pushed onto `stack` and counts as equal so far.
 */
function hookEquals(a: unknown, b: unknown, stack: unknown[]): boolean | undefined {
  if (a === null || typeof a !== "object") return undefined;
  const eq = (a as PyHooks)[PY_EQ];
  if (typeof eq !== "function") return undefined;
  const r = eq.call(a, b);
  if (r === undefined) return undefined;
  if (isEqualPairs(r)) {
    const pairs = r.pairs;
    for (let i = pairs.length - 2; i >= 0; i -= 2) stack.push(pairs[i], pairs[i + 1]);
    return true;
  }
  return r === true;
}

/**
 * The slot of `table` holding a key equal to `key`, or -1. With one candidate of the same hash
 * the pair goes onto `stack` (it must be equal for the whole to be), so nested keys compare
 * iteratively; several candidates are told apart with a nested pyEquals.
 */
function matchSlot(table: HashTable, key: unknown, stack: unknown[]): number {
  const slots = table.candidates(key);
  if (slots.length === 0) return -1;
  if (slots.length === 1) {
    const slot = slots[0]!;
    if (typeof key !== "string" && !isNumber(key)) stack.push(key, table.keys[slot]);
    return slot;
  }
  for (const slot of slots) if (pyEquals(table.keys[slot], key)) return slot;
  return -1;
}

function isNumber(v: unknown): boolean {
  return numericKey(v) !== undefined;
}

/** Compares one level; pushes pairs of children that must also be equal. */
function shallowEquals(x: unknown, y: unknown, stack: unknown[]): boolean {
  if (x === y) return typeof x !== "number" || !Number.isNaN(x);
  if (typeof x === "string" || typeof y === "string") return false;
  const nx = numericKey(x);
  if (nx !== undefined) {
    const ny = numericKey(y);
    if (ny !== undefined) return nx === ny; // NaN !== NaN
    return hookEquals(y, x, stack) ?? false;
  }
  if (x === null || x === undefined)
    return y === null || y === undefined || (hookEquals(y, x, stack) ?? false);
  if (typeof x !== "object") return false;
  if (y === null || typeof y !== "object") return hookEquals(x, y, stack) ?? false;
  const bx = bytesOf(x);
  if (bx !== undefined) {
    const by = bytesOf(y);
    return by !== undefined && bytesEqual(bx, by);
  }
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = x.length - 1; i >= 0; i--) stack.push(x[i], y[i]);
    return true;
  }
  const kx = brandOf(x);
  const ky = brandOf(y);
  if (kx === undefined || ky === undefined) {
    // Registered types (hooks.ts): x.__eq__(y), then the reflected y.__eq__(x), then identity.
    const r = hookEquals(x, y, stack);
    return r !== undefined ? r : (hookEquals(y, x, stack) ?? false);
  }
  switch (kx) {
    case "tuple": {
      if (ky !== "tuple") return false;
      const ix = (x as PyTuple).items;
      const iy = (y as PyTuple).items;
      if (ix.length !== iy.length) return false;
      for (let i = ix.length - 1; i >= 0; i--) stack.push(ix[i], iy[i]);
      return true;
    }
    case "dict": {
      if (ky !== "dict") return false;
      const dx = x as PyDict;
      const dy = y as PyDict;
      if (dx.size !== dy.size) return false;
      const ty = dy[TABLE];
      for (const [k, v] of dx) {
        const slot = matchSlot(ty, k, stack);
        if (slot < 0) return false;
        stack.push(v, ty.values[slot]);
      }
      return true;
    }
    case "set":
    case "frozenset": {
      if (ky !== "set" && ky !== "frozenset") return false;
      const sx = x as PySet | PyFrozenSet;
      const sy = y as PySet | PyFrozenSet;
      if (sx.size !== sy.size) return false;
      const ty = sy[TABLE];
      for (const e of sx) if (matchSlot(ty, e, stack) < 0) return false;
      return true;
    }
    case "complex": {
      if (ky !== "complex") return false;
      const cx = x as PyComplex;
      const cy = y as PyComplex;
      return cx.real === cy.real && cx.imag === cy.imag;
    }
    case "global": {
      if (ky !== "global") return false;
      const gx = x as PyGlobal;
      const gy = y as PyGlobal;
      return gx.module === gy.module && gx.name === gy.name;
    }
  }
  return false;
}
