/**
 * CPython shows sets in hash-table order, the model in insertion order: these print a value
 * with every set's members sorted by their text (UTF-16 order on both sides), so contents can
 * be compared exactly.
 */
import { isPyDict, isPyFrozenSet, isPySet, isPyTuple, pyRepr } from "../../src/index.js";

/** True when a set with two or more elements occurs in `v` (CPython orders those by hash). */
export function hasOrderedSet(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasOrderedSet);
  if (isPyTuple(v)) return v.items.some(hasOrderedSet);
  if (isPyDict(v)) return [...v].some(([k, x]) => hasOrderedSet(k) || hasOrderedSet(x));
  if (isPySet(v) || isPyFrozenSet(v)) return v.size > 1 || [...v].some(hasOrderedSet);
  return false;
}

/** pyRepr with every set's elements sorted by their text (UTF-16 order), to compare contents. */
export function sortedSetRepr(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedSetRepr).join(", ")}]`;
  if (isPyTuple(v)) return `(${v.items.map(sortedSetRepr).join(", ")}${v.items.length === 1 ? "," : ""})`;
  if (isPyDict(v))
    return `{${[...v].map(([k, x]) => `${sortedSetRepr(k)}: ${sortedSetRepr(x)}`).join(", ")}}`;
  if (isPySet(v) || isPyFrozenSet(v)) {
    const items = [...v].map(sortedSetRepr).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `${isPySet(v) ? "set" : "frozenset"}{${items.join(", ")}}`;
  }
  return pyRepr(v);
}

export const SORTED_SET_REPR_PY = `
def sorted_set_repr(x):
    t = type(x)
    if t is list:
        return '[' + ', '.join(map(sorted_set_repr, x)) + ']'
    if t is tuple:
        return '(' + ', '.join(map(sorted_set_repr, x)) + (',' if len(x) == 1 else '') + ')'
    if t is dict:
        return '{' + ', '.join(sorted_set_repr(k) + ': ' + sorted_set_repr(v) for k, v in x.items()) + '}'
    if t in (set, frozenset):
        items = sorted(map(sorted_set_repr, x), key=lambda s: s.encode('utf-16-be', 'surrogatepass'))
        return t.__name__ + '{' + ', '.join(items) + '}'
    return repr(x)
`;
