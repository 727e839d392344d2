import { BRAND, brandOf } from "./brand.js";
import { HashTable, TABLE } from "./hash-table.js";

/** Shared body of `set` and `frozenset`: Python-hashable elements, insertion order kept. */
abstract class PySetBase<T> implements Iterable<T> {
  /** @internal The hash table; read by pyEquals to compare without recursion. */
  readonly [TABLE] = new HashTable();
  constructor(items?: Iterable<T>) {
    if (items) for (const x of items) if (this[TABLE].find(x) < 0) this[TABLE].set(x, true);
  }
  get size(): number {
    return this[TABLE].size;
  }
  has(item: T): boolean {
    return this[TABLE].find(item) >= 0;
  }
  *values(): IterableIterator<T> {
    const t = this[TABLE];
    for (const i of t.slots()) yield t.keys[i] as T;
  }
  keys(): IterableIterator<T> {
    return this.values();
  }
  [Symbol.iterator](): IterableIterator<T> {
    return this.values();
  }
}

/** Python's `set` (mutable). Adding an element equal to a present one keeps the first. */
export class PySet<T = unknown> extends PySetBase<T> {
  declare readonly [BRAND]: "set";
  add(item: T): this {
    if (this[TABLE].find(item) < 0) this[TABLE].set(item, true);
    return this;
  }
  delete(item: T): boolean {
    return this[TABLE].delete(item);
  }
  clear(): void {
    this[TABLE].clear();
  }
}
Object.defineProperty(PySet.prototype, BRAND, { value: "set" });

/** Python's `frozenset` (immutable, hashable). */
export class PyFrozenSet<T = unknown> extends PySetBase<T> {
  declare readonly [BRAND]: "frozenset";
}
Object.defineProperty(PyFrozenSet.prototype, BRAND, { value: "frozenset" });

export function isPySet(v: unknown): v is PySet {
  return brandOf(v) === "set";
}
export function isPyFrozenSet(v: unknown): v is PyFrozenSet {
  return brandOf(v) === "frozenset";
}
