import { asBytes, type BytesLike, PyValueError } from "@x/pyobject";

const BRAND = Symbol.for("@x/pickle-core.PickleBuffer");

/**
 * Python's `pickle.PickleBuffer`: a view of a contiguous buffer that protocol 5 pickles
 * in-band (as bytes when read-only, as a bytearray when writable) or out-of-band through the
 * pickler's `bufferCallback`. A `Uint8Array` is Python's immutable `bytes`, so it is read-only
 * unless `{ readonly: false }` is passed; other typed arrays and DataViews are viewed as bytes.
 */
export class PickleBuffer {
  declare readonly [BRAND]: true;
  private view: Uint8Array | null;
  /** True when the buffer is read-only (pickled as bytes, or NEXT_BUFFER + READONLY_BUFFER). */
  readonly readonly: boolean;

  /** @throws PyTypeError for data that is not bytes-like ("a bytes-like object is required"). */
  constructor(data: BytesLike, options: { readonly?: boolean } = {}) {
    this.view = asBytes(data);
    this.readonly = options.readonly ?? true;
  }

  /**
   * The bytes of the buffer (no copy), as `PickleBuffer.raw()`.
   * @throws PyValueError after `release()`.
   */
  raw(): Uint8Array {
    if (this.view === null) throw new PyValueError("operation forbidden on released PickleBuffer object");
    return this.view;
  }

  /** Releases the view, as `PickleBuffer.release()`; later `raw()` calls throw. */
  release(): void {
    this.view = null;
  }

  static isInstance(v: unknown): v is PickleBuffer {
    return v !== null && typeof v === "object" && (v as { [BRAND]?: true })[BRAND] === true;
  }
}
Object.defineProperty(PickleBuffer.prototype, BRAND, { value: true });
