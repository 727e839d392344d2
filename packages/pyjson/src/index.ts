/**
 * @x/pyjson: Python's json module for TypeScript.
 */
// --- encoding (dumps, dump, JSONEncoder) ---
export { type JSONEncoderOptions } from "./encoder/config.js";
export { type DumpOptions, dump, type WebSink, type WriteSink } from "./encoder/dump.js";
export { type DumpsOptions, dumps } from "./encoder/dumps.js";
export { encodeBasestring, encodeBasestringAscii } from "./encoder/escape.js";
export { JSONEncoder, type JSONEncoderClass } from "./encoder/json-encoder.js";
// --- decoding (loads, load, JSONDecoder, JSONDecodeError) ---
export { type JSONEncodingName, detectEncoding } from "./decoder/decode-bytes.js";
export type {
  DecodedObject,
  JSONConstantName,
  JSONDecoderOptions,
  LoadsOptions,
} from "./decoder/decoder-options.js";
export { JSONDecodeError } from "./decoder/json-decode-error.js";
export { JSONDecoder } from "./decoder/json-decoder.js";
export { type JSONSource, load, loads } from "./decoder/loads.js";
export { UnicodeDecodeError } from "./decoder/unicode-decode-error.js";
export {};
