import { BRAND } from "./brand.js";

/** Python's `Ellipsis` (`...`): the one instance of `PyEllipsisType`. */
export class PyEllipsisType {
  declare readonly [BRAND]: "ellipsis";
  toString(): string {
    return "Ellipsis";
  }
}
Object.defineProperty(PyEllipsisType.prototype, BRAND, { value: "ellipsis" });

/** Python's `NotImplemented`: the one instance of `PyNotImplementedType`. */
export class PyNotImplementedType {
  declare readonly [BRAND]: "notimplemented";
  toString(): string {
    return "NotImplemented";
  }
}
Object.defineProperty(PyNotImplementedType.prototype, BRAND, { value: "notimplemented" });

// Shared across package copies through the global symbol registry, so identity checks hold.
const registry = globalThis as { [k: symbol]: unknown };
const ELLIPSIS_KEY = Symbol.for("@x/pyobject.Ellipsis");
const NOT_IMPLEMENTED_KEY = Symbol.for("@x/pyobject.NotImplemented");
registry[ELLIPSIS_KEY] ??= Object.freeze(new PyEllipsisType());
registry[NOT_IMPLEMENTED_KEY] ??= Object.freeze(new PyNotImplementedType());

/** Python's `Ellipsis`. */
export const Ellipsis = registry[ELLIPSIS_KEY] as PyEllipsisType;
/** Python's `NotImplemented`. */
export const NotImplemented = registry[NOT_IMPLEMENTED_KEY] as PyNotImplementedType;
