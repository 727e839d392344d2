/** Reading pickled state dicts in either model (plain object, Map or PyDict). */
import { isPyDict, isPyFrozenSet, isPySet, isPyTuple, PyTypeError } from "@x/pyobject";

/** The (key, value) pairs of a dict in either model, or undefined when `v` is not a dict. */
export function dictEntries(v: unknown): [unknown, unknown][] | undefined {
  if (v instanceof Map) return [...v.entries()];
  if (isPyDict(v)) return [...v.entries()] as [unknown, unknown][];
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return Object.entries(v);
  }
  return undefined;
}

/** The items of a list, tuple or set in either model. */
export function sequenceItems(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (isPyTuple(v)) return v.items.slice();
  if (v instanceof Set || isPySet(v) || isPyFrozenSet(v)) return [...v.values()];
  throw new PyTypeError(`${what}: expected an iterable, got ${typeof v}`);
}
