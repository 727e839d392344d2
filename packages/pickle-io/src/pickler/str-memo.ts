/**
 * The pickler's memo of str values (JS strings have no identity, so equal strings are one
 * Python str). Strings under 16,384 UTF-16 units go in a `Map`: V8 caches their hash in the
 * string, so the many repeats of record keys cost one lookup each (measured: 2x faster than
 * rehashing them here). V8 gives longer strings their length as hash, so equal-length long
 * strings would all collide there: those go in an open-addressing table over a seeded hash of
 * every unit, computed here once per save.
 */

/** V8's `String::kMaxHashCalcLength` + 1: from this length on, a string's hash is its length. */
const LONG = 16384;
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
  private readonly short = new Map<string, number>();
  private strs: string[] = [];
  private hashes: number[] = [];
  private indexes: number[] = [];
  private table = new Int32Array(64);
  private mask = 63;

  /** The memo index of `s`, or -1 after recording `s` at `index` (one probe sequence for both). */
  getOrPut(s: string, index: number): number {
    if (s.length < LONG) {
      const i = this.short.get(s);
      if (i !== undefined) return i;
      this.short.set(s, index);
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

  /** Forgets every string; keeps a small table (a stream of small dumps reuses it). */
  clear(): void {
    if (this.short.size !== 0) this.short.clear();
    if (this.strs.length === 0) return;
    this.strs = [];
    this.hashes = [];
    this.indexes = [];
    if (this.mask > 4095) {
      this.table = new Int32Array(64);
      this.mask = 63;
    } else this.table.fill(0);
  }
}
