/**
 * The error pickletools raises. CPython's pickletools raises plain `ValueError`s (and, from
 * its codecs, `UnicodeDecodeError`); this keeps Python's exception type in `pyType` and its
 * exact message, so the CLI can print the same last line as Python's traceback.
 */
import { PickleError, type PickleErrorOptions } from "../errors.js";

const MARKER = Symbol.for("@x/pickle-core.error");

/** The Python exception CPython's pickletools raises for the same input. */
export type PickletoolsErrorType =
  | "ValueError"
  | "UnicodeDecodeError"
  | "IndexError"
  | "TypeError"
  | "MemoryError";

export interface PickletoolsErrorOptions extends PickleErrorOptions {
  /** Python's exception type; defaults to `ValueError`. */
  pyType?: PickletoolsErrorType;
}

/**
 * A pickle that pickletools cannot walk (bad opcode, truncated argument, failed stack or memo
 * check). `message` is CPython's message; `pyType` is CPython's exception type; `output` is
 * what `dis` printed before it failed, when the error comes from `dis`.
 */
export class PickletoolsError extends PickleError {
  override readonly pyType: PickletoolsErrorType;
  /** The disassembly text written before the failure (only set by `dis`). */
  output: string | undefined;
  constructor(message: string, options?: PickletoolsErrorOptions) {
    super(message, options);
    this.pyType = options?.pyType ?? "ValueError";
    this.name = this.pyType;
    this.output = undefined;
  }
  static override isInstance(e: unknown): e is PickletoolsError {
    const kinds = (e as { [MARKER]?: readonly string[] } | null)?.[MARKER];
    return Array.isArray(kinds) && kinds.includes("PickletoolsError");
  }
}
Object.defineProperty(PickletoolsError.prototype, MARKER, { value: ["PickleError", "PickletoolsError"] });
