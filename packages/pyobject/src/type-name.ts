import { brandOf } from "./brand.js";
import { PY_TYPE_NAME } from "./hooks.js";

/** The Python type name of a model value (`type(v).__name__`), for error messages. */
export function pyTypeName(v: unknown): string {
  switch (typeof v) {
    case "string":
      return "str";
    case "number":
      return "float";
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "undefined":
      return "NoneType";
    case "function":
      return "function";
    case "symbol":
      return "symbol";
  }
  if (v === null) return "NoneType";
  if (Array.isArray(v)) return "list";
  if (v instanceof Uint8Array) return "bytes";
  const named0 = (v as { [PY_TYPE_NAME]?: unknown })[PY_TYPE_NAME];
  if (typeof named0 === "string") return named0;
  const b = brandOf(v);
  if (b !== undefined) {
    switch (b) {
      case "ellipsis":
        return "ellipsis";
      case "notimplemented":
        return "NotImplementedType";
      case "global":
        return "type";
      case "instance":
        return "object";
      default:
        return b;
    }
  }
  if (v instanceof Map) return "dict";
  if (v instanceof Set) return "set";
  const proto = Object.getPrototypeOf(v);
  // A plain object is a str-keyed dict in the natural view.
  if (proto === Object.prototype || proto === null) return "dict";
  return "object";
}
