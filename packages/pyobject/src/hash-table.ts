import { pyEquals } from "./equality.js";
import { lookupHash } from "./lookup-hash.js";
import { numericKey } from "./numeric-key.js";

const DELETED: unique symbol = Symbol("deleted");

/** Where PyDict, PySet and PyFrozenSet keep their HashTable (internal to this package). */
export const TABLE: unique symbol = Symbol("@x/pyobject.table");

/**
 * Insertion-ordered table of Python-hashable keys, shared by PyDict, PySet and PyFrozenSet.
 * Keys and values live in parallel arrays (deleted slots hold a tombstone until compaction);
 * three indexes map a key to its slot: str keys by the string itself, numbers by their
 * canonical numeric key (so 1, 1.0 and True meet), and everything else by `lookupHash`
 * buckets checked with `pyEquals`. NaN keys are never found, so each NaN is its own key.
 */
const NONE: readonly number[] = [];
/** Up to this many str keys a table finds them by scanning (measured: 8-key records build ~2x faster). */
const SMALL_STR = 8;

export class HashTable {
  keys: unknown[] = [];
  values: unknown[] = [];
  size = 0;
  /**
   * str keys -> slot, built only once a table holds more than SMALL_STR str keys: most dicts
   * are small records, and a linear `===` scan beats allocating and filling a Map for them.
   */
  private strIndex: Map<string, number> | null = null;
  private strCount = 0;
  private numIndex: Map<number | bigint, number> | null = null;
  private objIndex: Map<number, number[]> | null = null;

  /** Slot of a key equal to `key`, or -1. Throws TypeError for unhashable keys. */
  find(key: unknown): number {
    if (typeof key === "string")
      return this.strIndex === null ? this.scanStr(key) : (this.strIndex.get(key) ?? -1);
    const n = numericKey(key);
    if (n !== undefined) return this.numIndex?.get(n) ?? -1;
    const h = lookupHash(key);
    const bucket = this.objIndex?.get(h);
    if (bucket !== undefined) {
      for (const slot of bucket) if (pyEquals(this.keys[slot], key)) return slot;
    }
    return -1;
  }

  /**
   * The slots whose key may equal `key` without comparing containers: the one match for str
   * and number keys, else every key in the same lookupHash bucket. pyEquals pushes the pair
   * onto its stack when there is a single candidate, so nested keys compare without recursion.
   */
  candidates(key: unknown): readonly number[] {
    if (typeof key === "string" || numericKey(key) !== undefined) {
      const slot = this.find(key);
      return slot < 0 ? NONE : [slot];
    }
    return this.objIndex?.get(lookupHash(key)) ?? NONE;
  }

  /** Sets `key` to `value`: an existing equal key keeps its first key object, as in CPython. */
  set(key: unknown, value: unknown): void {
    if (typeof key === "string") {
      const index = this.strIndex;
      if (index === null) {
        const slot = this.scanStr(key);
        if (slot >= 0) this.values[slot] = value;
        else if (++this.strCount <= SMALL_STR) this.append(key, value);
        else this.indexStrings().set(key, this.append(key, value));
        return;
      }
      const slot = index.get(key);
      if (slot !== undefined) this.values[slot] = value;
      else index.set(key, this.append(key, value));
      return;
    }
    const n = numericKey(key);
    if (n !== undefined) {
      if (typeof n === "number" && Number.isNaN(n)) {
        this.append(key, value);
        return;
      }
      this.numIndex ??= new Map();
      const slot = this.numIndex.get(n);
      if (slot !== undefined) this.values[slot] = value;
      else this.numIndex.set(n, this.append(key, value));
      return;
    }
    const h = lookupHash(key);
    this.objIndex ??= new Map();
    const bucket = this.objIndex.get(h);
    if (bucket !== undefined) {
      for (const slot of bucket) {
        if (pyEquals(this.keys[slot], key)) {
          this.values[slot] = value;
          return;
        }
      }
      bucket.push(this.append(key, value));
    } else {
      this.objIndex.set(h, [this.append(key, value)]);
    }
  }

  /** Slot of the str key by a linear scan (tables with few str keys have no strIndex). */
  private scanStr(key: string): number {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return i;
    return -1;
  }

  private indexStrings(): Map<string, number> {
    const index = new Map<string, number>();
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (typeof k === "string") index.set(k, i);
    }
    this.strIndex = index;
    return index;
  }

  private append(key: unknown, value: unknown): number {
    const slot = this.keys.length;
    this.keys.push(key);
    this.values.push(value);
    this.size++;
    return slot;
  }

  /** Removes the key; returns its slot's value, or DELETED-free `undefined` with `found` false. */
  delete(key: unknown): boolean {
    const slot = this.find(key);
    if (slot < 0) return false;
    this.unindex(this.keys[slot], slot);
    this.keys[slot] = DELETED;
    this.values[slot] = undefined;
    this.size--;
    if (this.keys.length > 32 && this.size * 2 < this.keys.length) this.compact();
    return true;
  }

  private unindex(key: unknown, slot: number): void {
    if (typeof key === "string") {
      this.strIndex?.delete(key);
      this.strCount--;
      return;
    }
    const n = numericKey(key);
    if (n !== undefined) {
      this.numIndex?.delete(n);
      return;
    }
    const h = lookupHash(key);
    const bucket = this.objIndex?.get(h);
    if (bucket === undefined) return;
    const i = bucket.indexOf(slot);
    if (i >= 0) bucket.splice(i, 1);
    if (bucket.length === 0) this.objIndex?.delete(h);
  }

  clear(): void {
    this.keys = [];
    this.values = [];
    this.size = 0;
    this.strIndex = null;
    this.strCount = 0;
    this.numIndex = null;
    this.objIndex = null;
  }

  private compact(): void {
    const keys = this.keys;
    const values = this.values;
    this.clear();
    for (let i = 0; i < keys.length; i++) if (keys[i] !== DELETED) this.set(keys[i], values[i]);
  }

  isLive(slot: number): boolean {
    return this.keys[slot] !== DELETED;
  }

  *slots(): IterableIterator<number> {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== DELETED) yield i;
  }
}
