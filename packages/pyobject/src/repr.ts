import { brandOf } from "./brand.js";
import type { PyByteArray } from "./bytearray.js";
import type { PyComplex } from "./complex.js";
import type { PyDict } from "./dict.js";
import { PyTypeError } from "./errors.js";
import { floatRepr } from "./float-repr.js";
import type { PyGlobal } from "./global.js";
import { PY_REPR, type PyHooks } from "./hooks.js";
import type { PyInstance } from "./instance.js";
import type { PyFrozenSet, PySet } from "./set.js";
import { byteArrayRepr, bytesRepr, strRepr } from "./str-repr.js";
import type { PyTuple } from "./tuple.js";

/** Options of {@link pyRepr}. */
export interface PyReprOptions {
  /**
   * How to read plain JS numbers. `"faithful"` (default): every number is a Python float
   * (`1` prints `1.0`). `"natural"`: an integral number prints as an int (`1`), except `-0`,
   * which is the float `-0.0`; other numbers print as floats.
   */
  readonly model?: "faithful" | "natural";
}

const OP_VALUE = 0;
const OP_TEXT = 1;
const OP_LEAVE = 2;

/**
 * A complex part as CPython's `repr(complex)` writes it: the float's repr without the `.0`
 * that `repr(float)` adds to integral values (`(1+2j)`, `1e+16j`).
 */
function complexPart(x: number): string {
  const s = floatRepr(x);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

/** Python's `repr(complex)`: `2j`, `-0j`, `(1+2j)`, `(-0-0j)`, `(nan+infj)`. */
export function complexRepr(c: PyComplex): string {
  const im = complexPart(c.imag);
  if (c.real === 0 && !Object.is(c.real, -0)) return `${im}j`;
  const sign = im[0] === "-" ? "" : "+";
  return `(${complexPart(c.real)}${sign}${im}j)`;
}

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function globalText(g: PyGlobal): string {
  return g.module === "builtins" ? g.name : `${g.module}.${g.name}`;
}

/**
 * The repr of a value that holds no other values, or `undefined` for a container.
 * @throws {PyTypeError} for a JS value with no Python type.
 */
function leafRepr(v: unknown, natural: boolean): string | undefined {
  switch (typeof v) {
    case "string":
      return strRepr(v);
    case "number":
      if (natural && Number.isInteger(v) && !Object.is(v, -0)) {
        return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
      }
      return floatRepr(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "True" : "False";
    case "undefined":
      return "None";
    case "object":
      break;
    default:
      throw new PyTypeError(`pyRepr: a JS ${typeof v} has no Python repr`);
  }
  if (v === null) return "None";
  if (v instanceof Uint8Array) return bytesRepr(v);
  switch (brandOf(v)) {
    case "bytearray":
      return byteArrayRepr((v as PyByteArray).bytes);
    case "complex":
      return complexRepr(v as PyComplex);
    case "ellipsis":
      return "Ellipsis";
    case "notimplemented":
      return "NotImplemented";
    case "global":
      return `<class '${globalText(v as PyGlobal)}'>`;
    case "instance": {
      const cls = (v as PyInstance).cls;
      if (brandOf(cls) === "global") return `<${globalText(cls as PyGlobal)} object>`;
      return undefined; // `<object made by ...>`, printed around the callable's repr
    }
  }
  return undefined;
}

/**
 * Python's `repr()` of a model value, text identical to CPython's for every builtin type:
 * ints, floats (`1e+16`, `1e-05`, `inf`, `nan`, `-0.0`), str and bytes quoting and escapes,
 * `bytearray(b'')`, `(1,)`, lists, dicts and sets in their own order, `set()`,
 * `frozenset({1})`, complex (`(1+2j)`, `-0j`), `None`, `True`, `Ellipsis`, `NotImplemented`.
 * A container met again inside itself prints `[...]`, `{...}`, `(...)`, `set(...)` as in
 * CPython. Natural JS values print as their Python counterparts: `Map` and plain objects as
 * dicts, `Set` as a set, `undefined` as None.
 *
 * Values with no CPython text of their own: a `PyGlobal` prints as a class,
 * `<class 'module.Name'>` (`<class 'int'>` for builtins); a `PyInstance` prints as CPython's
 * default object repr without the address, `<module.Name object>`, or
 * `<object made by REPR>` when its callable is not a global. Objects with a
 * `Symbol.for("@x/pyobject.repr")` method print what it returns.
 *
 * Walks with an explicit stack: 100,000 levels of nesting print without a stack overflow.
 * @throws {PyTypeError} for a JS value with no Python counterpart (function, symbol, an
 * instance of an unknown class, a typed array other than Uint8Array).
 */
export function pyRepr(value: unknown, options?: PyReprOptions): string {
  const natural = options?.model === "natural";
  const ops: number[] = [OP_VALUE];
  const args: unknown[] = [value];
  // Containers being printed (CPython's Py_ReprEnter), to print `[...]` for a cycle.
  const active = new Set<object>();
  let out = "";
  while (ops.length > 0) {
    const op = ops.pop()!;
    const v = args.pop();
    if (op === OP_TEXT) {
      out += v as string;
      continue;
    }
    if (op === OP_LEAVE) {
      active.delete(v as object);
      continue;
    }
    const leaf = leafRepr(v, natural);
    if (leaf !== undefined) {
      out += leaf;
      continue;
    }
    const o = v as object;
    const brand = brandOf(o);
    let open: string;
    let close: string;
    let cycle: string;
    let items: readonly unknown[] | undefined;
    let entries: [unknown, unknown][] | undefined;
    if (Array.isArray(o)) {
      [open, close, cycle] = ["[", "]", "[...]"];
      items = o;
    } else if (brand === "tuple") {
      items = (o as PyTuple).items;
      [open, close, cycle] = ["(", items.length === 1 ? ",)" : ")", "(...)"];
    } else if (brand === "dict" || o instanceof Map) {
      [open, close, cycle] = ["{", "}", "{...}"];
      entries = [...(o as PyDict | Map<unknown, unknown>).entries()];
    } else if (brand === "set" || brand === "frozenset" || o instanceof Set) {
      const name = brand === "frozenset" ? "frozenset" : "set";
      items = [...(o as PySet | PyFrozenSet | Set<unknown>).values()];
      if (items.length === 0) {
        out += `${name}()`;
        continue;
      }
      [open, close, cycle] =
        name === "set" ? ["{", "}", "set(...)"] : ["frozenset({", "})", "frozenset(...)"];
    } else if (brand === "instance") {
      [open, close, cycle] = ["<object made by ", ">", "<...>"];
      items = [(o as PyInstance).cls];
    } else if (typeof (o as PyHooks)[PY_REPR] === "function") {
      out += String((o as Required<PyHooks>)[PY_REPR]());
      continue;
    } else if (brand === undefined && isPlainObject(o)) {
      [open, close, cycle] = ["{", "}", "{...}"];
      entries = Object.entries(o);
    } else {
      const what = ArrayBuffer.isView(o) ? o.constructor.name : (o.constructor?.name ?? "object");
      throw new PyTypeError(`pyRepr: a JS ${what} has no Python repr`);
    }
    if (active.has(o)) {
      out += cycle;
      continue;
    }
    out += open;
    active.add(o);
    ops.push(OP_LEAVE, OP_TEXT);
    args.push(o, close);
    if (entries !== undefined) {
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i]!;
        ops.push(OP_VALUE, OP_TEXT, OP_VALUE);
        args.push(x, ": ", k);
        if (i > 0) {
          ops.push(OP_TEXT);
          args.push(", ");
        }
      }
    } else if (items !== undefined) {
      for (let i = items.length - 1; i >= 0; i--) {
        ops.push(OP_VALUE);
        args.push(items[i]);
        if (i > 0) {
          ops.push(OP_TEXT);
          args.push(", ");
        }
      }
    }
  }
  return out;
}
