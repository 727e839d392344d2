import { isPyFrozenSet, isPyTuple, type PyFrozenSet, PyTypeError, pyEquals, strLess } from "@x/pyobject";
import { typeName } from "./scalars.js";

/**
 * `sort_keys`: Python sorts `dict.items()` with `list.sort`, so keys compare with Python's
 * `<` (code point order for str, exact mixed int/float order) and incomparable keys raise
 * the TypeError of the first failing comparison. When every key is a str, or every key a
 * number that is not NaN, the order is total and a native stable sort gives CPython's result.
 * Otherwise the comparisons follow CPython's list.sort (see cpythonSort): exact for fewer
 * than 64 keys, and for the run-finding phase beyond.
 */

/** A surrogate or a BMP character above them: UTF-16 order and code point order may differ. */
const HIGH_UNITS = /[\ud800-\uffff]/;

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

/** CPython's `merge_compute_minrun`. */
function minrun(n: number): number {
  let r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

/** CPython 3.11's `count_run` over a[lo, hi); a strictly descending run is reversed in place. */
function countRun<T>(a: T[], lo: number, hi: number, less: (x: T, y: T) => boolean): number {
  if (lo + 1 === hi) return 1;
  let i = lo + 2;
  if (less(a[lo + 1] as T, a[lo] as T)) {
    while (i < hi && less(a[i] as T, a[i - 1] as T)) i++;
    for (let x = lo, y = i - 1; x < y; x++, y--) {
      const t = a[x] as T;
      a[x] = a[y] as T;
      a[y] = t;
    }
  } else {
    while (i < hi && !less(a[i] as T, a[i - 1] as T)) i++;
  }
  return i - lo;
}

/** CPython's `binarysort`: a[lo, start) is sorted; insert a[start, hi) one by one. */
function binarySort<T>(a: T[], lo: number, hi: number, start: number, less: (x: T, y: T) => boolean): void {
  for (; start < hi; start++) {
    const pivot = a[start] as T;
    let l = lo;
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

/** Stable merge of a[lo, mid) and a[mid, hi), asking `b < a` first as CPython's gallop does. */
function merge<T>(a: T[], lo: number, mid: number, hi: number, less: (x: T, y: T) => boolean): void {
  const left = a.slice(lo, mid);
  let i = 0;
  let j = mid;
  let k = lo;
  while (i < left.length && j < hi) {
    if (less(a[j] as T, left[i] as T)) a[k++] = a[j++] as T;
    else a[k++] = left[i++] as T;
  }
  while (i < left.length) a[k++] = left[i++] as T;
}

/**
 * CPython 3.11's list.sort comparison sequence: runs found with `count_run`, extended to
 * `minrun` with `binarysort` (for fewer than 64 items that is the whole sort, exactly). Runs
 * are then merged left to right with a plain stable merge; CPython merges while it finds runs,
 * with galloping, so past 64 items with several incomparable pairs (or NaN keys) the first
 * failing pair or the order may differ. Total orders sort identically either way.
 */
function cpythonSort<T>(a: T[], less: (x: T, y: T) => boolean): void {
  const n = a.length;
  if (n < 2) return;
  const min = minrun(n);
  const runs: number[] = [];
  for (let lo = 0; lo < n; ) {
    let len = countRun(a, lo, n, less);
    if (len < min) {
      const force = Math.min(n - lo, min);
      binarySort(a, lo, lo + force, lo + len, less);
      len = force;
    }
    runs.push(lo + len);
    lo += len;
  }
  let end = runs[0] as number;
  for (let r = 1; r < runs.length; r++) {
    const next = runs[r] as number;
    merge(a, 0, end, next, less);
    end = next;
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
  cpythonSort(items, (x, y) => pyLess(x[0], y[0], faithful));
}
