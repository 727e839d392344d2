/**
 * `numpy.dtype` objects. numpy pickles a dtype as `dtype(name, False, True)` plus BUILD of
 * its state tuple `(version, byteorder, subarray, names, fields, elsize, alignment, flags
 * [, metadata])`. The state is kept as loaded (normalised so it dumps back the same in either
 * model), and the facts the array code needs (kind, item size, byte order) are read from it.
 */
import {
  isPyByteArray,
  isPyTuple,
  PY_EQ,
  PY_REPR,
  PY_TYPE_NAME,
  PyTuple,
  PyTypeError,
  PyValueError,
  pyEquals,
  pyRepr,
} from "@x/pyobject";
import { FreshStr } from "../../pickler.js";
import type { ClassRegistration, ReduceValue } from "../../registry.js";
import { dictEntries } from "../state.js";
import { dtypeRepr } from "./repr.js";

/** A dtype's state in a model-independent form: tuples as PyTuple, ints as bigint, dicts as Map. */
export function normalizeState(v: unknown): unknown {
  if (Array.isArray(v)) return new PyTuple(v.map(normalizeState));
  if (isPyTuple(v)) return new PyTuple(v.items.map(normalizeState));
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (v instanceof Uint8Array || isPyByteArray(v) || v === null || typeof v !== "object") return v;
  const entries = dictEntries(v);
  if (entries !== undefined) return new Map(entries.map(([k, x]) => [k, normalizeState(x)]));
  return v;
}

const ITEMSIZE_RE = /^([a-zA-Z])(\d*)/;

/** numpy's `dtype`: a type name (`"f8"`, `"U2"`, `"V12"`, `"M8"`) plus its pickled state. */
export class NumpyDType {
  /** The pickled state tuple (`dtype.__reduce__()[2]`), or null before BUILD. */
  state: PyTuple | null = null;
  /** A BUILD state that is not numpy's state tuple: kept as loaded and written back; else undefined. */
  inertState: unknown = undefined;
  /**
   * True when an array pickled by numpy 1.x (`numpy.core.*`) uses this dtype: numpy 1.x's
   * `dtype.__qualname__` is one interned str, so the `numpy.dtype` global then shares an
   * earlier equal str (e.g. an attribute named `dtype`), where numpy 2 writes it anew.
   */
  numpy1 = false;
  constructor(
    /** The name numpy passes to `dtype()`: kind letter and size, without byte order. */
    readonly name: string,
    readonly align = false,
    readonly copy = true,
  ) {}

  /**
   * The dtype of a numpy type string (`"<f8"`, `">i2"`, `"|u1"`, `"b1"`, `"<U3"`, `"|S5"`,
   * `"<M8[ns]"`), with the state numpy writes for it.
   * @throws PyValueError for other strings (structured dtypes: load them from numpy).
   */
  static of(descr: string): NumpyDType {
    if (descr === "|u1") return NumpyDType.u1();
    const m = /^([<>|=]?)([biufcSUMm])(\d+)(?:\[(\d*)([a-zA-Z]+)\])?$/.exec(descr);
    if (m === null) throw new PyValueError(`unsupported dtype string '${descr}'`);
    const [, order = "", kind = "", size = "", unitCount, unit] = m;
    const n = Number(size);
    const single = kind === "b" || kind === "S" || (kind !== "U" && n === 1);
    const byteorder = single ? "|" : order === ">" ? ">" : "<";
    const dt = new NumpyDType(kind + size);
    const flexible = kind === "S" || kind === "U";
    const elsize = flexible ? BigInt(kind === "U" ? n * 4 : n) : -1n;
    const alignment = flexible ? (kind === "U" ? 4n : 1n) : -1n;
    const flags = kind === "U" ? 8n : 0n;
    if (kind === "M" || kind === "m") {
      if (unit === undefined)
        throw new PyValueError("datetime64/timedelta64 dtypes need a unit, e.g. <M8[ns]");
      const meta = new PyTuple([new TextEncoder().encode(unit), BigInt(unitCount || "1"), 1n, 1n]);
      dt.state = new PyTuple([4n, byteorder, null, null, null, -1n, -1n, 0n, new PyTuple([null, meta])]);
    } else {
      dt.state = new PyTuple([3n, byteorder, null, null, null, elsize, alignment, flags]);
    }
    return dt;
  }

  /**
   * A fresh `|u1` dtype (what `_reconstruct` gives an array before its BUILD state), made
   * without parsing: one per array loaded.
   */
  static u1(): NumpyDType {
    const dt = new NumpyDType("u1");
    dt.state = new PyTuple([3n, "|", null, null, null, -1n, -1n, 0n]);
    return dt;
  }

  /** The kind letter: b, i, u, f, c, S, U, V, M, m, O. */
  get kind(): string {
    return this.name[0] ?? "";
  }

  /** `dtype.byteorder` as pickled: `<`, `>` or `|`. */
  get byteorder(): string {
    const b = this.state?.items[1];
    return typeof b === "string" ? b : "|";
  }

  /** `dtype.itemsize` in bytes. */
  get itemsize(): number {
    const elsize = this.state?.items[5];
    if (typeof elsize === "bigint" && elsize >= 0n) return Number(elsize);
    if (this.nameItemsize < 0) {
      // from the name alone (which never changes): parsed once, not on every array loaded
      const m = ITEMSIZE_RE.exec(this.name);
      const n = Number(m?.[2] ?? "0");
      this.nameItemsize = this.kind === "U" ? n * 4 : n;
    }
    return this.nameItemsize;
  }
  /** {@link itemsize} as the name gives it; -1 until first needed. */
  private nameItemsize = -1;

  /** `dtype.names` for a structured dtype, else null. */
  get names(): string[] | null {
    const names = this.state?.items[3];
    return isPyTuple(names) ? (names.items as string[]) : null;
  }

  /** `dtype.fields`: name -> [dtype, byte offset] for a structured dtype, else null. */
  get fields(): Map<string, [NumpyDType, number]> | null {
    const f = this.state?.items[4];
    const entries = f === null || f === undefined ? undefined : dictEntries(f);
    if (entries === undefined) return null;
    const out = new Map<string, [NumpyDType, number]>();
    for (const [k, v] of entries) {
      if (!isPyTuple(v) || !(v.items[0] instanceof NumpyDType)) continue; // ("title" entries are not fields)
      out.set(String(k), [v.items[0], Number(v.items[1])]);
    }
    return out;
  }

  /** `dtype.str`, e.g. `<f8`, `|S5`, `<M8[ns]`. */
  get str(): string {
    const meta = this.state?.items[8];
    let unit = "";
    if (isPyTuple(meta) && isPyTuple(meta.items[1])) {
      const [u, count] = meta.items[1].items;
      const text = u instanceof Uint8Array ? new TextDecoder().decode(u) : String(u);
      unit = `[${count === 1n ? "" : String(count)}${text}]`;
    }
    return this.kind === "O" ? "|O" : this.byteorder + this.name + unit;
  }

  [PY_EQ](other: unknown): boolean | undefined {
    if (!(other instanceof NumpyDType)) return undefined;
    return this.name === other.name && pyEquals(this.state, other.state);
  }

  [PY_REPR](): string {
    return this.names === null ? dtypeRepr(this) : `dtype(${pyRepr(this.state)})`;
  }

  get [PY_TYPE_NAME](): string {
    return "dtype";
  }
}

/**
 * Whether the dtype being pickled came from numpy 1.x. The `numpy.dtype` global is written
 * right after `reduce` returns (the pickler saves the callable first), so `freshQualname`
 * reads the dtype just reduced; a global written on its own follows numpy 2.
 */
let reducingNumpy1 = false;

export const DTYPE: ClassRegistration<NumpyDType> = {
  module: "numpy",
  name: "dtype",
  get freshQualname() {
    return !reducingNumpy1;
  },
  jsClass: NumpyDType,
  reduce(dt): ReduceValue {
    reducingNumpy1 = dt.numpy1;
    // numpy formats the name anew on each __reduce__: never a memo hit on an equal str.
    return [DTYPE, [new FreshStr(dt.name), dt.align, dt.copy], dt.inertState ?? dt.state];
  },
  call(args) {
    const [name, align = false, copy = false] = args;
    if (typeof name !== "string")
      throw new PyTypeError("numpy.dtype: only dtypes pickled by numpy (a type name) load");
    return new NumpyDType(name, Boolean(align), Boolean(copy));
  },
  setState(dt, state) {
    const s = normalizeState(state);
    if (isPyTuple(s) && s.items.length >= 8) dt.state = s;
    else dt.inertState = state;
  },
};
