/**
 * The error a malformed or unsupported checkpoint raises. It is an `UnpicklingError` (so code
 * that catches pickle's errors catches it too), marked with its own `Symbol.for` kind so
 * `CheckpointError.isInstance` works across two installed copies of the package.
 */
import { UnpicklingError } from "@x/pickle-io";

const MARKER = Symbol.for("@x/pickle-core.error");

/** A checkpoint file is malformed, truncated, or uses something this package does not read. */
export class CheckpointError extends UnpicklingError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CheckpointError";
  }
  static override isInstance(e: unknown): e is CheckpointError {
    const kinds = (e as { [MARKER]?: readonly string[] } | null)?.[MARKER];
    return Array.isArray(kinds) && kinds.includes("CheckpointError");
  }
}
Object.defineProperty(CheckpointError.prototype, MARKER, {
  value: ["PickleError", "UnpicklingError", "CheckpointError"],
});
