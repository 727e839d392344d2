/**
 * A tensor as a checkpoint holds it: a strided view (shape, stride, offset) over a storage.
 * The elements are read only when asked for (`await tensor.data()`, or `dataSync()` where the
 * source reads synchronously).
 */
import { PY_REPR } from "@x/pyobject";
import { type DType, dtypeInfo, type TensorData } from "./dtype.js";
import { CheckpointError } from "./errors.js";
import { bfloat16ToFloat32, float16ToFloat32 } from "./float16.js";
import { Storage, typedView } from "./storage.js";

/** Options of {@link Tensor.from}. */
export interface TensorFromOptions {
  /** Default: the typed array's natural dtype (Float32Array → float32, Uint16Array → float16 bits...). */
  readonly dtype?: DType;
  /** Default: one dimension holding every element. */
  readonly shape?: readonly number[];
  /** Default false. */
  readonly requiresGrad?: boolean;
}

const NATURAL: ReadonlyArray<[unknown, DType]> = [
  [Float32Array, "float32"],
  [Float64Array, "float64"],
  [BigInt64Array, "int64"],
  [Int32Array, "int32"],
  [Int16Array, "int16"],
  [Int8Array, "int8"],
  [Uint8Array, "uint8"],
  [Uint16Array, "float16"],
];

/** Row-major strides of a shape (torch's contiguous layout). */
export function contiguousStride(shape: readonly number[]): number[] {
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    stride[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return stride;
}

export class Tensor {
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  /** Element count (the product of the shape). */
  readonly numel: number;

  /**
   * @throws CheckpointError when the view (offset, shape, stride) reaches past its storage, or a
   *   size or stride is not a non-negative integer.
   */
  constructor(
    readonly storage: Storage,
    readonly storageOffset: number,
    shape: readonly number[],
    stride: readonly number[],
    /** `tensor.requires_grad`. */
    readonly requiresGrad = false,
    readonly dtype: DType = storage.dtype,
    /** True for a `torch.nn.Parameter` (rebuilt by `torch._utils._rebuild_parameter`). */
    readonly isParameter = false,
  ) {
    const info = dtypeInfo(dtype);
    if (shape.length !== stride.length) {
      throw new CheckpointError(
        `tensor shape (${shape.join(", ")}) and stride (${stride.join(", ")}) differ in length`,
      );
    }
    if (!Number.isSafeInteger(storageOffset) || storageOffset < 0)
      throw new CheckpointError(`bad storage offset ${storageOffset}`);
    let numel = 1;
    let last = storageOffset;
    for (let i = 0; i < shape.length; i++) {
      const n = shape[i]!;
      const s = stride[i]!;
      if (!Number.isSafeInteger(n) || n < 0) throw new CheckpointError(`bad tensor size ${n}`);
      if (!Number.isSafeInteger(s) || s < 0) throw new CheckpointError(`bad tensor stride ${s}`);
      numel *= n;
      if (n > 0) last += (n - 1) * s;
      if (!Number.isSafeInteger(numel) || !Number.isSafeInteger(last))
        throw new CheckpointError("tensor too large");
    }
    const available = Math.floor(storage.nbytes / info.itemSize);
    if (numel > 0 && last >= available) {
      throw new CheckpointError(
        `tensor of size (${shape.join(", ")}), stride (${stride.join(", ")}) at offset ${storageOffset} needs ${last + 1} elements; its storage '${storage.key}' holds ${available}`,
      );
    }
    this.shape = Object.freeze(shape.slice());
    this.stride = Object.freeze(stride.slice());
    this.numel = numel;
  }

  /**
   * A new tensor over a copy-free storage of `values` (the typed array's own memory).
   * Float16/bfloat16 take raw bits (a Uint16Array; see `float32ToFloat16`); complex dtypes take
   * interleaved (real, imaginary) pairs.
   * @throws CheckpointError when the shape does not hold exactly the elements given.
   */
  static from(values: TensorData, options: TensorFromOptions = {}): Tensor {
    const dtype =
      options.dtype ?? NATURAL.find(([c]) => values instanceof (c as typeof Uint8Array))?.[1] ?? "uint8";
    const info = dtypeInfo(dtype);
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    const storage = Storage.fromBytes(bytes, dtype);
    const shape = options.shape ?? [storage.numel];
    const numel = shape.reduce((a, b) => a * b, 1);
    if (numel !== storage.numel) {
      throw new CheckpointError(
        `shape (${shape.join(", ")}) holds ${numel} elements, not ${storage.numel} (${info.name})`,
      );
    }
    return new Tensor(storage, 0, shape, contiguousStride(shape), options.requiresGrad ?? false, dtype);
  }

  /** True when the elements are laid out row-major without gaps (torch's `is_contiguous()`). */
  isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      const n = this.shape[i]!;
      if (n === 1) continue;
      if (this.stride[i] !== expected) return this.numel === 0;
      expected *= n;
    }
    return true;
  }

  /**
   * The elements in row-major order, as a typed array of the dtype (see the README's dtype
   * table): for a contiguous tensor a view of the storage's memory (shared with every tensor
   * over that storage), otherwise a copy.
   * @throws CheckpointError when the storage cannot be read, or reads only asynchronously.
   */
  dataSync(): TensorData {
    return this.elements(this.storage.bytesSync());
  }

  /** As {@link dataSync}, reading the storage asynchronously on first use. */
  async data(): Promise<TensorData> {
    return this.elements(await this.storage.bytes());
  }

  /**
   * The elements as float32 values: float16 and bfloat16 bits converted, other float and
   * integer dtypes converted by value (complex and int64 refused: they do not fit).
   * @throws CheckpointError for complex and 64-bit integer dtypes.
   */
  async toFloat32(): Promise<Float32Array> {
    return this.asFloat32(await this.data());
  }

  /** As {@link toFloat32}, synchronously. */
  toFloat32Sync(): Float32Array {
    return this.asFloat32(this.dataSync());
  }

  /** The same view marked as a `torch.nn.Parameter` (or not), with `requiresGrad`. */
  withParameter(isParameter: boolean, requiresGrad: boolean): Tensor {
    return new Tensor(
      this.storage,
      this.storageOffset,
      this.shape,
      this.stride,
      requiresGrad,
      this.dtype,
      isParameter,
    );
  }

  [PY_REPR](): string {
    const shape = `(${this.shape.join(", ")}${this.shape.length === 1 ? "," : ""})`;
    const kind = this.isParameter ? "Parameter" : "tensor";
    return `<${kind} dtype=torch.${this.dtype} shape=${shape}${this.requiresGrad ? " requires_grad=True" : ""}>`;
  }

  private asFloat32(data: TensorData): Float32Array {
    if (this.dtype === "float16") return float16ToFloat32(data as Uint16Array);
    if (this.dtype === "bfloat16") return bfloat16ToFloat32(data as Uint16Array);
    if (dtypeInfo(this.dtype).lanes !== 1 || data instanceof BigInt64Array) {
      throw new CheckpointError(`toFloat32: ${this.dtype} values do not convert to float32`);
    }
    return Float32Array.from(data as ArrayLike<number>);
  }

  private elements(bytes: Uint8Array): TensorData {
    const info = dtypeInfo(this.dtype);
    if (this.isContiguous()) return typedView(bytes, info, this.storageOffset * info.itemSize, this.numel);
    const src = typedView(bytes, info);
    const lanes = info.lanes;
    const out = new info.array(this.numel * lanes);
    const nd = this.shape.length;
    const index = new Array<number>(nd).fill(0);
    let at = this.storageOffset;
    // An odometer over the indices: no recursion, one pass.
    for (let k = 0; k < this.numel; k++) {
      for (let l = 0; l < lanes; l++)
        (out as Float64Array)[k * lanes + l] = (src as Float64Array)[at * lanes + l]!;
      for (let d = nd - 1; d >= 0; d--) {
        index[d]!++;
        at += this.stride[d]!;
        if (index[d]! < this.shape[d]!) break;
        at -= this.stride[d]! * this.shape[d]!;
        index[d] = 0;
      }
    }
    return out;
  }
}

/** True when `v` is a {@link Tensor} of this package (any installed copy). */
export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}
