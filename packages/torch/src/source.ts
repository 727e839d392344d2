/**
 * Random access to a checkpoint's bytes, without reading the file whole: a `ByteSource` reads
 * `length` bytes at `position`, synchronously where the platform can (bytes in memory, a Node
 * file descriptor) and always asynchronously (a browser `Blob`/`File` reads only that way).
 *
 * The format readers are generators that yield the reads they need ({@link Read}) and receive
 * the bytes back, so one parser serves both: {@link runSync} answers from `readSync`,
 * {@link runAsync} from `read`.
 */
import { CheckpointError } from "./errors.js";

/** Where a checkpoint's bytes come from. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes at `position` (the caller checked the range against `size`). */
  read(position: number, length: number): Promise<Uint8Array>;
  /** The same, synchronously; absent for sources that only read asynchronously (Blob). */
  readonly readSync?: ((position: number, length: number) => Uint8Array) | undefined;
  /** Optional label for error messages (a path). */
  readonly name?: string;
}

/** One read a parser needs. */
export interface Read {
  readonly position: number;
  readonly length: number;
}

/** A parser: yields reads, receives their bytes, returns its result. */
export type Parse<T> = Generator<Read, T, Uint8Array>;

/** Checks a range against the source size, then asks for it (all parsers read through this). */
export function* readAt(
  source: { readonly size: number },
  position: number,
  length: number,
  what: string,
): Parse<Uint8Array> {
  if (
    !Number.isSafeInteger(position) ||
    !Number.isSafeInteger(length) ||
    position < 0 ||
    length < 0 ||
    position + length > source.size
  ) {
    throw new CheckpointError(
      `${what}: bytes ${position}..${position + length} are outside the file (${source.size} bytes)`,
    );
  }
  if (length === 0) return new Uint8Array(0);
  return yield { position, length };
}

/** Runs a parser on a synchronous source. @throws CheckpointError when the source reads only asynchronously. */
export function runSync<T>(parse: Parse<T>, source: ByteSource): T {
  const readSync = source.readSync;
  if (readSync === undefined) {
    throw new CheckpointError(
      "this source reads only asynchronously (a Blob or File): use the async API (loadCheckpoint, await tensor.data())",
    );
  }
  let step = parse.next();
  while (!step.done)
    step = parse.next(checked(readSync.call(source, step.value.position, step.value.length), step.value));
  return step.value;
}

/** Runs a parser on any source, reading asynchronously. */
export async function runAsync<T>(parse: Parse<T>, source: ByteSource): Promise<T> {
  let step = parse.next();
  while (!step.done) {
    step = parse.next(checked(await source.read(step.value.position, step.value.length), step.value));
  }
  return step.value;
}

function checked(bytes: Uint8Array, read: Read): Uint8Array {
  if (bytes.length !== read.length) {
    throw new CheckpointError(
      `short read: ${bytes.length} of ${read.length} bytes at ${read.position} (was the file truncated?)`,
    );
  }
  return bytes;
}

/**
 * A source over bytes in memory: reads are views (no copy), synchronous and asynchronous.
 */
export function bytesSource(data: Uint8Array | ArrayBuffer): ByteSource {
  // A plain Uint8Array over the same memory: a Node Buffer's `slice` is a view, not a copy.
  const bytes =
    data instanceof Uint8Array
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);
  return {
    size: bytes.length,
    readSync: (position, length) => bytes.subarray(position, position + length),
    read: async (position, length) => bytes.subarray(position, position + length),
  };
}

/** A source over a `Blob` or `File` (browsers, Deno, Bun, Node): asynchronous reads of slices. */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (position, length) =>
      new Uint8Array(await blob.slice(position, position + length).arrayBuffer()),
    ...(typeof (blob as File).name === "string" ? { name: (blob as File).name } : {}),
  };
}

/** What `loadCheckpoint` and friends accept on every platform. */
export type CheckpointSource = ByteSource | Uint8Array | ArrayBuffer | Blob;

function isByteSource(v: unknown): v is ByteSource {
  return (
    v !== null &&
    typeof v === "object" &&
    typeof (v as ByteSource).size === "number" &&
    typeof (v as ByteSource).read === "function" &&
    !(typeof Blob !== "undefined" && v instanceof Blob)
  );
}

/** The ByteSource of any accepted source. @throws TypeError for anything else. */
export function toByteSource(source: CheckpointSource): ByteSource {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return bytesSource(source);
  if (typeof Blob !== "undefined" && source instanceof Blob) return blobSource(source);
  if (isByteSource(source)) return source;
  throw new TypeError("a checkpoint source is a Uint8Array, an ArrayBuffer, a Blob/File or a ByteSource");
}
