/**
 * The builtin types CPython's own pickles name as plain references (e.g.
 * `copyreg._reconstructor(cls, object, None)`): strict mode lets them through, and the scanner
 * grades them safe.
 */
export const BUILTIN_TYPE_NAMES: readonly string[] = [
  "object",
  "int",
  "float",
  "str",
  "bool",
  "bytes",
  "bytearray",
  "list",
  "tuple",
  "dict",
  "set",
  "frozenset",
  "complex",
];
