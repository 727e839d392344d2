import { BRAND, brandOf } from "./brand.js";

/**
 * Python's `tuple`: an immutable sequence, distinct from `list` (a JS Array) in the faithful model.
 * `items` is the backing array; do not mutate it after the tuple is shared.
 */
export class PyTuple<T = unknown> implements Iterable<T> {
  declare readonly [BRAND]: "tuple";
  readonly items: T[];
  constructor(items: T[] = []) {
    this.items = items;
  }
  static of<T>(...items: T[]): PyTuple<T> {
    return new PyTuple(items);
  }
  get length(): number {
    return this.items.length;
  }
  at(i: number): T | undefined {
    return this.items.at(i);
  }
  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}
Object.defineProperty(PyTuple.prototype, BRAND, { value: "tuple" });

export function isPyTuple(v: unknown): v is PyTuple {
  return brandOf(v) === "tuple";
}
