/**
 * Keys of the natural view's dict Maps, with Python's key semantics: `1`, `1.0` and `True` are
 * one key (the first one stays, the last value wins, as in CPython), and so are an int beyond
 * 2**53 (a bigint) and the float of the same value. Where a JS Map cannot hold the dict as
 * Python does, {@link setNaturalKey} says so and the machine falls back to a `PyDict`:
 * - two NaN keys (distinct float objects in Python, one key in a SameValueZero Map);
 * - a `-0.0` key (a Map stores it as `0`);
 * - many int keys that share their low 64 bits (V8 hashes a BigInt by its lowest 64-bit
 *   digit only, so chosen keys would make every insertion walk one collision chain).
 */

/** A Map's insertions would degrade past this many bigint keys with the same low 64 bits. */
const MAX_LOW64_GROUP = 16;
const TWO64 = 1n << 64n;

/** Per-Map counts of bigint keys beyond 64 bits by their low 64 bits (only for Maps that have them). */
const low64Groups = new WeakMap<Map<unknown, unknown>, Map<bigint, number>>();

/**
 * Sets `k` to `v` in a natural Map as a Python dict would; returns false (and changes
 * nothing) when the Map cannot hold the key faithfully.
 */
export function setNaturalKey(map: Map<unknown, unknown>, k: unknown, v: unknown): boolean {
  switch (typeof k) {
    case "number":
      if (Number.isNaN(k)) {
        // NaN: each NaN float is its own key in Python
        if (map.has(k)) return false;
      } else if (k === 0) {
        if (!map.has(0) && map.has(false)) {
          map.set(false, v);
          return true;
        }
        if (!map.has(0) && Object.is(k, -0)) return false;
      } else if (k === 1) {
        if (!map.has(1) && map.has(true)) {
          map.set(true, v);
          return true;
        }
      } else if (Number.isInteger(k) && !Number.isSafeInteger(k) && !map.has(k)) {
        const b = BigInt(k);
        if (map.has(b)) {
          map.set(b, v);
          return true;
        }
      }
      map.set(k, v);
      return true;
    case "boolean": {
      const alt = k ? 1 : 0;
      if (!map.has(k) && map.has(alt)) map.set(alt, v);
      else map.set(k, v);
      return true;
    }
    case "bigint": {
      if (map.has(k)) {
        map.set(k, v);
        return true;
      }
      if (k >= TWO64 || k <= -TWO64) {
        let groups = low64Groups.get(map);
        if (groups === undefined) {
          groups = new Map();
          low64Groups.set(map, groups);
        }
        const low = BigInt.asUintN(64, k);
        const n = (groups.get(low) ?? 0) + 1;
        if (n > MAX_LOW64_GROUP) return false;
        groups.set(low, n);
      }
      const f = Number(k);
      if (Number.isFinite(f) && BigInt(f) === k && map.has(f)) {
        map.set(f, v);
        return true;
      }
      map.set(k, v);
      return true;
    }
    default:
      map.set(k, v);
      return true;
  }
}
