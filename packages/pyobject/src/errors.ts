/**
 * Python's built-in exception kinds that the value model raises, as typed errors with
 * `Symbol.for` markers and a static `isInstance` that works across package copies.
 */
const MARKER = Symbol.for("@x/pyobject.error");

function hasKind(e: unknown, kind: string): boolean {
  const kinds = (e as { [MARKER]?: readonly string[] } | null)?.[MARKER];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** Base of the errors that mirror a Python exception; `pyType` is the Python class name. */
export class PyError extends Error {
  declare readonly [MARKER]: readonly string[];
  readonly pyType: string;
  constructor(pyType: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.pyType = pyType;
    this.name = pyType;
  }
  static isInstance(e: unknown): e is PyError {
    return hasKind(e, "PyError");
  }
}
Object.defineProperty(PyError.prototype, MARKER, { value: ["PyError"] });

/** Python's `TypeError` (unhashable keys, unorderable values, values with no Python type). */
export class PyTypeError extends PyError {
  constructor(message: string, options?: ErrorOptions) {
    super("TypeError", message, options);
  }
  static override isInstance(e: unknown): e is PyTypeError {
    return hasKind(e, "TypeError");
  }
}
Object.defineProperty(PyTypeError.prototype, MARKER, { value: ["PyError", "TypeError"] });

/** Python's `ValueError`. */
export class PyValueError extends PyError {
  constructor(message: string, options?: ErrorOptions) {
    super("ValueError", message, options);
  }
  static override isInstance(e: unknown): e is PyValueError {
    return hasKind(e, "ValueError");
  }
}
Object.defineProperty(PyValueError.prototype, MARKER, { value: ["PyError", "ValueError"] });

/** Python's `KeyError`. */
export class PyKeyError extends PyError {
  constructor(message: string, options?: ErrorOptions) {
    super("KeyError", message, options);
  }
  static override isInstance(e: unknown): e is PyKeyError {
    return hasKind(e, "KeyError");
  }
}
Object.defineProperty(PyKeyError.prototype, MARKER, { value: ["PyError", "KeyError"] });
