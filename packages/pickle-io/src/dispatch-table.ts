import { PyTypeError } from "@x/pyobject";
import type { ReduceValue } from "./registry.js";

/**
 * A reducer, as registered with `copyreg.pickle`: returns what `__reduce__` would (a
 * `ReduceValue`), for instances of one JS class.
 */
// biome-ignore lint/suspicious/noExplicitAny: reducers receive instances of their own class
export type Reducer = (obj: any) => ReduceValue;

/** JS class (constructor) -> reducer, like `copyreg.dispatch_table` keyed by type. */
export type DispatchTable = Map<Function, Reducer>;

/**
 * The process-wide table (`copyreg.dispatch_table`), consulted by every `Pickler` that has no
 * `dispatchTable` of its own (a per-instance table replaces it, as in CPython).
 */
export const dispatchTable: DispatchTable = new Map();

/**
 * Registers `reducer` for instances of `jsClass` in the global dispatch table, as
 * `copyreg.pickle(type, function)`.
 * @throws PyTypeError when `reducer` is not a function (as copyreg's "reduction functions must be callable").
 */
export function pickle(jsClass: Function, reducer: Reducer): void {
  if (typeof reducer !== "function") throw new PyTypeError("reduction functions must be callable");
  dispatchTable.set(jsClass, reducer);
}
