/**
 * `range`, `slice` and `types.SimpleNamespace`. CPython pickles them as calls:
 * `range(start, stop, step)`, `slice(start, stop, step)` (written `__builtin__.xrange` /
 * `__builtin__.slice` below protocol 3), and `SimpleNamespace()` plus BUILD of its `__dict__`.
 */
import {
  equalPairs,
  PY_EQ,
  PY_HASH,
  PY_REPR,
  PY_TYPE_NAME,
  type PyEqualPairs,
  type PyReprParts,
  PyTuple,
  PyTypeError,
  PyValueError,
  pyHash,
  reprParts,
} from "@x/pyobject";
import type { ClassRegistration, ReduceValue } from "../registry.js";
import { asBigInt } from "./hash-math.js";
import { dictEntries } from "./state.js";

/** Python's `range` (arbitrary-size bounds, as bigints). */
export class PyRange {
  readonly start: bigint;
  readonly stop: bigint;
  readonly step: bigint;
  /**
   * `range(stop)`, `range(start, stop)` or `range(start, stop, step)`.
   * @throws PyValueError when step is zero.
   */
  constructor(start: bigint | number, stop?: bigint | number, step: bigint | number = 1n) {
    const a = asBigInt(start);
    const b = stop === undefined ? undefined : asBigInt(stop);
    const c = asBigInt(step);
    if (a === undefined || c === undefined || (stop !== undefined && b === undefined)) {
      throw new PyTypeError("range() arguments must be integers");
    }
    if (c === 0n) throw new PyValueError("range() arg 3 must not be zero");
    this.start = b === undefined ? 0n : a;
    this.stop = b === undefined ? a : b;
    this.step = c;
  }
  /** `len(r)`. */
  get length(): bigint {
    const { start, stop, step } = this;
    if (step > 0n) return start < stop ? (stop - start - 1n) / step + 1n : 0n;
    return start > stop ? (start - stop - 1n) / -step + 1n : 0n;
  }
  *[Symbol.iterator](): IterableIterator<bigint> {
    const n = this.length;
    for (let i = 0n; i < n; i++) yield this.start + i * this.step;
  }
  /** CPython compares ranges as the sequences they produce. */
  [PY_EQ](other: unknown): boolean | undefined {
    if (!(other instanceof PyRange)) return undefined;
    const n = this.length;
    if (n !== other.length) return false;
    if (n === 0n) return true;
    if (this.start !== other.start) return false;
    return n === 1n || this.step === other.step;
  }
  /** `hash((len, start, step))` with start/step None where they do not matter, as CPython. */
  [PY_HASH](): bigint {
    const n = this.length;
    const t = n === 0n ? [0n, null, null] : n === 1n ? [1n, this.start, null] : [n, this.start, this.step];
    return pyHash(new PyTuple(t));
  }
  [PY_REPR](): string {
    return this.step === 1n
      ? `range(${this.start}, ${this.stop})`
      : `range(${this.start}, ${this.stop}, ${this.step})`;
  }
  get [PY_TYPE_NAME](): string {
    return "range";
  }
}

/** Python's `slice` (any start/stop/step values; null is None). */
export class PySlice {
  constructor(
    readonly start: unknown,
    readonly stop: unknown,
    readonly step: unknown = null,
  ) {}
  /** Pairs for pyEquals to compare on its own stack (a slice may hold the list holding it). */
  [PY_EQ](other: unknown): PyEqualPairs | undefined {
    if (!(other instanceof PySlice)) return undefined;
    return equalPairs(this.start, other.start, this.stop, other.stop, this.step, other.step);
  }
  /** No cycle marker of its own, as CPython's slice: `[slice(None, [...], None)]`. */
  [PY_REPR](): PyReprParts {
    return reprParts`slice(${this.start}, ${this.stop}, ${this.step})`;
  }
  get [PY_TYPE_NAME](): string {
    return "slice";
  }
}

/**
 * Python's `types.SimpleNamespace`. Its attributes live in `attrs`, a null-prototype record,
 * apart from the class's methods: an attribute named `toMap` or `constructor` is data there
 * and never hides a method.
 */
export class PySimpleNamespace {
  /** `vars(ns)`: the attributes by name, in insertion order (a record with no prototype). */
  readonly attrs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  constructor(attrs?: Record<string, unknown> | Map<string, unknown>) {
    if (attrs !== undefined) setAttrs(this, attrs instanceof Map ? [...attrs] : Object.entries(attrs));
  }
  /** `vars(ns)` as a Map, in insertion order. */
  toMap(): Map<string, unknown> {
    return new Map(Object.entries(this.attrs));
  }
  /** Same attribute names, then pairs of values for pyEquals to compare on its own stack. */
  [PY_EQ](other: unknown): boolean | PyEqualPairs | undefined {
    if (!(other instanceof PySimpleNamespace)) return undefined;
    const a = Object.keys(this.attrs);
    if (a.length !== Object.keys(other.attrs).length) return false;
    const pairs: unknown[] = [];
    for (const k of a) {
      if (!Object.hasOwn(other.attrs, k)) return false;
      pairs.push(this.attrs[k], other.attrs[k]);
    }
    return { pairs };
  }
  /** `namespace(x=1, y=[2])`; met inside itself, `namespace(...)` (CPython's Py_ReprEnter). */
  [PY_REPR](): PyReprParts {
    const parts: unknown[] = [];
    let text = "namespace(";
    for (const [k, v] of Object.entries(this.attrs)) {
      parts.push(`${text}${k}=`, v);
      text = ", ";
    }
    parts.push(parts.length === 0 ? "namespace()" : ")");
    return { parts, recursive: "namespace(...)" };
  }
  get [PY_TYPE_NAME](): string {
    return "SimpleNamespace";
  }
}

/** Attributes are defined, never assigned, so a key like "__proto__" stays an own property. */
function setAttrs(ns: PySimpleNamespace, entries: readonly (readonly [unknown, unknown])[]): void {
  for (const [k, v] of entries) {
    if (typeof k !== "string") throw new PyTypeError("keywords must be strings");
    Object.defineProperty(ns.attrs, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
}

export const RANGE: ClassRegistration<PyRange> = {
  module: "builtins",
  name: "range",
  freshQualname: true,
  jsClass: PyRange,
  reduce(r): ReduceValue {
    return [RANGE, [r.start, r.stop, r.step]];
  },
  call(args) {
    if (args.length < 1 || args.length > 3)
      throw new PyTypeError(`range expected at most 3 arguments, got ${args.length}`);
    return new PyRange(args[0] as bigint, args[1] as bigint | undefined, (args[2] ?? 1n) as bigint);
  },
};

export const SLICE: ClassRegistration<PySlice> = {
  module: "builtins",
  name: "slice",
  freshQualname: true,
  jsClass: PySlice,
  reduce(s): ReduceValue {
    return [SLICE, [s.start, s.stop, s.step]];
  },
  call(args) {
    if (args.length < 1 || args.length > 3)
      throw new PyTypeError(`slice expected at most 3 arguments, got ${args.length}`);
    if (args.length === 1) return new PySlice(null, args[0], null);
    return new PySlice(args[0], args[1], args.length === 3 ? args[2] : null);
  },
};

export const SIMPLE_NAMESPACE: ClassRegistration<PySimpleNamespace> = {
  module: "types",
  name: "SimpleNamespace",
  freshQualname: true,
  jsClass: PySimpleNamespace,
  reduce(ns): ReduceValue {
    return [SIMPLE_NAMESPACE, [], ns.toMap()];
  },
  call(args) {
    if (args.length > 0) throw new PyTypeError("no positional arguments expected");
    return new PySimpleNamespace();
  },
  setState(obj, state) {
    const entries = dictEntries(state);
    if (entries === undefined) throw new PyTypeError("SimpleNamespace state must be a dict");
    setAttrs(obj, entries);
  },
};

/** range, slice and SimpleNamespace. */
export const BUILTINS_EXTRA_TYPES: readonly ClassRegistration[] = [
  RANGE,
  SLICE,
  SIMPLE_NAMESPACE,
] as ClassRegistration[];
