/**
 * torch dtypes as this package exposes them: the name (torch's, without `torch.`), the element
 * size, the typed array the elements are viewed through, and the legacy storage class that
 * names the dtype in a pickle (`torch.FloatStorage` is float32).
 */

/** A torch dtype, by its name in `torch` (`torch.float32` is `"float32"`). */
export type DType =
  | "bool"
  | "uint8"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "float16"
  | "bfloat16"
  | "float32"
  | "float64"
  | "complex32"
  | "complex64"
  | "complex128"
  | "qint8"
  | "quint8"
  | "qint32"
  | "quint4x2";

/** The typed array a dtype's elements are viewed through. */
export type TensorData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

type ArrayCtor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
  new (length: number): TensorData;
  readonly BYTES_PER_ELEMENT: number;
};

export interface DTypeInfo {
  readonly name: DType;
  /** Bytes per element (complex: both parts). */
  readonly itemSize: number;
  /** The typed array of the elements; complex dtypes interleave real and imaginary parts. */
  readonly array: ArrayCtor;
  /** Typed-array items per element: 2 for complex (real, imaginary), else 1. */
  readonly lanes: number;
  /** The storage class naming this dtype in pickles (`torch.<name>`). */
  readonly storage: string;
}

const info = (name: DType, itemSize: number, array: ArrayCtor, storage: string, lanes = 1): DTypeInfo => ({
  name,
  itemSize,
  array,
  lanes,
  storage,
});

/** Every dtype, keyed by name. */
export const DTYPES: ReadonlyMap<DType, DTypeInfo> = new Map(
  [
    info("bool", 1, Uint8Array, "BoolStorage"),
    info("uint8", 1, Uint8Array, "ByteStorage"),
    info("int8", 1, Int8Array, "CharStorage"),
    info("int16", 2, Int16Array, "ShortStorage"),
    info("int32", 4, Int32Array, "IntStorage"),
    info("int64", 8, BigInt64Array as unknown as ArrayCtor, "LongStorage"),
    info("float16", 2, Uint16Array, "HalfStorage"),
    info("bfloat16", 2, Uint16Array, "BFloat16Storage"),
    info("float32", 4, Float32Array, "FloatStorage"),
    info("float64", 8, Float64Array, "DoubleStorage"),
    info("complex32", 4, Uint16Array, "ComplexHalfStorage", 2),
    info("complex64", 8, Float32Array, "ComplexFloatStorage", 2),
    info("complex128", 16, Float64Array, "ComplexDoubleStorage", 2),
    info("qint8", 1, Int8Array, "QInt8Storage"),
    info("quint8", 1, Uint8Array, "QUInt8Storage"),
    info("qint32", 4, Int32Array, "QInt32Storage"),
    info("quint4x2", 1, Uint8Array, "QUInt4x2Storage"),
  ].map((d) => [d.name, d]),
);

const BY_STORAGE = new Map<string, DTypeInfo>([...DTYPES.values()].map((d) => [d.storage, d]));
// An untyped storage is bytes (torch loads it as uint8).
BY_STORAGE.set("UntypedStorage", DTYPES.get("uint8")!);

/** Other names of dtypes, as `torch.<name>` globals (`torch.float` is float32). */
const ALIASES: Readonly<Record<string, DType>> = {
  float: "float32",
  double: "float64",
  half: "float16",
  long: "int64",
  int: "int32",
  short: "int16",
  cfloat: "complex64",
  cdouble: "complex128",
  chalf: "complex32",
};

/** The dtype a storage class name stands for (`FloatStorage` → float32), or undefined. */
export function dtypeOfStorage(name: string): DTypeInfo | undefined {
  return BY_STORAGE.get(name);
}

/** The dtype named by a `torch.<name>` global (`float32`, `float`, `long`...), or undefined. */
export function dtypeByName(name: string): DTypeInfo | undefined {
  return DTYPES.get((ALIASES[name] ?? name) as DType);
}

/** The info of a dtype name. @throws TypeError for a name that is not a dtype. */
export function dtypeInfo(dtype: DType): DTypeInfo {
  const d = DTYPES.get(dtype);
  if (d === undefined) throw new TypeError(`unknown dtype ${String(dtype)}`);
  return d;
}
