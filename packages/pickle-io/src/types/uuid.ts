/**
 * Python's `uuid.UUID`: a 128-bit int plus `is_safe`. CPython pickles it as
 * `object.__reduce_ex__` does for a class with `__getstate__`: NEWOBJ `UUID()` then BUILD
 * `{'int': n}` (and `'is_safe'` when known) at protocol 2+, `copyreg._reconstructor(UUID,
 * object, None)` then BUILD below.
 */
import { PY_EQ, PY_HASH, PY_REPR, PY_TYPE_NAME, PyGlobal, PyTypeError, PyValueError } from "@x/pyobject";
import type { ClassRegistration, ReduceValue } from "../registry.js";
import { asBigInt, rationalHash } from "./hash-math.js";
import { dictEntries } from "./state.js";

const G_RECONSTRUCTOR = new PyGlobal("copyreg", "_reconstructor");
const G_NEWOBJ = new PyGlobal("copyreg", "__newobj__");
const G_OBJECT = new PyGlobal("builtins", "object");
const MAX = (1n << 128n) - 1n;

/** `uuid.SafeUUID` values: 0 safe, -1 unsafe, null unknown. */
export type SafeUUID = 0 | -1 | null;

/** Python's `uuid.UUID`. */
export class PyUUID {
  /** The UUID as a 128-bit unsigned int (`UUID.int`). */
  readonly int: bigint;
  /** `UUID.is_safe.value`. */
  readonly isSafe: SafeUUID;

  /**
   * From the canonical text (braces, `urn:uuid:` and hyphens optional, as `UUID(hex)`) or the int.
   * @throws PyValueError for a malformed string or an int outside 0..2**128-1.
   */
  constructor(value: string | bigint, isSafe: SafeUUID = null) {
    let n: bigint;
    if (typeof value === "string") {
      const hex = value.replace(/^urn:uuid:/, "").replace(/[{}-]/g, "");
      if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new PyValueError("badly formed hexadecimal UUID string");
      n = BigInt(`0x${hex}`);
    } else n = value;
    if (n < 0n || n > MAX) throw new PyValueError("int is out of range (need a 128-bit value)");
    this.int = n;
    this.isSafe = isSafe;
  }

  /** The 32 lowercase hex digits (`UUID.hex`). */
  get hex(): string {
    return this.int.toString(16).padStart(32, "0");
  }

  /** The 16 big-endian bytes (`UUID.bytes`). */
  get bytes(): Uint8Array {
    const out = new Uint8Array(16);
    let n = this.int;
    for (let i = 15; i >= 0; i--) {
      out[i] = Number(n & 0xffn);
      n >>= 8n;
    }
    return out;
  }

  /** `str(u)`: `12345678-1234-5678-1234-567812345678`. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** `JSON.stringify` writes `str(u)`. */
  toJSON(): string {
    return this.toString();
  }

  /** `str(u)` in template strings and `+`; a number hint is NaN (`int(u)` is the `int` field). */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === "number" ? Number.NaN : this.toString();
  }

  [PY_EQ](other: unknown): boolean | undefined {
    return other instanceof PyUUID ? other.int === this.int : undefined;
  }

  [PY_HASH](): bigint {
    return rationalHash(this.int, 1n);
  }

  [PY_REPR](): string {
    return `UUID('${this.toString()}')`;
  }

  get [PY_TYPE_NAME](): string {
    return "UUID";
  }
}

export const UUID: ClassRegistration<PyUUID> = {
  module: "uuid",
  name: "UUID",
  jsClass: PyUUID,
  reduce(u, protocol): ReduceValue {
    const state: Record<string, unknown> = { int: u.int };
    if (u.isSafe !== null) state.is_safe = BigInt(u.isSafe);
    return protocol < 2 ? [G_RECONSTRUCTOR, [UUID, G_OBJECT, null], state] : [G_NEWOBJ, [UUID], state];
  },
  newobj(args, kwargs) {
    if (args.length !== 0 || (kwargs !== null && kwargs.size !== 0)) {
      throw new PyTypeError("UUID.__new__ takes no arguments");
    }
    return new PyUUID(0n);
  },
  setState(obj, state) {
    const entries = dictEntries(state);
    if (entries === undefined) throw new PyTypeError("UUID state must be a dict");
    let int: bigint | undefined;
    let isSafe: SafeUUID = null;
    for (const [k, v] of entries) {
      if (k === "int") int = asBigInt(v);
      else if (k === "is_safe") {
        const s = v === null ? null : asBigInt(v);
        if (s !== null && s !== 0n && s !== -1n)
          throw new PyValueError(`${String(v)} is not a valid SafeUUID`);
        isSafe = s === null ? null : s === 0n ? 0 : -1;
      }
    }
    if (int === undefined) throw new PyTypeError("UUID state has no 'int'");
    const u = new PyUUID(int, isSafe);
    // UUID is immutable in Python too; __setstate__ is the one place that fills it in.
    Object.defineProperty(obj, "int", { value: u.int, enumerable: true });
    Object.defineProperty(obj, "isSafe", { value: u.isSafe, enumerable: true });
  },
};
