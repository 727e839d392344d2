import { PyTypeError } from "./errors.js";

/**
 * Hooks that let types defined outside this package (datetime, Decimal, ...) take part in
 * Python semantics: be dict keys and set members, compare equal, hash and print like CPython.
 * An object opts in by carrying methods under these registered symbols (shared across
 * package copies through `Symbol.for`):
 *
 * - `[PY_EQ](other)`: Python's `__eq__`. Return `true`/`false`, or `undefined` for
 *   NotImplemented (then the other side's hook is tried, then identity).
 * - `[PY_HASH]()`: Python's `__hash__`, a bigint. Objects that compare equal must hash alike.
 *   An object with `PY_EQ` but no `PY_HASH` is unhashable, as in Python.
 * - `[PY_REPR]()`: Python's `__repr__`, a string.
 * - `[PY_TYPE_NAME]`: the Python type name used in error messages (a string property).
 */
export const PY_EQ: unique symbol = Symbol.for("@x/pyobject.eq");
export const PY_HASH: unique symbol = Symbol.for("@x/pyobject.hash");
export const PY_REPR: unique symbol = Symbol.for("@x/pyobject.repr");
export const PY_TYPE_NAME: unique symbol = Symbol.for("@x/pyobject.typeName");

/** The optional hook methods an object may carry. */
export interface PyHooks {
  [PY_EQ]?(other: unknown): boolean | undefined;
  [PY_HASH]?(): bigint;
  [PY_REPR]?(): string;
  readonly [PY_TYPE_NAME]?: string;
}

/** The hooks of `v` when it is an object that carries at least one, else `undefined`. */
export function hooksOf(v: unknown): PyHooks | undefined {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return undefined;
  const h = v as PyHooks;
  return typeof h[PY_EQ] === "function" ||
    typeof h[PY_HASH] === "function" ||
    typeof h[PY_REPR] === "function"
    ? h
    : undefined;
}

/**
 * Calls an object's `PY_HASH` hook; a bigint or a safe integer number is accepted.
 * @throws {PyTypeError} when the hook returns anything else (CPython: "__hash__ method should
 * return an integer").
 */
export function callHashHook(v: object, hook: () => unknown): bigint {
  const h = hook.call(v);
  if (typeof h === "bigint") return h;
  if (typeof h === "number" && Number.isSafeInteger(h)) return BigInt(h);
  throw new PyTypeError("__hash__ method should return an integer");
}
