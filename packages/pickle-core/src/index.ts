/**
 * @x/pickle-core: pickle opcodes, the byte-level decoder and encoder, and pickletools.
 */
// --- errors and opcodes (shared) ---
export {
  PickleEOFError,
  PickleError,
  type PickleErrorOptions,
  PicklingError,
  UnpicklingError,
} from "./errors.js";
export { DEFAULT_PROTOCOL, HIGHEST_PROTOCOL, OP, OP_NAMES, type OpCode, type OpName } from "./opcodes.js";
// --- decoder (unpickling) ---
// --- encoder (pickling) ---
// --- pickletools ---
