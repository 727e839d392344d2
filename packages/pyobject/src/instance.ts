import { BRAND, brandOf } from "./brand.js";
import type { PyDict } from "./dict.js";

/**
 * How an inert instance was made, mirroring the pickle opcodes so it can be written back
 * exactly: `reduce` is `callable(*args)` (REDUCE), `newobj` is `cls.__new__(cls, *args)`
 * (NEWOBJ), `newobj_ex` adds keyword arguments (NEWOBJ_EX).
 */
export type PyInstanceKind = "reduce" | "newobj" | "newobj_ex";

/**
 * An object of a Python class (or the result of a call) that the reader does not know,
 * kept as data: the callable or class reference, its arguments, the state passed to
 * `__setstate__` (BUILD), and the items appended (APPEND/APPENDS) or set (SETITEMS).
 * Nothing in it is ever run.
 */
export class PyInstance {
  declare readonly [BRAND]: "instance";
  /** State from BUILD, or `undefined` when there was none. */
  state: unknown = undefined;
  /** Items appended with APPEND/APPENDS, or `null`. */
  listItems: unknown[] | null = null;
  /** Key/value pairs set with SETITEM/SETITEMS, in order, or `null`. */
  dictItems: [unknown, unknown][] | null = null;
  constructor(
    /** The class or callable, usually a `PyGlobal`. */
    readonly cls: unknown,
    /** Positional arguments. */
    readonly args: unknown[],
    readonly kind: PyInstanceKind = "reduce",
    /** Keyword arguments (NEWOBJ_EX only). */
    readonly kwargs: PyDict | null = null,
  ) {}
}
Object.defineProperty(PyInstance.prototype, BRAND, { value: "instance" });

export function isPyInstance(v: unknown): v is PyInstance {
  return brandOf(v) === "instance";
}
