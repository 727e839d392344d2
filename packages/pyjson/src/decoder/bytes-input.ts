/** Bytes-like JS values: what Python's bytes-taking functions accept here. */

/** A Uint8Array (Buffer included), any other ArrayBufferView (DataView, typed arrays) or an ArrayBuffer. */
export type BytesLike = ArrayBufferView | ArrayBufferLike;

const toTag = Object.prototype.toString;

/**
 * The bytes of `x`: a Uint8Array as is, another view's bytes (its own window of its buffer, so
 * a pooled Buffer at any offset reads only itself), an ArrayBuffer's whole contents; undefined
 * for anything else.
 */
export function bytesOf(x: unknown): Uint8Array | undefined {
  if (x instanceof Uint8Array) return x;
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (typeof x === "object" && x !== null) {
    const tag = toTag.call(x);
    // Another realm's or a shared buffer.
    if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]")
      return new Uint8Array(x as ArrayBufferLike);
  }
  return undefined;
}
