/**
 * The parts of the Web Streams API this package uses, declared here so its types need neither
 * the DOM lib nor `@types/node` (a project with `lib: es2022` and `types: []` compiles against
 * it). The platform's `ReadableStream<Uint8Array>` and `WritableStream<Uint8Array>` fit them.
 */

/** A Web `ReadableStream` of byte chunks (what `getReader()` gives is all this package uses). */
export interface WebReadableStream<R = Uint8Array> {
  getReader(): WebStreamReader<R>;
}

/** A `ReadableStreamDefaultReader`. */
export interface WebStreamReader<R> {
  read(): Promise<{ done: false; value: R } | { done: true; value?: R | undefined }>;
  releaseLock(): void;
}

/** A Web `WritableStream` of byte chunks. */
export interface WebWritableStream<W = Uint8Array> {
  getWriter(): WebStreamWriter<W>;
}

/** A `WritableStreamDefaultWriter`. */
export interface WebStreamWriter<W> {
  readonly ready: Promise<unknown>;
  write(chunk: W): Promise<void>;
  releaseLock(): void;
}

/** True for the platform's `ReadableStream` (false where there is none). */
export function isWebReadableStream(v: unknown): v is WebReadableStream {
  const RS = (globalThis as { ReadableStream?: abstract new () => object }).ReadableStream;
  return RS !== undefined && v instanceof RS;
}

/** True for the platform's `WritableStream` (false where there is none). */
export function isWebWritableStream(v: unknown): v is WebWritableStream {
  const WS = (globalThis as { WritableStream?: abstract new () => object }).WritableStream;
  return WS !== undefined && v instanceof WS;
}
