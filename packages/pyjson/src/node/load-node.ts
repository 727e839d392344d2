import { readFile } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { readFile as readPath } from "node:fs/promises";
import { Readable } from "node:stream";
import { PyTypeError, pyTypeName } from "@x/pyobject";
import type { LoadsOptions } from "../decoder/decoder-options.js";
import { type JSONSource, joinChunks, loads, readAll } from "../decoder/loads.js";

/**
 * What the Node `load` reads: a file path (string or `file:` URL), an open file descriptor
 * (read from its current position to the end), a `FileHandle`, a Node `Readable`, or anything
 * the platform-neutral `load` takes (Web `ReadableStream`, async iterable of chunks).
 */
export type NodeJSONSource = string | URL | number | FileHandle | Readable | JSONSource;

function isFileHandle(v: unknown): v is FileHandle {
  return (
    v !== null &&
    typeof v === "object" &&
    typeof (v as FileHandle).fd === "number" &&
    typeof (v as FileHandle).readFile === "function"
  );
}

function readFd(fd: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    readFile(fd, (err, data) => (err ? reject(err) : resolve(data)));
  });
}

/** Reads a Node source to its end: bytes, or text when a Readable yields strings. */
export async function readNodeSource(source: NodeJSONSource): Promise<string | Uint8Array> {
  if (typeof source === "string" || source instanceof URL) return new Uint8Array(await readPath(source));
  if (typeof source === "number") return readFd(source);
  if (isFileHandle(source)) return new Uint8Array(await source.readFile());
  if (source instanceof Readable) {
    const chunks: Array<Uint8Array | string> = [];
    for await (const chunk of source) chunks.push(chunk as Uint8Array | string);
    return joinChunks(chunks);
  }
  if (source !== null && typeof source === "object") return readAll(source);
  throw new PyTypeError(`cannot read JSON from ${pyTypeName(source)}`);
}

/**
 * Python's `json.load(fp, **options)` for Node sources: reads everything, then `loads` it
 * (bytes are decoded as `json.loads` decodes bytes: UTF-8/16/32 detected).
 * @throws {JSONDecodeError} {UnicodeDecodeError} {PyValueError} as `loads`.
 * @throws {PyTypeError} an unsupported source.
 * @throws Node's file system errors (ENOENT, EBADF, ...) unchanged.
 */
export async function load(source: NodeJSONSource, options?: LoadsOptions): Promise<unknown> {
  return loads(await readNodeSource(source), options);
}
