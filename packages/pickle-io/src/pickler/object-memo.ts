/** Objects held in arrays before the Map takes over. */
const SMALL = 8;

/**
 * The pickler's memo of objects by identity, to memo index. A small pickle's few containers
 * (a message's dict and lists) are found by scanning two short arrays: no identity hashing,
 * no Map table to grow, and nothing allocated when a stream's `clearMemo()` empties it. Past
 * `SMALL` objects the entries move to a Map.
 */
export class ObjectMemo {
  private readonly keys: unknown[] = new Array(SMALL).fill(undefined);
  private readonly indexes: number[] = new Array(SMALL).fill(0);
  /** Entries in the arrays (0 once the Map is in use). */
  private count = 0;
  /** The entries once past `SMALL` (read directly by the pickler's hottest lookup). */
  readonly map = new Map<unknown, number>();
  big = false;

  /** The memo index of `obj`, or -1. */
  get(obj: unknown): number {
    if (this.big) return this.map.get(obj) ?? -1;
    return this.scan(obj);
  }

  /** `get` while the entries are in the arrays. */
  scan(obj: unknown): number {
    const keys = this.keys;
    const n = this.count;
    for (let i = 0; i < n; i++) if (keys[i] === obj) return this.indexes[i]!;
    return -1;
  }

  /** Records `obj` (not in the memo yet) at `index`. */
  add(obj: unknown, index: number): void {
    if (this.big) {
      this.map.set(obj, index);
      return;
    }
    const n = this.count;
    if (n < SMALL) {
      this.keys[n] = obj;
      this.indexes[n] = index;
      this.count = n + 1;
      return;
    }
    const map = this.map;
    for (let i = 0; i < n; i++) {
      map.set(this.keys[i], this.indexes[i]!);
      this.keys[i] = undefined;
    }
    map.set(obj, index);
    this.count = 0;
    this.big = true;
  }

  clear(): void {
    if (this.big) {
      this.map.clear();
      this.big = false;
      return;
    }
    const keys = this.keys;
    for (let i = 0; i < this.count; i++) keys[i] = undefined;
    this.count = 0;
  }
}
