/**
 * numpy arrays and scalars. numpy 2 pickles an ndarray as
 * `numpy._core.multiarray._reconstruct(ndarray, (0,), b'b')` plus BUILD of
 * `(1, shape, dtype, is_fortran, raw bytes)` below protocol 5, and as
 * `numpy._core.numeric._frombuffer(PickleBuffer, dtype, shape, order)` at protocol 5 (the
 * buffer in-band or out-of-band). numpy 1.x wrote `numpy.core...`: both load, and an array
 * dumps back under the module it came from. A scalar is `multiarray.scalar(dtype, raw bytes)`.
 */
import { PickleBuffer } from "@x/pickle-core";
import {
  asBytes,
  type BytesLike,
  isPyByteArray,
  isPyTuple,
  PY_REPR,
  PY_TYPE_NAME,
  PyGlobal,
  PyInstance,
  PyTuple,
  PyTypeError,
  PyValueError,
} from "@x/pyobject";
import { FreshStr } from "../../pickler.js";
import type { ClassRegistration, ReduceValue } from "../../registry.js";
import { asBigInt } from "../hash-math.js";
import { DTYPE, NumpyDType } from "./dtype.js";
import { arrayRepr, scalarRepr, scalarValue } from "./repr.js";

/** numpy's package for the multiarray/numeric modules: numpy 2 (`_core`) or 1.x (`core`). */
export type NumpyCore = "numpy._core" | "numpy.core";

type TypedArrayCtor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** A typed array as `toTypedArray` returns it. */
export type NumpyTypedArray = InstanceType<TypedArrayCtor>;

/** Typed array per dtype name; float16 is raw bits (Uint16Array), complex interleaves re/im. */
const VIEW: Readonly<Record<string, TypedArrayCtor>> = {
  b1: Uint8Array,
  i1: Int8Array,
  u1: Uint8Array,
  i2: Int16Array,
  u2: Uint16Array,
  i4: Int32Array,
  u4: Uint32Array,
  i8: BigInt64Array,
  u8: BigUint64Array,
  f2: Uint16Array,
  f4: Float32Array,
  f8: Float64Array,
  c8: Float32Array,
  c16: Float64Array,
  M8: BigInt64Array,
  m8: BigInt64Array,
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesOf(v: unknown, what: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (isPyByteArray(v)) return v.bytes;
  if (PickleBuffer.isInstance(v)) return v.raw();
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  throw new PyTypeError(`${what}: expected a bytes-like object`);
}

function shapeOf(v: unknown): number[] {
  const items = Array.isArray(v) ? v : isPyTuple(v) ? v.items : [v];
  return items.map((x) => {
    const n = asBigInt(x);
    if (n === undefined || n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER))
      throw new PyValueError("bad array shape");
    return Number(n);
  });
}

function checkSize(dtype: NumpyDType, shape: readonly number[], data: Uint8Array): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n * dtype.itemsize !== data.length) {
    throw new PyValueError(
      `array data is ${data.length} bytes, shape ${JSON.stringify(shape)} of ${dtype.str} needs ${n * dtype.itemsize}`,
    );
  }
}

/**
 * A numpy `ndarray`: raw bytes plus dtype, shape and memory order; for an `object` dtype
 * (numpy pickles those as a list), the items as loaded values in `objects` instead of bytes.
 */
export class NumpyArray {
  /** Whether numpy would see the array's buffer as writable (protocol 5 writes it as a bytearray). */
  writeable = true;
  /** Which numpy layout the pickle named (`numpy._core` for numpy 2, `numpy.core` for 1.x). */
  core: NumpyCore = "numpy._core";

  /**
   * @throws PyValueError when `data` does not hold shape × itemsize bytes.
   */
  // Assigned once more by BUILD when loading (`_reconstruct` makes the array, then its state).
  dtype: NumpyDType;
  shape: readonly number[];
  /** The array's bytes, in `order`, in the dtype's byte order (empty when `objects` is set). */
  data: Uint8Array;
  order: "C" | "F";
  /**
   * The items of an array numpy pickled as a list (object dtype), in C (row-major) order
   * whatever `order` is, as numpy writes them; null for arrays held as bytes.
   */
  objects: unknown[] | null = null;
  /**
   * A BUILD state numpy would see but this class cannot represent (kept as loaded, with the
   * `_reconstruct` arguments, and written back unchanged); undefined normally.
   */
  inertState: unknown = undefined;
  /** `_reconstruct`'s arguments when they were not numpy's usual `(ndarray, (0,), b'b')`. */
  reconstructArgs: unknown[] | null = null;

  /**
   * @throws PyValueError when `data` does not hold shape × itemsize bytes.
   */
  constructor(dtype: NumpyDType, shape: readonly number[], input: BytesLike, order: "C" | "F" = "C") {
    const data = asBytes(input);
    checkSize(dtype, shape, data);
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
    this.order = order;
  }

  /**
   * An array of `object` dtype holding `items` (in C order; `shape` defaults to 1-d).
   * @throws PyValueError when the shape does not match the number of items.
   */
  static ofObjects(
    items: readonly unknown[],
    options: { shape?: readonly number[]; order?: "C" | "F" } = {},
  ): NumpyArray {
    const shape = options.shape ?? [items.length];
    if (shape.reduce((a, b) => a * b, 1) !== items.length)
      throw new PyValueError(`cannot hold ${items.length} items in shape ${JSON.stringify(shape)}`);
    const a = new NumpyArray(objectDType(), [0], new Uint8Array(0), options.order ?? "C");
    a.shape = shape;
    a.objects = items.slice();
    return a;
  }

  /**
   * An array of a JS typed array's values, as numpy loads it (`shape` defaults to 1-d;
   * `order` says how the values are laid out). Int8..Float64 and BigInt64/BigUint64 map to
   * i1..f8, i8, u8; pass `dtype` to choose another (e.g. `"b1"`, `"<M8[ns]"`, `"<c16"`).
   * @throws PyValueError when the shape does not match the number of values.
   */
  static from(
    values: NumpyTypedArray,
    options: { shape?: readonly number[]; order?: "C" | "F"; dtype?: string } = {},
  ): NumpyArray {
    const name = options.dtype ?? dtypeOfTypedArray(values);
    const dt = NumpyDType.of(name);
    if (dt.byteorder === ">" || !LITTLE_ENDIAN)
      throw new PyValueError("NumpyArray.from writes little-endian data only");
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    const shape = options.shape ?? [bytes.length / dt.itemsize];
    return new NumpyArray(dt, shape, bytes, options.order ?? "C");
  }

  /** `arr.ndim`. */
  get ndim(): number {
    return this.shape.length;
  }

  /** `arr.size`: the number of elements. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /**
   * The elements as a typed array in memory order (`order`): a view of `data` when it is
   * aligned and little-endian, else a copy (byte-swapped for a big-endian dtype). float16 is
   * returned as raw Uint16 bits; complex as interleaved (re, im) pairs.
   * @throws PyTypeError for dtypes with no typed array (str, bytes, structured).
   */
  toTypedArray(): NumpyTypedArray {
    if (this.objects !== null) throw new PyTypeError("no typed array for an object array");
    const ctor = VIEW[this.dtype.name];
    if (ctor === undefined) throw new PyTypeError(`no typed array for dtype ${this.dtype.str}`);
    const width = ctor.BYTES_PER_ELEMENT;
    const data = this.data;
    const swap =
      this.dtype.byteorder === ">" ? LITTLE_ENDIAN : this.dtype.byteorder === "<" ? !LITTLE_ENDIAN : false;
    if (!swap && data.byteOffset % width === 0)
      return new ctor(data.buffer as ArrayBuffer, data.byteOffset, data.length / width);
    // A fresh buffer (`new Uint8Array(data)` copies): `data.slice()` is a view when `data` is a Buffer.
    const copy = new Uint8Array(data);
    if (swap) {
      for (let i = 0; i < copy.length; i += width) copy.subarray(i, i + width).reverse();
    }
    return new ctor(copy.buffer, 0, copy.length / width);
  }

  /** numpy 2's `repr(arr)`. */
  [PY_REPR](): string {
    if (this.inertState !== undefined) return `<numpy.ndarray with an unread state>`;
    return arrayRepr(this);
  }

  get [PY_TYPE_NAME](): string {
    return "ndarray";
  }
}

/** `dtype('O')` with the state numpy writes for it. */
function objectDType(): NumpyDType {
  const dt = new NumpyDType("O8", false, true);
  dt.state = new PyTuple([3n, "|", null, null, null, -1n, -1n, 63n]);
  return dt;
}

function dtypeOfTypedArray(v: NumpyTypedArray): string {
  if (v instanceof Int8Array) return "|i1";
  if (v instanceof Uint8Array) return "|u1";
  if (v instanceof Int16Array) return "<i2";
  if (v instanceof Uint16Array) return "<u2";
  if (v instanceof Int32Array) return "<i4";
  if (v instanceof Uint32Array) return "<u4";
  if (v instanceof Float32Array) return "<f4";
  if (v instanceof Float64Array) return "<f8";
  if (v instanceof BigInt64Array) return "<i8";
  return "<u8";
}

/** A numpy scalar (`np.float64(1.5)`, `np.int8(3)`, ...): its dtype and raw bytes. */
export class NumpyScalar {
  core: NumpyCore = "numpy._core";
  readonly dtype: NumpyDType;
  readonly data: Uint8Array;
  /** @throws PyValueError when `data` does not hold one item; PyTypeError when it is not bytes-like. */
  constructor(dtype: NumpyDType, input: BytesLike) {
    const data = asBytes(input);
    this.dtype = dtype;
    this.data = data;
    if (data.length !== dtype.itemsize) throw new PyValueError("scalar data does not match its dtype's size");
  }

  /** The value: number, bigint (64-bit ints, datetime64/timedelta64), boolean, or [re, im]; raw bytes otherwise. */
  get value(): unknown {
    const ctor = VIEW[this.dtype.name];
    if (ctor === undefined) return this.data;
    const arr = new NumpyArray(this.dtype, [], this.data).toTypedArray();
    if (this.dtype.name === "b1") return arr[0] !== 0;
    if (this.dtype.kind === "c") return [arr[0], arr[1]];
    return arr[0];
  }

  /** numpy 2's `repr(scalar)`, e.g. `np.float64(1.5)`. */
  [PY_REPR](): string {
    return (
      scalarRepr(this.dtype, scalarValue(this.dtype, this.data)) ??
      `<numpy scalar of dtype ${this.dtype.str}>`
    );
  }

  get [PY_TYPE_NAME](): string {
    return this.dtype.name;
  }
}

const G_NDARRAY = new PyGlobal("numpy", "ndarray");
const B = new Uint8Array([0x62]); // b'b': the placeholder `_reconstruct` is given
/**
 * The order letter numpy passes `_frombuffer`: CPython's one-character str singleton, the same
 * object for every array (one memo entry) but not the str of an equal dict key or attribute.
 */
let orderStrs: { C: FreshStr; F: FreshStr } | null = null;
function orderStr(order: "C" | "F"): FreshStr {
  // Built on first use: pickler.js and this module import each other.
  orderStrs ??= { C: new FreshStr("C"), F: new FreshStr("F") };
  return orderStrs[order];
}

/** A Python 2 str loaded as text (encoding='latin1'): its bytes. */
function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function rawBytes(v: unknown, what: string): Uint8Array {
  return typeof v === "string" ? latin1Bytes(v) : bytesOf(v, what);
}

/** `_reconstruct(ndarray, (0,), b'b')`, or inert data for an ndarray subclass (np.matrix, masked arrays). */
function reconstruct(core: NumpyCore, args: unknown[]): unknown {
  const cls = args[0];
  if (!(cls instanceof PyGlobal) || cls.module !== "numpy" || cls.name !== "ndarray") {
    return new PyInstance(new PyGlobal(`${core}.multiarray`, "_reconstruct"), args, "reduce");
  }
  const arr = new NumpyArray(NumpyDType.u1(), [0], new Uint8Array(0));
  arr.core = core;
  if (!isUsualReconstructArgs(args)) arr.reconstructArgs = args;
  return arr;
}

/** Whether `args` are numpy's own `(ndarray, (0,), b'b')` (what `reduce` writes back). */
function isUsualReconstructArgs(args: unknown[]): boolean {
  if (args.length !== 3) return false;
  const shape = args[1];
  const items = Array.isArray(shape) ? shape : isPyTuple(shape) ? shape.items : undefined;
  if (items?.length !== 1 || asBigInt(items[0]) !== 0n) return false;
  const tc = args[2];
  return tc instanceof Uint8Array && tc.length === 1 && tc[0] === 0x62;
}

/**
 * numpy's `ndarray.__setstate__`: `(version, shape, dtype, is_fortran, data)` or the older
 * `(shape, dtype, is_fortran, data)`; data is bytes (a Python 2 str), or a list of items for
 * object dtypes. Returns false when the state is not one this class represents.
 */
function applyArrayState(a: NumpyArray, state: unknown): boolean {
  let items = Array.isArray(state) ? state : isPyTuple(state) ? state.items : undefined;
  if (items === undefined) return false;
  if (items.length === 5) items = items.slice(1);
  if (items.length !== 4) return false;
  const [shape, dtype, fortran, raw] = items;
  if (!(dtype instanceof NumpyDType)) return false;
  let dims: number[];
  try {
    dims = shapeOf(shape);
  } catch {
    return false;
  }
  if (typeof fortran !== "boolean" && typeof fortran !== "number" && typeof fortran !== "bigint")
    return false;
  const n = dims.reduce((x, y) => x * y, 1);
  if (Array.isArray(raw)) {
    if (raw.length !== n) return false;
    a.objects = raw;
    a.data = new Uint8Array(0);
  } else if (raw instanceof Uint8Array || isPyByteArray(raw) || typeof raw === "string") {
    if (dtype.kind === "O") return false;
    const data = rawBytes(raw, "array data");
    if (n * dtype.itemsize !== data.length) return false;
    a.data = data;
    a.objects = null;
  } else {
    return false;
  }
  a.dtype = dtype;
  if (a.core === "numpy.core") dtype.numpy1 = true;
  a.shape = dims;
  a.order = fortran === true || (typeof fortran !== "boolean" && fortran !== 0 && fortran !== 0n) ? "F" : "C";
  return true;
}

function frombuffer(core: NumpyCore, args: unknown[]): NumpyArray {
  if (args.length !== 4) throw new PyTypeError(`_frombuffer() takes 4 arguments (${args.length} given)`);
  const [buf, dtype, shape, order] = args;
  if (!(dtype instanceof NumpyDType)) throw new PyTypeError("_frombuffer: dtype expected");
  // In-band, numpy writes a writable array's buffer as a bytearray, a read-only one as bytes.
  const arr = new NumpyArray(dtype, shapeOf(shape), bytesOf(buf, "_frombuffer"), order === "F" ? "F" : "C");
  arr.core = core;
  if (core === "numpy.core") dtype.numpy1 = true;
  // numpy's array over a bytes object is read-only, so it pickles back as bytes. The faithful
  // model (shape is a PyTuple) tells bytes from bytearray; the natural one loads both as a
  // Uint8Array, taken as numpy's usual writable array.
  arr.writeable = PickleBuffer.isInstance(buf) ? !buf.readonly : isPyByteArray(buf) || !isPyTuple(shape);
  return arr;
}

function scalar(core: NumpyCore, args: unknown[]): NumpyScalar {
  const [dtype, raw] = args;
  if (!(dtype instanceof NumpyDType)) throw new PyTypeError("scalar: dtype expected");
  const s = new NumpyScalar(dtype, rawBytes(raw, "scalar"));
  s.core = core;
  return s;
}

/**
 * Whether numpy pickles an array of this dtype through PickleBuffer at protocol 5: not when
 * the buffer export fails (datetime64/timedelta64, also inside records) or itemsize is 0.
 */
function exportsBuffer(dt: NumpyDType): boolean {
  if (dt.itemsize === 0 || dt.kind === "M" || dt.kind === "m" || dt.kind === "O") return false;
  const fields = dt.fields;
  if (fields !== null) for (const [f] of fields.values()) if (!exportsBuffer(f)) return false;
  return true;
}

/** `numpy._core.multiarray._reconstruct`: loads arrays (with their BUILD state) and pickles NumpyArray. */
export const NDARRAY_RECONSTRUCT: ClassRegistration<NumpyArray> = {
  module: "numpy._core.multiarray",
  name: "_reconstruct",
  freshQualname: true,
  jsClass: NumpyArray,
  reduce(a, protocol): ReduceValue {
    const rebuild = new PyGlobal(`${a.core}.multiarray`, "_reconstruct");
    if (a.inertState !== undefined) return [rebuild, a.reconstructArgs ?? reconstructArgs(), a.inertState];
    const shape = new PyTuple(a.shape.map((n) => BigInt(n)));
    if (protocol >= 5 && a.objects === null && exportsBuffer(a.dtype)) {
      // As numpy: the buffer goes through PickleBuffer, so a buffer_callback can take it out-of-band.
      const buf = new PickleBuffer(a.data, { readonly: !a.writeable });
      return [new PyGlobal(`${a.core}.numeric`, "_frombuffer"), [buf, a.dtype, shape, orderStr(a.order)]];
    }
    // numpy builds a fresh list of the items on each __reduce__.
    const data = a.objects === null ? a.data : a.objects.slice();
    const state = new PyTuple([1n, shape, a.dtype, a.order === "F", data]);
    return [rebuild, a.reconstructArgs ?? reconstructArgs(), state];
  },
  call: (args) => reconstruct("numpy._core", args),
  setState(a, state) {
    if (!applyArrayState(a, state)) a.inertState = state;
  },
};

/** `(ndarray, (0,), b'b')`: a new tuple each time, as numpy's `__reduce__` makes (never one shared memo entry). */
function reconstructArgs(): unknown[] {
  return [G_NDARRAY, new PyTuple([0n]), B];
}

/** `numpy._core.multiarray.scalar`: loads and pickles numpy scalars. */
export const NUMPY_SCALAR: ClassRegistration<NumpyScalar> = {
  module: "numpy._core.multiarray",
  name: "scalar",
  freshQualname: true,
  jsClass: NumpyScalar,
  reduce(s): ReduceValue {
    return [new PyGlobal(`${s.core}.multiarray`, "scalar"), [s.dtype, s.data]];
  },
  call: (args) => scalar("numpy._core", args),
};

/** Every numpy registration: numpy 2's names, numpy 1.x's (`numpy.core`), dtype and ndarray. */
export const NUMPY_TYPES: readonly ClassRegistration[] = [
  NDARRAY_RECONSTRUCT as ClassRegistration,
  NUMPY_SCALAR as ClassRegistration,
  { module: "numpy._core.numeric", name: "_frombuffer", call: (args) => frombuffer("numpy._core", args) },
  {
    module: "numpy.core.multiarray",
    name: "_reconstruct",
    freshQualname: true,
    call: (args) => reconstruct("numpy.core", args),
  },
  {
    module: "numpy.core.multiarray",
    name: "scalar",
    freshQualname: true,
    call: (args) => scalar("numpy.core", args),
  },
  { module: "numpy.core.numeric", name: "_frombuffer", call: (args) => frombuffer("numpy.core", args) },
  // `numpy.ndarray` is only ever passed to _reconstruct; registered so strict mode lets it through.
  { module: "numpy", name: "ndarray", freshQualname: true },
  DTYPE as ClassRegistration,
];
