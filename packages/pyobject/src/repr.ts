import { brandOf } from "./brand.js";
import type { PyByteArray } from "./bytearray.js";
import type { PyComplex } from "./complex.js";
import type { PyDict } from "./dict.js";
import { PyError, PyTypeError } from "./errors.js";
import { floatRepr } from "./float-repr.js";
import type { PyGlobal } from "./global.js";
import { type HashTable, TABLE } from "./hash-table.js";
import { enterWalk, isReprParts, leaveWalk, PY_REPR, type PyHooks } from "./hooks.js";
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
const OP_LEAVE_AGAIN = 3;

/**
 * The objects being printed (CPython's Py_ReprEnter), shared by a walk and every pyRepr a
 * hook calls inside it, so a cycle through a hook that prints with pyRepr still ends in
 * `[...]`. `again` holds hook objects without a cycle marker met a second time inside
 * themselves (a third time is a cycle that only CPython's RecursionError would end).
 */
interface ReprState {
  readonly active: Set<object>;
  again: Set<object> | undefined;
}
let current: ReprState | undefined;

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

const COPYREG_CONSTRUCTORS = new Set(["_reconstructor", "__newobj__", "__newobj_ex__"]);

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
      // A registered type built on PyInstance (e.g. OrderedDict) prints as its hook says.
      if (typeof (v as PyHooks)[PY_REPR] === "function") return undefined;
      const inst = v as PyInstance;
      let cls = inst.cls;
      if (brandOf(cls) !== "global") return undefined; // `<object made by ...>`, around the callable's repr
      const g = cls as PyGlobal;
      // Built through copyreg (`_reconstructor(cls, base, state)` at protocols 0-1,
      // `__newobj__(cls, *args)`): CPython would hold a `cls` object, so it prints as one.
      if (g.module === "copyreg" && COPYREG_CONSTRUCTORS.has(g.name) && brandOf(inst.args[0]) === "global") {
        cls = inst.args[0];
      }
      return `<${globalText(cls as PyGlobal)} object>`;
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
 * default object repr without the address, `<module.Name object>` (for one made through
 * `copyreg._reconstructor`/`__newobj__`, the class it makes), or `<object made by REPR>`
 * when its callable is not a global. Objects with a
 * `Symbol.for("@x/pyobject.repr")` method print what it returns.
 *
 * Walks with an explicit stack: 100,000 levels of nesting print without a stack overflow.
 * @throws {PyTypeError} for a JS value with no Python counterpart (function, symbol, an
 * instance of an unknown class, a typed array other than Uint8Array).
 */
export function pyRepr(value: unknown, options?: PyReprOptions): string {
  const outer = current;
  if (outer !== undefined) enterWalk("getting the repr of an object");
  const state: ReprState = outer ?? { active: new Set(), again: undefined };
  const ops: number[] = [OP_VALUE];
  const args: unknown[] = [value];
  current = state;
  let done = false;
  try {
    const text = walk(state, ops, args, options?.model === "natural");
    done = true;
    return text;
  } finally {
    current = outer;
    if (outer !== undefined) {
      leaveWalk();
      // A nested walk that threw leaves the shared markers as it found them.
      if (!done) {
        for (let i = 0; i < ops.length; i++) {
          if (ops[i] === OP_LEAVE) outer.active.delete(args[i] as object);
          else if (ops[i] === OP_LEAVE_AGAIN) outer.again?.delete(args[i] as object);
        }
      }
    }
  }
}

/** The explicit-stack walk of pyRepr: `ops`/`args` are its stack, read back on a throw. */
function walk(state: ReprState, ops: number[], args: unknown[], natural: boolean): string {
  const active = state.active;
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
    if (op === OP_LEAVE_AGAIN) {
      state.again?.delete(v as object);
      continue;
    }
    const leaf = leafRepr(v, natural);
    if (leaf !== undefined) {
      out += leaf;
      continue;
    }
    const o = v as object;
    const brand = brandOf(o);
    let open = "{";
    let close = "}";
    let cycle = "{...}";
    // Members to print: `items` alone, or `keys` with `vals` for a mapping. A PyDict/PySet is
    // read straight from its table (`live` skips deleted slots) instead of copying entries.
    let items: readonly unknown[] | undefined;
    let keys: readonly unknown[] | undefined;
    let vals: readonly unknown[] | undefined;
    let live: HashTable | undefined;
    if (Array.isArray(o)) {
      open = "[";
      close = "]";
      cycle = "[...]";
      items = o;
    } else if (brand === "tuple") {
      items = (o as PyTuple).items;
      open = "(";
      close = items.length === 1 ? ",)" : ")";
      cycle = "(...)";
    } else if (brand === "dict") {
      live = (o as PyDict)[TABLE];
      keys = live.keys;
      vals = live.values;
    } else if (brand === "set" || brand === "frozenset") {
      live = (o as PySet | PyFrozenSet)[TABLE];
      items = live.keys;
      if (brand === "frozenset") {
        open = "frozenset({";
        close = "})";
        cycle = "frozenset(...)";
      } else {
        cycle = "set(...)";
      }
      if (live.size === 0) {
        out += brand === "set" ? "set()" : "frozenset()";
        continue;
      }
    } else if (o instanceof Map) {
      keys = [...o.keys()];
      vals = [...o.values()];
    } else if (o instanceof Set) {
      items = [...o.values()];
      cycle = "set(...)";
      if (items.length === 0) {
        out += "set()";
        continue;
      }
    } else if (typeof (o as PyHooks)[PY_REPR] === "function") {
      const r = (o as Required<PyHooks>)[PY_REPR]();
      if (typeof r === "string") {
        out += r;
        continue;
      }
      if (!isReprParts(r)) throw new PyTypeError(`__repr__ returned non-string (type ${typeof r})`);
      if (!active.has(o)) {
        active.add(o);
        ops.push(OP_LEAVE);
      } else if (r.recursive !== undefined) {
        out += r.recursive;
        continue;
      } else {
        const again = (state.again ??= new Set());
        if (again.has(o)) {
          throw new PyError(
            "RecursionError",
            "maximum recursion depth exceeded while getting the repr of an object",
          );
        }
        again.add(o);
        ops.push(OP_LEAVE_AGAIN);
      }
      args.push(o);
      // Text at even indexes, values at odd ones; pushed last to first.
      const parts = r.parts;
      for (let i = parts.length - 1; i >= 0; i--) {
        ops.push(i % 2 === 0 ? OP_TEXT : OP_VALUE);
        args.push(i % 2 === 0 ? String(parts[i]) : parts[i]);
      }
      continue;
    } else if (brand === "instance") {
      open = "<object made by ";
      close = ">";
      cycle = "<...>";
      items = [(o as PyInstance).cls];
    } else if (brand === undefined && isPlainObject(o)) {
      keys = Object.keys(o);
      vals = keys.map((k) => (o as Record<string, unknown>)[k as string]);
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
    // Pushed last to first; a separator goes before every member but the first printed.
    let later = false;
    if (keys !== undefined) {
      for (let i = keys.length - 1; i >= 0; i--) {
        if (live !== undefined && !live.isLive(i)) continue;
        if (later) {
          ops.push(OP_TEXT);
          args.push(", ");
        }
        ops.push(OP_VALUE, OP_TEXT, OP_VALUE);
        args.push(vals![i], ": ", keys[i]);
        later = true;
      }
    } else if (items !== undefined) {
      for (let i = items.length - 1; i >= 0; i--) {
        if (live !== undefined && !live.isLive(i)) continue;
        if (later) {
          ops.push(OP_TEXT);
          args.push(", ");
        }
        ops.push(OP_VALUE);
        args.push(items[i]);
        later = true;
      }
    }
  }
  return out;
}
