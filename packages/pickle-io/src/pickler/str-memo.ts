/**
 * The pickler's memo of str values (JS strings have no identity, so equal strings are one
 * Python str). A pickle's first `SMALL` strings are found by scanning an array (a message's
 * few keys and values: no hashing, nothing to reset but a count); past that they move to the
 * tables below. Strings under 16,384 UTF-16 units go in a `Map`: V8 caches their hash in the
 * string, so the many repeats of record keys cost one lookup each (measured: 2x faster than
 * rehashing them here). V8 gives longer strings their length as hash, so equal-length long
 * strings would all collide there: those go in an open-addressing table over a seeded hash of
 * every unit, computed here once per save.
 */

/** V8's `String::kMaxHashCalcLength` + 1: from this length on, a string's hash is its length. */
const LONG = 16384;
/** Strings scanned for in an array before the tables take over. */
const SMALL = 16;
/**
 * The `Map` of short strings outlives `clear()` while it stays this small (entries, and UTF-16
 * units held): a stream of small dumps then finds its repeated keys without re-inserting them
 * or regrowing the table. Entries of earlier pickles are told apart by their epoch (below).
 */
const KEEP_ENTRIES = 4096;
const KEEP_UNITS = 256 * 1024;
/** Epoch offsets stay small integers (V8 Smis): past this the Map is emptied for real. */
const MAX_BASE = 2 ** 29;
const SEED = (Math.random() * 0x100000000) | 0;
function strHash(s: string): number {
  let h = SEED ^ s.length;
  const n = s.length;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // murmur3's finalizer: spreads the low bits the mask keeps.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Entries live in packed arrays filled by push (strings, their hashes, their memo indexes); the
 * open-addressing table holds entry number + 1 (0: empty) and is all that is rebuilt on growth.
 */
export class StrMemo {
  /**
   * Short strings to `base` + memo index; a value below `base` is from a pickle before the last
   * `clear()`, i.e. not in the memo.
   */
  private readonly short = new Map<string, number>();
  private base = 0;
  /** UTF-16 units of the strings in `short`. */
  private units = 0;
  private strs: string[] = [];
  private hashes: number[] = [];
  private indexes: number[] = [];
  private table = new Int32Array(64);
  private mask = 63;
  private readonly smallStrs: string[] = new Array<string>(SMALL).fill("");
  private readonly smallIndexes: number[] = new Array<number>(SMALL).fill(0);
  /** A cheap tag of each small string (length, first and last unit): most misses end on it. */
  private readonly smallTags = new Int32Array(SMALL);
  /** Entries in the small arrays; -1 while this pickle's strings are in the tables. */
  private smallCount = 0;

  /** The memo index of `s`, or -1 after recording `s` at `index`. */
  getOrPut(s: string, index: number): number {
    const n = this.smallCount;
    if (n >= 0) {
      const strs = this.smallStrs;
      const tags = this.smallTags;
      // Comparing two unequal strings of one length calls into V8's runtime: tags first.
      const len = s.length;
      const tag = len === 0 ? 0 : (len << 16) ^ (s.charCodeAt(0) << 8) ^ s.charCodeAt(len - 1);
      for (let i = 0; i < n; i++) if (tags[i] === tag && strs[i] === s) return this.smallIndexes[i]!;
      if (n < SMALL) {
        strs[n] = s;
        tags[n] = tag;
        this.smallIndexes[n] = index;
        this.smallCount = n + 1;
        return -1;
      }
      this.spill();
    }
    return this.tableGetOrPut(s, index);
  }

  /** Moves the small arrays' entries to the tables, which hold this pickle's strings from now on. */
  private spill(): void {
    const strs = this.smallStrs;
    for (let i = 0; i < this.smallCount; i++) {
      this.tableGetOrPut(strs[i]!, this.smallIndexes[i]!);
      strs[i] = "";
    }
    this.smallCount = -1;
  }

  /** `getOrPut` in the tables (one probe sequence for both). */
  private tableGetOrPut(s: string, index: number): number {
    if (s.length < LONG) {
      const i = this.short.get(s);
      if (i !== undefined && i >= this.base) return i - this.base;
      if (i === undefined) this.units += s.length;
      this.short.set(s, this.base + index);
      return -1;
    }
    const h = strHash(s);
    const table = this.table;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const e = table[i]! - 1;
      if (e < 0) break;
      if (this.hashes[e] === h && this.strs[e] === s) return this.indexes[e]!;
      i = (i + 1) & mask;
    }
    const strs = this.strs;
    strs.push(s);
    this.hashes.push(h);
    this.indexes.push(index);
    table[i] = strs.length;
    if (strs.length * 2 > mask) this.rebuild((mask + 1) * 2);
    return -1;
  }

  private rebuild(capacity: number): void {
    const mask = capacity - 1;
    const table = new Int32Array(capacity);
    const hashes = this.hashes;
    for (let e = 0; e < hashes.length; e++) {
      let i = hashes[e]! & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = e + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  /**
   * Forgets every string of the memo, which held `span` entries; keeps a small table (a stream
   * of small dumps reuses it).
   */
  clear(span: number): void {
    const n = this.smallCount;
    if (n >= 0) {
      // The tables were not used by this pickle: their entries are stale already.
      const strs = this.smallStrs;
      for (let i = 0; i < n; i++) strs[i] = "";
      this.smallCount = 0;
      return;
    }
    // A pickle of many memo entries is likely followed by another (dumps of one kind): it
    // starts in the tables, skipping a scan that ends in a spill.
    this.smallCount = span > 2 * SMALL ? -1 : 0;
    const short = this.short;
    if (short.size !== 0) {
      this.base += span;
      if (short.size > KEEP_ENTRIES || this.units > KEEP_UNITS || this.base > MAX_BASE) {
        short.clear();
        this.base = 0;
        this.units = 0;
      }
    }
    if (this.strs.length !== 0) this.clearLong();
  }

  private clearLong(): void {
    this.strs = [];
    this.hashes = [];
    this.indexes = [];
    if (this.mask > 4095) {
      this.table = new Int32Array(64);
      this.mask = 63;
    } else this.table.fill(0);
  }
}
