import { BRAND, brandOf } from "./brand.js";
import { PyKeyError } from "./errors.js";
import { HashTable, TABLE } from "./hash-table.js";
import { pyRepr } from "./repr.js";

/** Python's KeyError shows the key's repr; a registered type without a repr hook falls back. */
function keyText(key: unknown): string {
  try {
    return pyRepr(key);
  } catch {
    return String(key);
  }
}

/**
 * Python's `dict`: any hashable key under Python's rules (`1`, `1.0` and `True` are one key;
 * tuple, frozenset, bytes, None and float keys work), insertion order kept, and setting an
 * equal key keeps the first key object and takes the new value, as CPython does.
 * Unhashable keys (list, dict, set, bytearray) throw Python's TypeError.
 */
export class PyDict<K = unknown, V = unknown> implements Iterable<[K, V]> {
  declare readonly [BRAND]: "dict";
  /** @internal The hash table; read by pyEquals to compare without recursion. */
  readonly [TABLE] = new HashTable();

  constructor(entries?: Iterable<readonly [K, V]>) {
    if (entries) for (const [k, v] of entries) this[TABLE].set(k, v);
  }

  /**
   * A dict of str keys built in one pass from parallel key and value arrays (a decoder's fast
   * path), which it takes over: the caller must not use either array afterwards. As in Python's
   * `dict(zip(keys, values))`, a repeated key keeps its first position and its last value.
   */
  static fromStrEntries<V>(keys: string[], values: V[]): PyDict<string, V> {
    const d = new PyDict<string, V>();
    d[TABLE].adoptStrEntries(keys, values);
    return d;
  }

  get size(): number {
    return this[TABLE].size;
  }
  get(key: K): V | undefined {
    const slot = this[TABLE].find(key);
    return slot < 0 ? undefined : (this[TABLE].values[slot] as V);
  }
  /** `d[key]`: throws Python's KeyError when missing. */
  getItem(key: K): V {
    const slot = this[TABLE].find(key);
    if (slot < 0) throw new PyKeyError(keyText(key));
    return this[TABLE].values[slot] as V;
  }
  has(key: K): boolean {
    return this[TABLE].find(key) >= 0;
  }
  set(key: K, value: V): this {
    this[TABLE].set(key, value);
    return this;
  }
  delete(key: K): boolean {
    return this[TABLE].delete(key);
  }
  clear(): void {
    this[TABLE].clear();
  }
  *keys(): IterableIterator<K> {
    const t = this[TABLE];
    for (const i of t.slots()) yield t.keys[i] as K;
  }
  *values(): IterableIterator<V> {
    const t = this[TABLE];
    for (const i of t.slots()) yield t.values[i] as V;
  }
  *entries(): IterableIterator<[K, V]> {
    const t = this[TABLE];
    for (const i of t.slots()) yield [t.keys[i] as K, t.values[i] as V];
  }
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
  forEach(fn: (value: V, key: K, dict: this) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
Object.defineProperty(PyDict.prototype, BRAND, { value: "dict" });

export function isPyDict(v: unknown): v is PyDict {
  return brandOf(v) === "dict";
}
