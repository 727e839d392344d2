import { isPyByteArray, type PyByteArray, PyTypeError, pyTypeName } from "@x/pyobject";
import { type BytesLike, bytesOf } from "./bytes-input.js";
import { decodeJSONBytesTracked } from "./decode-bytes.js";
import type { LoadsOptions } from "./decoder-options.js";
import { JSONDecodeError, UNIT_INDEX } from "./json-decode-error.js";
import { JSONDecoder } from "./json-decoder.js";

const defaultDecoder = new JSONDecoder();

function hasOptions(o: LoadsOptions | undefined): o is LoadsOptions {
  if (!o) return false;
  for (const k in o) if ((o as Record<string, unknown>)[k] !== undefined) return true;
  return false;
}

/** The JSON text of `s`: a str as is (a leading BOM rejected), bytes decoded as Python does. */
function textOf(s: unknown): { text: string; splitPairs: number[] | undefined } {
  if (typeof s === "string") {
    if (s.charCodeAt(0) === 0xfeff)
      throw new JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", s, 0);
    return { text: s, splitPairs: undefined };
  }
  const bytes = bytesOf(s);
  if (bytes !== undefined) return decodeJSONBytesTracked(bytes);
  if (isPyByteArray(s)) return decodeJSONBytesTracked(s.bytes);
  // A JS number is read as the natural model reads it: integral is int.
  const type = typeof s === "number" && Number.isInteger(s) ? "int" : pyTypeName(s);
  throw new PyTypeError(`the JSON object must be str, bytes or bytearray, not ${type}`);
}

/**
 * Python counts a high and a low surrogate that bytes decoded separately as two code points;
 * the JS string holds them as a pair, counted once. Moves the error's position to Python's.
 */
function pythonPosition(e: unknown, text: string, splitPairs: number[]): unknown {
  if (!JSONDecodeError.isInstance(e) || e.doc !== text) return e;
  const unit = (e as { [UNIT_INDEX]?: number })[UNIT_INDEX];
  if (unit === undefined) return e;
  let extra = 0;
  for (const high of splitPairs) if (high + 1 < unit) extra++;
  return extra === 0 ? e : new JSONDecodeError(e.msg, text, e.pos + extra);
}

/**
 * Python's `json.loads(s, **options)`. `s` is a string, or bytes (`Uint8Array`, Buffer, any
 * other `ArrayBufferView`, `ArrayBuffer`, `PyByteArray`) whose encoding (UTF-8, UTF-8 with BOM, UTF-16, UTF-32) is detected as Python's
 * `json.detect_encoding` does and decoded with `surrogatepass`.
 *
 * Natural model (default): ints → number (bigint beyond ±(2**53-1)), floats → number (`1.0`
 * becomes `1`, `-0.0` stays `-0`), objects → plain objects with own keys (duplicates: last value
 * wins), arrays → arrays. Faithful model: ints → bigint, objects → `PyDict`.
 *
 * @throws {JSONDecodeError} malformed text, or a str starting with U+FEFF.
 * @throws {UnicodeDecodeError} bytes invalid in the detected encoding.
 * @throws {PyTypeError} `s` is neither text nor bytes.
 *
 * `T` is the result type for callers who know the document's shape (not checked).
 * @throws {PyValueError} an int literal longer than `intMaxStrDigits` (4300 by default).
 */
export function loads<T = unknown>(s: string | BytesLike | PyByteArray, options?: LoadsOptions): T {
  const { text, splitPairs } = textOf(s);
  if (splitPairs === undefined) return decodeText(text, options) as T;
  try {
    return decodeText(text, options) as T;
  } catch (e) {
    throw pythonPosition(e, text, splitPairs);
  }
}

/**
 * Decoders for option sets that run no user code (only `model` and `strict`), shared across
 * calls as the default one is: `loads(s, { model })` in a loop then costs no construction.
 */
const sharedDecoders: (JSONDecoder | undefined)[] = [defaultDecoder, undefined, undefined, undefined];

/** Index in `sharedDecoders` for these options, or -1 when they need a decoder of their own. */
function sharedSlot(o: LoadsOptions): number {
  let slot = 0;
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (k === "model") {
      if (v === "faithful") slot |= 1;
      else if (v !== "natural") return -1;
    } else if (k === "strict") {
      if (v === false) slot |= 2;
      else if (v !== true) return -1;
    } else return -1;
  }
  return slot;
}

function decodeText(text: string, options: LoadsOptions | undefined): unknown {
  if (!hasOptions(options)) return defaultDecoder.decode(text);
  const slot = sharedSlot(options);
  if (slot >= 0) {
    let d = sharedDecoders[slot];
    if (d === undefined) {
      d = new JSONDecoder({ model: slot & 1 ? "faithful" : "natural", strict: (slot & 2) === 0 });
      sharedDecoders[slot] = d;
    }
    return d.decode(text);
  }
  const { cls, ...kw } = options;
  return new (cls ?? JSONDecoder)(kw).decode(text);
}

/** A chunk of a `load` source: text, or bytes in any shape `loads` takes. */
export type JSONChunk = string | BytesLike;

/**
 * The part of a Web `ReadableStream` that `load` uses (declared here, so the types need neither
 * the DOM lib nor @types/node; a `ReadableStream` of strings or bytes is one).
 */
export interface JSONReadableStream {
  getReader(): {
    read(): Promise<{ done: true; value?: unknown } | { done: false; value: JSONChunk }>;
    releaseLock(): void;
  };
}

/** A source `load` reads to its end: a Web `ReadableStream` or any async iterable of chunks. */
export type JSONSource = JSONReadableStream | AsyncIterable<JSONChunk>;

/**
 * Python's `json.load(fp, **options)`: reads the whole source, then `loads` it. Byte chunks
 * are joined and decoded as `loads` decodes bytes; string chunks are joined as text.
 * @throws {JSONDecodeError} {UnicodeDecodeError} {PyValueError} as `loads`.
 * @throws {PyTypeError} a chunk that is neither a string nor bytes, or a mix of both.
 */
export async function load<T = unknown>(source: JSONSource, options?: LoadsOptions): Promise<T> {
  return loads<T>(await readAll(source), options);
}

/** Reads every chunk of a stream or async iterable into one string or one byte array. */
export async function readAll(source: JSONSource): Promise<string | Uint8Array> {
  const chunks: unknown[] = [];
  if (typeof (source as JSONReadableStream).getReader === "function") {
    const reader = (source as JSONReadableStream).getReader();
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        chunks.push(r.value);
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const chunk of source as AsyncIterable<unknown>) chunks.push(chunk);
  }
  return joinChunks(chunks);
}

/** Joins chunks that are all strings or all bytes-like. */
export function joinChunks(chunks: ReadonlyArray<unknown>): string | Uint8Array {
  let text = 0;
  let total = 0;
  const bytes: Uint8Array[] = [];
  for (const c of chunks) {
    if (typeof c === "string") {
      text++;
      continue;
    }
    const b = bytesOf(c);
    if (b === undefined)
      throw new PyTypeError(`a JSON source chunk must be str or bytes, not ${pyTypeName(c)}`);
    bytes.push(b);
    total += b.length;
  }
  if (text === chunks.length && text > 0) return (chunks as string[]).join("");
  if (text > 0) throw new PyTypeError("a JSON source must yield only str or only bytes chunks");
  if (bytes.length === 1) return bytes[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of bytes) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
