/**
 * @x/pyobject: Python's value model. Faithful model: int ↔ bigint, float ↔ number,
 * bool ↔ boolean, None ↔ null, str ↔ string, bytes ↔ Uint8Array, list ↔ Array, and the
 * classes below where JS has no exact type.
 */
export { BRAND, type Brand, brandOf } from "./brand.js";
export { isPyByteArray, PyByteArray } from "./bytearray.js";
export { asBytes, type BytesLike, isBytesLike } from "./bytes-like.js";
export { isPyComplex, PyComplex } from "./complex.js";
export { type ToFaithfulOptions, type ToNaturalOptions, toFaithful, toNatural } from "./convert.js";
export { isPyDict, PyDict } from "./dict.js";
export { type EntryTable, entryTable } from "./entry-table.js";
export { pyEquals } from "./equality.js";
export { PyError, PyKeyError, PyTypeError, PyValueError } from "./errors.js";
export { floatRepr } from "./float-repr.js";
export { isPyGlobal, PyGlobal } from "./global.js";
export { pyHash } from "./hash.js";
export {
  equalPairs,
  MAX_HOOK_NESTING,
  PY_EQ,
  PY_HASH,
  PY_REPR,
  PY_TYPE_NAME,
  type PyEqualPairs,
  type PyHooks,
  type PyReprParts,
  reprParts,
} from "./hooks.js";
export { isPyInstance, PyInstance, type PyInstanceKind } from "./instance.js";
export { lookupHash } from "./lookup-hash.js";
export { numericKey } from "./numeric-key.js";
export { type PformatOptions, pformat } from "./pformat.js";
export { isPrintable } from "./printable.js";
export { complexRepr, type PyReprOptions, pyRepr } from "./repr.js";
export { isPyFrozenSet, isPySet, PyFrozenSet, PySet } from "./set.js";
export { Ellipsis, NotImplemented, PyEllipsisType, PyNotImplementedType } from "./singletons.js";
export { strLess } from "./str-order.js";
export { byteArrayRepr, bytesRepr, strRepr } from "./str-repr.js";
export { isPyTuple, PyTuple } from "./tuple.js";
export { pyTypeName } from "./type-name.js";
