/**
 * @x/pickle-core: pickle opcodes, the byte-level decoder and encoder, and pickletools.
 */
// --- errors and opcodes (shared) ---

// --- decoder (unpickling) ---
export { type DecoderHooks, inertHooks, kwargsAsPyDict } from "./decoder/hooks.js";
export { type DecoderOptions, NEED_MORE, type NeedMore, PickleDecoder } from "./decoder/machine.js";
// --- encoder (pickling) ---
export {
  ByteWriter,
  FRAME_HEADER_SIZE,
  FRAME_SIZE_MIN,
  FRAME_SIZE_TARGET,
  type PickleSink,
} from "./encoder/byte-writer.js";
export { longBytes } from "./encoder/long-bytes.js";
export { DEFAULT_INT_MAX_STR_DIGITS, PickleEncoder } from "./encoder/pickle-encoder.js";
export { rawUnicodeEscapeInto, rawUnicodeEscapeLength } from "./encoder/raw-unicode-escape.js";
export { encodeUtf8Into, utf8Length } from "./encoder/utf8.js";
export {
  PickleEOFError,
  PickleError,
  type PickleErrorOptions,
  PicklingError,
  UnpicklingError,
} from "./errors.js";
export { DEFAULT_PROTOCOL, HIGHEST_PROTOCOL, OP, OP_NAMES, type OpCode, type OpName } from "./opcodes.js";
export { PickleBuffer } from "./pickle-buffer.js";
// --- pickletools ---
export {
  ARGUMENT_DESCRIPTORS,
  type ArgumentDescriptor,
  type DisMemo,
  type DisOptions,
  type DisOutput,
  dis,
  type GenopsItem,
  type GenopsItemWithEnd,
  type GenopsOptions,
  genops,
  OPCODES,
  type OpcodeInfo,
  optimize,
  type PickleArg,
  PickletoolsError,
  type PickletoolsErrorOptions,
  type PickletoolsErrorType,
  STACK_OBJECTS,
  type StackObject,
  TAKEN_FROM_ARGUMENT1,
  TAKEN_FROM_ARGUMENT4,
  TAKEN_FROM_ARGUMENT4U,
  TAKEN_FROM_ARGUMENT8U,
  UP_TO_NEWLINE,
} from "./pickletools/index.js";
