import { PyError, PyTypeError } from "./errors.js";

/**
 * Hooks that let types defined outside this package (datetime, Decimal, ...) take part in
 * Python semantics: be dict keys and set members, compare equal, hash and print like CPython.
 * An object opts in by carrying methods under these registered symbols (shared across
 * package copies through `Symbol.for`):
 *
 * - `[PY_EQ](other)`: Python's `__eq__`. Return `true`/`false`, or `undefined` for
 *   NotImplemented (then the other side's hook is tried, then identity). A type whose
 *   equality depends on values it holds returns `equalPairs(a1, b1, a2, b2, ...)` instead of
 *   calling `pyEquals` itself: `pyEquals` then compares each pair on its own explicit stack,
 *   so cycles and deep nesting through the hook stay bounded.
 * - `[PY_HASH]()`: Python's `__hash__`, a bigint. Objects that compare equal must hash alike.
 *   An object with `PY_EQ` but no `PY_HASH` is unhashable, as in Python.
 * - `[PY_REPR]()`: Python's `__repr__`, a string. A type whose repr shows values it holds
 *   returns ``reprParts`slice(${start}, ${stop}, ${step})` `` instead of calling `pyRepr`
 *   itself: `pyRepr` and `pformat` then print those values on their own explicit stack, with
 *   their cycle markers (`[...]`), so a value holding itself through the hook prints as in
 *   CPython and 100,000 levels of nesting print without a stack overflow.
 *
 * Hooks that still call `pyRepr`/`pyEquals` themselves go through the same guard: nested
 * calls share the outer call's cycle markers and stop with Python's RecursionError (a
 * `PyError`) beyond {@link MAX_HOOK_NESTING} levels, never a JS stack overflow.
 * - `[PY_TYPE_NAME]`: the Python type name used in error messages (a string property).
 */
export const PY_EQ: unique symbol = Symbol.for("@x/pyobject.eq");
export const PY_HASH: unique symbol = Symbol.for("@x/pyobject.hash");
export const PY_REPR: unique symbol = Symbol.for("@x/pyobject.repr");
export const PY_TYPE_NAME: unique symbol = Symbol.for("@x/pyobject.typeName");

/**
 * A repr that holds other values: `parts` alternates text and values, starting and ending with
 * text (`["slice(", start, ", ", stop, ", ", step, ")"]`). `recursive`, when set, is printed
 * instead when the object is met again inside its own repr (CPython's `Py_ReprEnter`, e.g.
 * `"namespace(...)"`); without it the object is not a cycle stop, as CPython's `slice`.
 */
export interface PyReprParts {
  readonly parts: readonly unknown[];
  readonly recursive?: string;
}

/** Pairs of values that must all be equal: `[a1, b1, a2, b2, ...]`. */
export interface PyEqualPairs {
  readonly pairs: readonly unknown[];
}

/**
 * Builds a {@link PyReprParts} from a template: ``reprParts`slice(${a}, ${b}, ${c})` ``
 * prints each interpolated value with Python's repr.
 */
export function reprParts(strings: TemplateStringsArray, ...values: unknown[]): PyReprParts {
  const parts: unknown[] = [strings[0]];
  for (let i = 0; i < values.length; i++) parts.push(values[i], strings[i + 1]);
  return { parts };
}

/** Builds a {@link PyEqualPairs}: `equalPairs(a1, b1, a2, b2)` is `a1 == b1 and a2 == b2`. */
export function equalPairs(...pairs: unknown[]): PyEqualPairs {
  if (pairs.length % 2 !== 0) throw new PyTypeError("equalPairs takes pairs of values");
  return { pairs };
}

/** Whether a PY_REPR result is structured (else it must be a string). */
export function isReprParts(r: unknown): r is PyReprParts {
  return typeof r === "object" && r !== null && Array.isArray((r as PyReprParts).parts);
}

/** Whether a PY_EQ result is structured (else it is a boolean or undefined). */
export function isEqualPairs(r: unknown): r is PyEqualPairs {
  return typeof r === "object" && r !== null && Array.isArray((r as PyEqualPairs).pairs);
}

/** How deep `pyRepr`/`pyEquals`/`pformat` may be called from inside hooks before RecursionError. */
export const MAX_HOOK_NESTING = 200;

let hookNesting = 0;

/**
 * Enters one nested walk (a call made while another walk of this package runs, i.e. from a
 * hook). Pair it with {@link leaveWalk} in a `finally`.
 * @throws {PyError} Python's RecursionError beyond MAX_HOOK_NESTING nested walks.
 */
export function enterWalk(what: string): void {
  if (hookNesting >= MAX_HOOK_NESTING) {
    throw new PyError("RecursionError", `maximum recursion depth exceeded while ${what}`);
  }
  hookNesting++;
}

export function leaveWalk(): void {
  hookNesting--;
}

/** The optional hook methods an object may carry. */
export interface PyHooks {
  [PY_EQ]?(other: unknown): boolean | undefined | PyEqualPairs;
  [PY_HASH]?(): bigint;
  [PY_REPR]?(): string | PyReprParts;
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
