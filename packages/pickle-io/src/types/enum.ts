/**
 * Enum members. CPython pickles `Color.RED` as `Color(value)` (REDUCE on the class); the
 * enum class itself is user code this library never runs, so a member loads as an inert
 * `PyInstance` holding the class reference and the value, and dumps back identically.
 */
import { isPyGlobal, isPyInstance, PyGlobal, PyInstance } from "@x/pyobject";

/** A member of the enum `module.qualname` with this value, as CPython pickles it. */
export function enumMember(module: string, qualname: string, value: unknown): PyInstance {
  return new PyInstance(new PyGlobal(module, qualname), [value], "reduce");
}

/**
 * The class and value of something that was pickled as `Class(value)` (an enum member, or
 * any one-argument call): `undefined` when `v` is not such an inert instance.
 */
export function enumParts(v: unknown): { module: string; qualname: string; value: unknown } | undefined {
  if (!isPyInstance(v) || v.kind !== "reduce" || v.args.length !== 1 || !isPyGlobal(v.cls)) return undefined;
  return { module: v.cls.module, qualname: v.cls.name, value: v.args[0] };
}
