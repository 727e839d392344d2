import { BRAND, brandOf } from "./brand.js";
import { HashTable } from "./hash-table.js";

/** Shared body of `set` and `frozenset`: Python-hashable elements, insertion order kept. */
abstract class PySetBase<T> implements Iterable<T> {
  protected readonly table = new HashTable();
  constructor(items?: Iterable<T>) {
    if (items) for (const x of items) if (this.table.find(x) < 0) this.table.set(x, true);
  }
  get size(): number {
    return this.table.size;
  }
  has(item: T): boolean {
    return this.table.find(item) >= 0;
  }
  *values(): IterableIterator<T> {
    const t = this.table;
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
    if (this.table.find(item) < 0) this.table.set(item, true);
    return this;
  }
  delete(item: T): boolean {
    return this.table.delete(item);
  }
  clear(): void {
    this.table.clear();
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
