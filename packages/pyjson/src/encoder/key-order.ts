import { isPyFrozenSet, isPyTuple, type PyFrozenSet, PyTypeError, pyEquals } from "@x/pyobject";
import { typeName } from "./scalars.js";

/**
 * `sort_keys`: Python sorts `dict.items()` with `list.sort`, so keys compare with Python's
 * `<` (code point order for str, exact mixed int/float order) and incomparable keys raise
 * the TypeError of the first failing comparison. When every key is a str, or every key a
 * number that is not NaN, the order is total and a native stable sort gives CPython's result.
 * Otherwise the comparisons follow CPython's list.sort step by step (run detection, then
 * binary insertion), which is exactly what CPython does for fewer than 64 keys.
 */

/** A surrogate or a BMP character above them: UTF-16 order and code point order may differ. */
const HIGH_UNITS = /[\ud800-\uffff]/;

/** Python's `a < b` for two str: code point order (UTF-16 order differs past U+D7FF). */
export function strLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if ((x >= 0xd800 && x < 0xe000) || (y >= 0xd800 && y < 0xe000)) {
        // Compare whole code points: a surrogate pair is above every BMP character.
        return (a.codePointAt(i) as number) < (b.codePointAt(i) as number);
      }
      return x < y;
    }
  }
  return a.length < b.length;
}

function byCodePoint(a: string, b: string): number {
  return a === b ? 0 : strLess(a, b) ? -1 : 1;
}

/** Sorts str keys in Python's order, in place. */
export function sortStrKeys(keys: string[]): void {
  for (let i = 0; i < keys.length; i++) {
    if (HIGH_UNITS.test(keys[i] as string)) {
      keys.sort(byCodePoint);
      return;
    }
  }
  keys.sort();
}

function numeric(v: unknown): number | bigint | undefined {
  switch (typeof v) {
    case "number":
    case "bigint":
      return v;
    case "boolean":
      return v ? 1 : 0;
  }
  return undefined;
}

function bytesLess(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number);
  return a.length < b.length;
}

/**
 * Python's `a < b` over the key types a dict can hold.
 * @throws PyTypeError "'<' not supported between instances of 'int' and 'str'" as Python.
 */
export function pyLess(a: unknown, b: unknown, faithful: boolean): boolean {
  if (typeof a === "string" && typeof b === "string") return strLess(a, b);
  const na = numeric(a);
  if (na !== undefined) {
    const nb = numeric(b);
    if (nb !== undefined) return na < nb; // exact across number/bigint, false for NaN
  } else if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return bytesLess(a, b);
  } else if (isPyTuple(a) && isPyTuple(b)) {
    const x = a.items;
    const y = b.items;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) if (!pyEquals(x[i], y[i])) return pyLess(x[i], y[i], faithful);
    return x.length < y.length;
  } else if (isPyFrozenSet(a) && isPyFrozenSet(b)) {
    // Proper subset, as Python's frozenset `<`.
    if (a.size >= b.size) return false;
    for (const e of a) if (!(b as PyFrozenSet).has(e)) return false;
    return true;
  }
  throw new PyTypeError(
    `'<' not supported between instances of '${typeName(a, faithful)}' and '${typeName(b, faithful)}'`,
  );
}

function isTotal(keys: readonly unknown[]): boolean {
  const first = keys[0];
  if (typeof first === "string") {
    for (const k of keys) if (typeof k !== "string") return false;
    return true;
  }
  for (const k of keys) {
    const n = numeric(k);
    if (n === undefined || (typeof n === "number" && Number.isNaN(n))) return false;
  }
  return true;
}

/** CPython 3.11's `count_run` followed by `binarysort` over the rest (list.sort for n < 64). */
function cpythonSmallSort<T>(a: T[], less: (x: T, y: T) => boolean): void {
  const n = a.length;
  if (n < 2) return;
  let run = 2;
  if (less(a[1] as T, a[0] as T)) {
    while (run < n && less(a[run] as T, a[run - 1] as T)) run++;
    // A strictly descending run is reversed in place (stable because it is strict).
    for (let i = 0, j = run - 1; i < j; i++, j--) {
      const t = a[i] as T;
      a[i] = a[j] as T;
      a[j] = t;
    }
  } else {
    while (run < n && !less(a[run] as T, a[run - 1] as T)) run++;
  }
  for (let start = run; start < n; start++) {
    const pivot = a[start] as T;
    let l = 0;
    let r = start;
    do {
      const p = l + ((r - l) >> 1);
      if (less(pivot, a[p] as T)) r = p;
      else l = p + 1;
    } while (l < r);
    for (let p = start; p > l; p--) a[p] = a[p - 1] as T;
    a[l] = pivot;
  }
}

/**
 * Sorts dict items `[key, value][]` by key as `sorted(d.items())` does, in place.
 * @throws PyTypeError when two keys cannot be ordered.
 */
export function sortItems(items: [unknown, unknown][], faithful: boolean): void {
  if (items.length < 2) return;
  const keys = items.map((it) => it[0]);
  if (isTotal(keys)) {
    if (typeof keys[0] === "string") {
      const hasHigh = (keys as string[]).some((k) => HIGH_UNITS.test(k));
      items.sort(
        hasHigh
          ? (x, y) => byCodePoint(x[0] as string, y[0] as string)
          : (x, y) => ((x[0] as string) < (y[0] as string) ? -1 : x[0] === y[0] ? 0 : 1),
      );
    } else {
      items.sort((x, y) => {
        const p = numeric(x[0]) as number | bigint;
        const q = numeric(y[0]) as number | bigint;
        return p < q ? -1 : p > q ? 1 : 0;
      });
    }
    return;
  }
  cpythonSmallSort(items, (x, y) => pyLess(x[0], y[0], faithful));
}
