/**
 * Cross-copy type checks. Each model class carries a `Symbol.for` brand so `isPyTuple(x)` etc.
 * hold even when two copies of this package are installed (where `instanceof` fails).
 */
export const BRAND = Symbol.for("@x/pyobject.brand");

export type Brand =
  | "tuple"
  | "dict"
  | "set"
  | "frozenset"
  | "bytearray"
  | "complex"
  | "ellipsis"
  | "notimplemented"
  | "global"
  | "instance";

export function brandOf(v: unknown): Brand | undefined {
  return v !== null && typeof v === "object" ? ((v as { [BRAND]?: Brand })[BRAND] ?? undefined) : undefined;
}
