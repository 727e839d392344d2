import { pyEquals } from "./equality.js";
import { lookupHash, numericHash } from "./lookup-hash.js";
import { numericKey } from "./numeric-key.js";

const DELETED: unique symbol = Symbol("deleted");

/** Where PyDict, PySet and PyFrozenSet keep their HashTable (internal to this package). */
export const TABLE: unique symbol = Symbol("@x/pyobject.table");

/**
 * Insertion-ordered table of Python-hashable keys, shared by PyDict, PySet and PyFrozenSet.
 * Keys and values live in parallel arrays (deleted slots hold a tombstone until compaction).
 * str keys are found by the string itself (V8's string hash is seeded per process); every
 * other key by its keyed `lookupHash` in an open-addressing index probed as CPython's dict
 * does (`i = 5i + 1 + perturb`, perturb shifting in the hash's high bits), so chosen keys
 * cannot build long collision chains: numbers by their canonical numeric key (so 1, 1.0 and
 * True meet), compared with `===`; other keys with `pyEquals`. NaN keys are never found, so
 * each NaN is its own key.
 */
const NONE: readonly number[] = [];
/** Up to this many str keys a table finds them by scanning (measured: 8-key records build ~2x faster). */
const SMALL_STR = 8;
/**
 * Up to this many keys a table adopted whole (`adoptStrEntries`) checks them for repeats pairwise
 * and builds its Map only on the first new key (faithful loads of 10-key records: 0.78x the time).
 */
const ADOPT_SCAN = 16;
/** Index entries: 0 empty, DUMMY a deleted key (probing goes on past it), else slot + 1. */
const DUMMY = -1;
const MIN_INDEX = 8;

/**
 * Index entries visited by lookups and inserts, for the complexity tests (an op count that a
 * busy machine cannot disturb); one integer add per step.
 */
export const probeCount = { steps: 0 };

/** The hashes of an adopted table: never written (append replaces it before its first push). */
const NO_HASHES: number[] = [];

/** `hashes` filled out with 0 (str keys) up to `length` entries, as a new array. */
function zeroHashes(hashes: readonly number[], length: number): number[] {
  const out = new Array<number>(length).fill(0);
  for (let i = 0; i < hashes.length; i++) out[i] = hashes[i]!;
  return out;
}

function isNaNKey(n: number | bigint | undefined): boolean {
  return typeof n === "number" && Number.isNaN(n);
}

export class HashTable {
  keys: unknown[] = [];
  values: unknown[] = [];
  /**
   * lookupHash of each non-str key, by slot (0 for str keys). A table adopted whole has only str
   * keys and starts with NO_HASHES (shorter than `keys`): `append` fills it out first.
   */
  private hashes: number[] = [];
  size = 0;
  /**
   * str keys -> slot, built only once a table holds more than SMALL_STR str keys: most dicts
   * are small records, and a linear `===` scan beats allocating and filling a Map for them.
   */
  private strIndex: Map<string, number> | null = null;
  private strCount = 0;
  /** Open-addressing index of the non-str keys (a power-of-two size), or null before the first. */
  private index: Int32Array | null = null;
  /** Non-empty entries of `index` (live and DUMMY): kept under 2/3 of its size. */
  private filled = 0;

  /** Slot of a key equal to `key`, or -1. Throws TypeError for unhashable keys. */
  find(key: unknown): number {
    if (typeof key === "string")
      return this.strIndex === null ? this.scanStr(key) : (this.strIndex.get(key) ?? -1);
    const n = numericKey(key);
    if (n !== undefined) {
      if (isNaNKey(n)) return -1; // NaN equals nothing
      return this.probe(key, n, numericHash(n), false);
    }
    return this.probe(key, undefined, lookupHash(key), false);
  }

  /**
   * The index position holding a key equal to `key` (when `position`), else its slot; -1 when
   * absent. `n` is the key's numeric key, if it is a number.
   */
  private probe(key: unknown, n: number | bigint | undefined, h: number, position: boolean): number {
    const index = this.index;
    if (index === null) return -1;
    const mask = index.length - 1;
    let perturb = h >>> 0;
    let i = perturb & mask;
    for (;;) {
      probeCount.steps++;
      const e = index[i]!;
      if (e === 0) return -1;
      if (e !== DUMMY) {
        const slot = e - 1;
        if (this.hashes[slot] === h) {
          const k = this.keys[slot];
          if (n !== undefined ? numericKey(k) === n : pyEquals(k, key)) return position ? i : slot;
        }
      }
      perturb >>>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
  }

  /**
   * The slots whose key may equal `key` without comparing containers: the one match for str
   * and number keys, else every key with the same lookupHash. pyEquals pushes the pair onto its
   * stack when there is a single candidate, so nested keys compare without recursion.
   */
  candidates(key: unknown): readonly number[] {
    if (typeof key === "string" || numericKey(key) !== undefined) {
      const slot = this.find(key);
      return slot < 0 ? NONE : [slot];
    }
    const index = this.index;
    if (index === null) return NONE;
    const h = lookupHash(key);
    const mask = index.length - 1;
    let perturb = h >>> 0;
    let i = perturb & mask;
    let found: number[] | undefined;
    for (;;) {
      const e = index[i]!;
      if (e === 0) return found ?? NONE;
      // The probe sequence may pass an entry twice before it meets an empty one.
      if (e !== DUMMY && this.hashes[e - 1] === h && !found?.includes(e - 1)) (found ??= []).push(e - 1);
      perturb >>>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
  }

  /** Sets `key` to `value`: an existing equal key keeps its first key object, as in CPython. */
  set(key: unknown, value: unknown): void {
    if (typeof key === "string") {
      const index = this.strIndex;
      if (index === null) {
        const slot = this.scanStr(key);
        if (slot >= 0) this.values[slot] = value;
        else if (++this.strCount <= SMALL_STR) this.append(key, value, 0);
        else this.indexStrings().set(key, this.append(key, value, 0));
        return;
      }
      const slot = index.get(key);
      if (slot !== undefined) this.values[slot] = value;
      else index.set(key, this.append(key, value, 0));
      return;
    }
    const n = numericKey(key);
    let h: number;
    if (n !== undefined) {
      if (isNaNKey(n)) {
        this.append(key, value, 0); // NaN: its own key, never indexed
        return;
      }
      h = numericHash(n);
    } else {
      h = lookupHash(key);
    }
    const slot = this.probe(key, n, h, false);
    if (slot >= 0) this.values[slot] = value;
    else this.insert(h, this.append(key, value, h));
  }

  /**
   * Fills this empty table from parallel str key and value arrays in one pass, taking ownership
   * of both (the caller must not touch them again). A key repeated later keeps its first
   * position and takes the last value, as `set` per key would; such input is rare, so it goes
   * key by key.
   */
  adoptStrEntries(keys: string[], values: unknown[]): void {
    const n = keys.length;
    if (n <= ADOPT_SCAN) {
      // Pairwise: cheaper than a Map for records; their length is read inline, so most pairs
      // are told apart without a string compare.
      for (let i = 1; i < n; i++) {
        const k = keys[i]!;
        const len = k.length;
        for (let j = 0; j < i; j++) {
          const o = keys[j]!;
          if (o.length === len && o === k) {
            this.setEach(keys, values);
            return;
          }
        }
      }
    } else {
      const index = new Map<string, number>();
      for (let i = 0; i < n; i++) index.set(keys[i]!, i);
      if (index.size !== n) {
        this.setEach(keys, values);
        return;
      }
      this.strIndex = index;
    }
    this.keys = keys;
    this.values = values;
    this.hashes = NO_HASHES;
    this.size = n;
    this.strCount = n;
  }

  private setEach(keys: readonly unknown[], values: readonly unknown[]): void {
    for (let i = 0; i < keys.length; i++) this.set(keys[i], values[i]);
  }

  /**
   * Puts the just-appended `slot` (its key known absent) into the index; when the index is 2/3
   * full a rebuilt one (which takes every live slot, this one too) replaces it instead.
   */
  private insert(h: number, slot: number): void {
    const index = this.index;
    if (index === null || (this.filled + 1) * 3 > index.length * 2) {
      this.resize();
      return;
    }
    const mask = index.length - 1;
    let perturb = h >>> 0;
    let i = perturb & mask;
    while (index[i] !== 0) {
      probeCount.steps++;
      perturb >>>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
    index[i] = slot + 1;
    this.filled++;
  }

  /** A fresh index sized for the live non-str keys (DUMMY entries are dropped). */
  private resize(): Int32Array {
    let live = 0;
    const keys = this.keys;
    const hashes = this.hashes;
    for (let s = 0; s < keys.length; s++) if (this.isIndexed(s)) live++;
    let size = MIN_INDEX;
    while (size < (live + 1) * 3) size *= 2;
    const index = new Int32Array(size);
    const mask = size - 1;
    for (let s = 0; s < keys.length; s++) {
      if (!this.isIndexed(s)) continue;
      let perturb = hashes[s]! >>> 0;
      let i = perturb & mask;
      while (index[i] !== 0) {
        perturb >>>= 5;
        i = (i * 5 + perturb + 1) & mask;
      }
      index[i] = s + 1;
    }
    this.index = index;
    this.filled = live;
    return index;
  }

  /** Whether the slot's key lives in the open-addressing index (a live key, not a str, not NaN). */
  private isIndexed(slot: number): boolean {
    const k = this.keys[slot];
    if (k === DELETED || typeof k === "string") return false;
    return !(typeof k === "number" && Number.isNaN(k)) && !isNaNKey(numericKey(k));
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

  private append(key: unknown, value: unknown, h: number): number {
    const slot = this.keys.length;
    this.keys.push(key);
    this.values.push(value);
    if (this.hashes === NO_HASHES || this.hashes.length !== slot) this.hashes = zeroHashes(this.hashes, slot);
    this.hashes.push(h);
    this.size++;
    return slot;
  }

  /** Removes the key; returns whether it was there. */
  delete(key: unknown): boolean {
    let slot: number;
    if (typeof key === "string") {
      slot = this.find(key);
      if (slot < 0) return false;
      this.strIndex?.delete(key);
      this.strCount--;
    } else {
      const n = numericKey(key);
      if (n !== undefined && isNaNKey(n)) return false;
      const h = n !== undefined ? numericHash(n) : lookupHash(key);
      const at = this.probe(key, n, h, true);
      if (at < 0) return false;
      const index = this.index!;
      slot = index[at]! - 1;
      index[at] = DUMMY;
    }
    this.keys[slot] = DELETED;
    this.values[slot] = undefined;
    this.size--;
    if (this.keys.length > 32 && this.size * 2 < this.keys.length) this.compact();
    return true;
  }

  clear(): void {
    this.keys = [];
    this.values = [];
    this.hashes = [];
    this.size = 0;
    this.strIndex = null;
    this.strCount = 0;
    this.index = null;
    this.filled = 0;
  }

  /** Drops tombstones, keeping each key's hash (no key is hashed or compared again). */
  private compact(): void {
    const keys: unknown[] = [];
    const values: unknown[] = [];
    const hashes: number[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] === DELETED) continue;
      keys.push(this.keys[i]);
      values.push(this.values[i]);
      hashes.push(this.hashes[i] ?? 0);
    }
    this.keys = keys;
    this.values = values;
    this.hashes = hashes;
    if (this.strIndex !== null) this.indexStrings();
    if (this.index !== null) this.resize();
  }

  isLive(slot: number): boolean {
    return this.keys[slot] !== DELETED;
  }

  *slots(): IterableIterator<number> {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== DELETED) yield i;
  }
}
