/**
 * @x/pyjson: Python's json module for TypeScript.
 */
// --- the value model users meet: what faithful loads returns and dumps takes (from @x/pyobject) ---
export {
  isPyByteArray,
  isPyDict,
  isPyFrozenSet,
  isPySet,
  isPyTuple,
  PyByteArray,
  PyDict,
  PyError,
  PyFrozenSet,
  PySet,
  PyTuple,
  PyTypeError,
  PyValueError,
  pyRepr,
  toFaithful,
  toNatural,
} from "@x/pyobject";
// --- decoding (loads, load, JSONDecoder, JSONDecodeError) ---
export type { BytesLike } from "./decoder/bytes-input.js";
export { detectEncoding, type JSONEncodingName } from "./decoder/decode-bytes.js";
export type {
  DecodedObject,
  JSONConstantName,
  JSONDecoderOptions,
  LoadsOptions,
} from "./decoder/decoder-options.js";
export { JSONDecodeError } from "./decoder/json-decode-error.js";
export { JSONDecoder, scanstring } from "./decoder/json-decoder.js";
export {
  type JSONChunk,
  type JSONReadableStream,
  type JSONSource,
  load,
  loads,
} from "./decoder/loads.js";
export { UnicodeDecodeError } from "./decoder/unicode-decode-error.js";
// --- encoding (dumps, dump, JSONEncoder); after decoding because biome sorts exports by path ---
export type { JSONEncoderOptions } from "./encoder/config.js";
export { type DumpOptions, dump, type WebSink, type WriteSink } from "./encoder/dump.js";
export { type DumpsOptions, dumps } from "./encoder/dumps.js";
export { encodeBasestring, encodeBasestringAscii } from "./encoder/escape.js";
export { JSONEncoder, type JSONEncoderClass } from "./encoder/json-encoder.js";
