/**
 * pickle's exceptions: `PickleError` ⊃ `PicklingError`, `UnpicklingError`, and
 * `PickleEOFError` for an empty or exhausted source (CPython's `EOFError: Ran out of input`,
 * which, as in Python, is not an UnpicklingError). Each carries a `Symbol.for` marker, so
 * `isInstance` works across two installed copies of the package.
 */
const MARKER = Symbol.for("@x/pickle-core.error");

function hasKind(e: unknown, kind: string): boolean {
  const kinds = (e as { [MARKER]?: readonly string[] } | null)?.[MARKER];
  return Array.isArray(kinds) && kinds.includes(kind);
}

export interface PickleErrorOptions extends ErrorOptions {
  /** Byte offset of the opcode being decoded or written, when known. */
  offset?: number;
  /** The opcode byte, when known. */
  opcode?: number;
  /** CPython's exception type for the same input, when it is not the class's own (see `pyType`). */
  pyType?: string;
}

/** Base of every pickle error (Python's `pickle.PickleError`). */
export class PickleError extends Error {
  declare readonly [MARKER]: readonly string[];
  readonly offset: number | undefined;
  readonly opcode: number | undefined;
  /**
   * The name of the exception CPython's C `pickle` raises for the same input or value:
   * `"UnpicklingError"`, `"EOFError"`, `"ValueError"`, `"UnicodeDecodeError"`, `"TypeError"`,
   * `"LookupError"`, `"OverflowError"`, ... (`"PicklingError"` on the dumps side by default).
   */
  readonly pyType: string;
  constructor(message: string, options?: PickleErrorOptions) {
    super(message, options);
    this.name = "PickleError";
    this.offset = options?.offset;
    this.opcode = options?.opcode;
    this.pyType = options?.pyType ?? new.target.defaultPyType;
  }
  /** The `pyType` of errors of this class that do not name another. */
  static defaultPyType = "PickleError";
  static isInstance(e: unknown): e is PickleError {
    return hasKind(e, "PickleError");
  }
}
Object.defineProperty(PickleError.prototype, MARKER, { value: ["PickleError"] });

/** A value cannot be pickled (Python's `pickle.PicklingError`). */
export class PicklingError extends PickleError {
  constructor(message: string, options?: PickleErrorOptions) {
    super(message, options);
    this.name = "PicklingError";
  }
  static override defaultPyType = "PicklingError";
  static override isInstance(e: unknown): e is PicklingError {
    return hasKind(e, "PicklingError");
  }
}
Object.defineProperty(PicklingError.prototype, MARKER, { value: ["PickleError", "PicklingError"] });

/** The data is not a valid pickle (Python's `pickle.UnpicklingError`). */
export class UnpicklingError extends PickleError {
  constructor(message: string, options?: PickleErrorOptions) {
    super(message, options);
    this.name = "UnpicklingError";
  }
  static override defaultPyType = "UnpicklingError";
  static override isInstance(e: unknown): e is UnpicklingError {
    return hasKind(e, "UnpicklingError");
  }
}
Object.defineProperty(UnpicklingError.prototype, MARKER, { value: ["PickleError", "UnpicklingError"] });

/** The source ended before a pickle did, or held none (Python's `EOFError`). */
export class PickleEOFError extends PickleError {
  constructor(message = "Ran out of input", options?: PickleErrorOptions) {
    super(message, options);
    this.name = "EOFError";
  }
  static override defaultPyType = "EOFError";
  static override isInstance(e: unknown): e is PickleEOFError {
    return hasKind(e, "EOFError");
  }
}
Object.defineProperty(PickleEOFError.prototype, MARKER, { value: ["PickleError", "EOFError"] });
