/**
 * A torch storage: the flat bytes tensors view. Read lazily: the bytes are fetched from the
 * checkpoint the first time a tensor over them is touched, then kept (so every tensor over
 * one storage shares one buffer, and writes through one are seen through the others) until
 * `release()`.
 */
import { PY_REPR } from "@x/pyobject";
import { type DType, type DTypeInfo, dtypeInfo, type TensorData } from "./dtype.js";
import { CheckpointError } from "./errors.js";
import { type ByteSource, type Parse, readAt, runAsync, runSync } from "./source.js";

/** Where a storage's bytes are in the file: their offset, or a parser finding it (zip: after the local header). */
export type Locator = number | (() => Parse<number>);

export class Storage {
  /** The element type the storage was saved with (`torch.FloatStorage` → float32). */
  readonly dtype: DType;
  /** Number of elements of `dtype`. */
  readonly numel: number;
  private cached: Uint8Array | null = null;
  private pending: Promise<Uint8Array> | null = null;
  private source: ByteSource | null = null;
  private locator: Locator | null = null;
  private base: Storage | null = null;
  private bigEndian = false;
  private baseOffset = 0;

  /**
   * @param key the storage's key in the checkpoint (`archive/data/<key>`), or "" for a new one.
   * @param location the device it was saved from (`"cpu"`, `"cuda:0"`); loading keeps it as data.
   */
  constructor(
    dtype: DType,
    numel: number,
    readonly key = "",
    readonly location = "cpu",
  ) {
    dtypeInfo(dtype);
    if (!Number.isSafeInteger(numel) || numel < 0) throw new CheckpointError(`bad storage size ${numel}`);
    this.dtype = dtype;
    this.numel = numel;
  }

  /** A storage over bytes in memory (their length must be a whole number of elements). */
  static fromBytes(bytes: Uint8Array, dtype: DType, key = "", location = "cpu"): Storage {
    const item = dtypeInfo(dtype).itemSize;
    if (bytes.length % item !== 0)
      throw new CheckpointError(`${bytes.length} bytes are not a whole number of ${dtype}`);
    const s = new Storage(dtype, bytes.length / item, key, location);
    s.cached = aligned(bytes);
    return s;
  }

  /** @internal Binds the storage to its bytes in a checkpoint (once the loader knows where). */
  bind(source: ByteSource, locator: Locator, bigEndian = false): void {
    this.source = source;
    this.locator = locator;
    this.bigEndian = bigEndian;
  }

  /** @internal Makes this storage a slice of another (legacy view storages). */
  viewOf(base: Storage, byteOffset: number): void {
    if (byteOffset < 0 || byteOffset + this.nbytes > base.nbytes) {
      throw new CheckpointError(`storage view ${this.key} lies outside storage ${base.key}`);
    }
    this.base = base;
    this.baseOffset = byteOffset;
  }

  get itemSize(): number {
    return dtypeInfo(this.dtype).itemSize;
  }

  get nbytes(): number {
    return this.numel * this.itemSize;
  }

  /** True once the bytes are in memory. */
  get isLoaded(): boolean {
    return this.cached !== null || (this.base?.isLoaded ?? false);
  }

  /** Whether `bytesSync()` can read (the bytes are loaded, or the source reads synchronously). */
  get canReadSync(): boolean {
    if (this.cached !== null) return true;
    if (this.base !== null) return this.base.canReadSync;
    return this.source?.readSync !== undefined;
  }

  /**
   * The storage's bytes, read from the checkpoint on first use.
   * @throws CheckpointError when the bytes are not in the file, or the source reads only asynchronously.
   */
  bytesSync(): Uint8Array {
    if (this.cached !== null) return this.cached;
    if (this.base !== null) return this.keep(this.base.bytesSync());
    const source = this.boundSource();
    return this.keep(runSync(this.read(source), source));
  }

  /** The storage's bytes, read from the checkpoint on first use. @throws CheckpointError as `bytesSync`. */
  async bytes(): Promise<Uint8Array> {
    if (this.cached !== null) return this.cached;
    if (this.pending !== null) return this.pending;
    const go = async (): Promise<Uint8Array> => {
      if (this.base !== null) return this.keep(await this.base.bytes());
      const source = this.boundSource();
      return this.keep(await runAsync(this.read(source), source));
    };
    this.pending = go();
    try {
      return await this.pending;
    } finally {
      this.pending = null;
    }
  }

  /** The elements as a typed array of the storage's dtype (a view of the shared bytes). */
  dataSync(): TensorData {
    return typedView(this.bytesSync(), dtypeInfo(this.dtype));
  }

  /** The elements as a typed array of the storage's dtype (a view of the shared bytes). */
  async data(): Promise<TensorData> {
    return typedView(await this.bytes(), dtypeInfo(this.dtype));
  }

  /**
   * Drops the loaded bytes (typed arrays already handed out keep theirs); the next access reads
   * the file again. Storages made in memory (`fromBytes`) have nothing to reload and keep them.
   */
  release(): void {
    if (this.source !== null) this.cached = null;
  }

  [PY_REPR](): string {
    return `<storage '${this.key}' dtype=torch.${this.dtype} numel=${this.numel} location='${this.location}'>`;
  }

  private keep(bytes: Uint8Array): Uint8Array {
    this.cached = this.base !== null ? bytes.subarray(this.baseOffset, this.baseOffset + this.nbytes) : bytes;
    return this.cached;
  }

  private boundSource(): ByteSource {
    if (this.source === null || this.locator === null) {
      throw new CheckpointError(`storage '${this.key}' has no data in the checkpoint`);
    }
    return this.source;
  }

  private *read(source: ByteSource): Parse<Uint8Array> {
    const locator = this.locator as Locator;
    const at = typeof locator === "number" ? locator : yield* locator();
    const bytes = yield* readAt(source, at, this.nbytes, `storage '${this.key}'`);
    if (!this.bigEndian) return aligned(bytes);
    // archive/byteorder "big": swap each scalar (each part of a complex) to this machine's order.
    const out = new Uint8Array(bytes);
    const info = dtypeInfo(this.dtype);
    const width = info.itemSize / info.lanes;
    if (width > 1) for (let i = 0; i < out.length; i += width) out.subarray(i, i + width).reverse();
    return out;
  }
}

/** The bytes, copied when their offset would not let an 8-byte typed array view them. */
function aligned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes); // a copy (a Buffer's slice would be a view)
}

/** A typed-array view of whole elements of `info` over `bytes` (which `aligned` made viewable). */
export function typedView(bytes: Uint8Array, info: DTypeInfo, byteOffset = 0, elements = -1): TensorData {
  const count = elements < 0 ? Math.floor((bytes.length - byteOffset) / info.itemSize) : elements;
  return new info.array(bytes.buffer, bytes.byteOffset + byteOffset, count * info.lanes);
}
