/**
 * Test support for the pickling suites: a tagged description of a value that both sides can
 * build and describe, with shared and recursive references kept (`["ref", id]`), so a value
 * made in JS can be rebuilt in python3 and the other way round.
 */
import {
  brandOf,
  Ellipsis,
  NotImplemented,
  PyByteArray,
  PyComplex,
  PyDict,
  PyFrozenSet,
  PyGlobal,
  PySet,
  PyTuple,
} from "@x/pyobject";

export type Desc = unknown[];

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

function floatText(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Object.is(x, -0)) return "-0.0";
  return String(x);
}

/** Describes a JS value as the Python value `model` maps it to. */
export function describe(v: unknown, model: "natural" | "faithful" = "natural"): Desc {
  const ids = new Map<unknown, number>();
  const go = (x: unknown): Desc => {
    switch (typeof x) {
      case "number":
        if (model === "natural" && Number.isInteger(x) && !Object.is(x, -0))
          return ["int", BigInt(x).toString()];
        return ["float", floatText(x)];
      case "bigint":
        return ["int", x.toString()];
      case "boolean":
        return ["bool", x];
      case "string":
        return ["str", x];
      case "undefined":
        return ["none"];
      case "object": {
        if (x === null) return ["none"];
        const seen = ids.get(x);
        if (seen !== undefined) return ["ref", seen];
        const id = ids.size;
        ids.set(x, id);
        if (x instanceof Uint8Array) return ["bytes", id, hex(x)];
        if (Array.isArray(x)) return ["list", id, x.map(go)];
        if (x instanceof Map) return ["dict", id, [...x].map(([k, y]) => [go(k), go(y)])];
        if (x instanceof Set) return ["set", id, [...x].map(go)];
        switch (brandOf(x)) {
          case "tuple":
            return ["tuple", id, (x as PyTuple).items.map(go)];
          case "dict":
            return ["dict", id, [...(x as PyDict).entries()].map(([k, y]) => [go(k), go(y)])];
          case "set":
            return ["set", id, [...(x as PySet)].map(go)];
          case "frozenset":
            return ["frozenset", id, [...(x as PyFrozenSet)].map(go)];
          case "bytearray":
            return ["bytearray", id, hex((x as PyByteArray).bytes)];
          case "complex":
            return ["complex", id, floatText((x as PyComplex).real), floatText((x as PyComplex).imag)];
          case "ellipsis":
            return ["ellipsis"];
          case "notimplemented":
            return ["notimplemented"];
          case "global":
            return ["global", (x as PyGlobal).module, (x as PyGlobal).name];
        }
        return ["dict", id, Object.entries(x).map(([k, y]) => [go(k), go(y)])];
      }
      default:
        throw new Error(`cannot describe ${typeof x}`);
    }
  };
  return go(v);
}

function parseFloat_(s: string): number {
  if (s === "nan") return Number.NaN;
  if (s === "inf") return Infinity;
  if (s === "-inf") return -Infinity;
  return Number(s);
}

function isArrayIndex(k: string): boolean {
  return /^(0|[1-9][0-9]{0,9})$/.test(k) && Number(k) < 2 ** 32 - 1;
}

/** Builds the JS value of a description in the faithful model, or the natural view. */
export function build(d: Desc, model: "natural" | "faithful" = "faithful"): unknown {
  const byId = new Map<number, unknown>();
  const go = (x: Desc): unknown => {
    const tag = x[0] as string;
    switch (tag) {
      case "none":
        return null;
      case "bool":
        return x[1];
      case "int": {
        const n = BigInt(x[1] as string);
        if (model === "natural" && n >= -(2n ** 53n - 1n) && n <= 2n ** 53n - 1n) return Number(n);
        return n;
      }
      case "float":
        return parseFloat_(x[1] as string);
      case "str":
        return x[1];
      case "ref":
        return byId.get(x[1] as number);
      case "ellipsis":
        return Ellipsis;
      case "notimplemented":
        return NotImplemented;
      case "global":
        return new PyGlobal(x[1] as string, x[2] as string);
    }
    const id = x[1] as number;
    switch (tag) {
      case "bytes": {
        const b = unhex(x[2] as string);
        byId.set(id, b);
        return b;
      }
      case "bytearray": {
        const b = model === "natural" ? unhex(x[2] as string) : new PyByteArray(unhex(x[2] as string));
        byId.set(id, b);
        return b;
      }
      case "complex": {
        const c = new PyComplex(parseFloat_(x[2] as string), parseFloat_(x[3] as string));
        byId.set(id, c);
        return c;
      }
      case "list": {
        const out: unknown[] = [];
        byId.set(id, out);
        for (const y of x[2] as Desc[]) out.push(go(y));
        return out;
      }
      case "tuple": {
        const items: unknown[] = [];
        const t = model === "natural" ? items : new PyTuple(items);
        byId.set(id, t);
        for (const y of x[2] as Desc[]) items.push(go(y));
        return t;
      }
      case "dict": {
        const pairs = x[2] as [Desc, Desc][];
        if (model === "natural") {
          // An object only where it keeps the dict's order: V8 puts array-index keys ("9") first.
          if (pairs.every(([k]) => k[0] === "str" && !isArrayIndex(k[1] as string))) {
            const o: Record<string, unknown> = {};
            byId.set(id, o);
            for (const [k, y] of pairs)
              Object.defineProperty(o, k[1] as string, {
                value: go(y),
                enumerable: true,
                writable: true,
                configurable: true,
              });
            return o;
          }
          const m = new Map();
          byId.set(id, m);
          for (const [k, y] of pairs) m.set(go(k), go(y));
          return m;
        }
        const dict = new PyDict();
        byId.set(id, dict);
        for (const [k, y] of pairs) dict.set(go(k), go(y));
        return dict;
      }
      case "set": {
        const s = model === "natural" ? new Set() : new PySet();
        byId.set(id, s);
        for (const y of x[2] as Desc[]) s.add(go(y));
        return s;
      }
      case "frozenset": {
        const items = (x[2] as Desc[]).map(go);
        const s = model === "natural" ? new Set(items) : new PyFrozenSet(items);
        byId.set(id, s);
        return s;
      }
    }
    throw new Error(`unknown tag ${tag}`);
  };
  return go(d);
}

/** The python3 side: build/describe, type-exact comparison, and pickling at every protocol. */
export const PY_DESCRIBE = String.raw`
import pickle, sys, math
_FunctionType = type(lambda: 0)

def py_build(d):
    by_id = {}
    fixups = []  # refs to a tuple still being built, from a list item or dict value
    class Pending:
        def __init__(self, i): self.i = i
    def slot(container, key, x):
        v = go(x)
        if type(v) is Pending: fixups.append((container, key, v.i))
        return v
    def go(x):
        tag = x[0]
        if tag == "none": return None
        if tag == "bool": return x[1]
        if tag == "int": return int(x[1])
        if tag == "float": return float(x[1])
        if tag == "str": return _intern(x[1])
        if tag == "ref": return by_id[x[1]] if x[1] in by_id else Pending(x[1])
        if tag == "ellipsis": return ...
        if tag == "notimplemented": return NotImplemented
        if tag == "global":
            import importlib
            obj = importlib.import_module(x[1])
            for part in x[2].split("."): obj = getattr(obj, part)
            return obj
        i = x[1]
        if tag == "bytes":
            b = bytes.fromhex(x[2])
            if len(b) == 0: b = b""
            elif len(b) == 1: b = (b"\0" + b)[1:2]
            by_id[i] = b; return b
        if tag == "bytearray":
            b = bytearray.fromhex(x[2]); by_id[i] = b; return b
        if tag == "complex":
            c = complex(float(x[2]), float(x[3])); by_id[i] = c; return c
        if tag == "list":
            out = []; by_id[i] = out
            for y in x[2]: out.append(None); out[-1] = slot(out, len(out) - 1, y)
            return out
        if tag == "tuple":
            t = tuple(go(y) for y in x[2]); by_id[i] = t; return t
        if tag == "dict":
            out = {}; by_id[i] = out
            for k, y in x[2]:
                key = go(k); out[key] = None; out[key] = slot(out, key, y)
            return out
        if tag == "set":
            out = set(); by_id[i] = out
            for y in x[2]: out.add(go(y))
            return out
        if tag == "frozenset":
            out = frozenset(go(y) for y in x[2]); by_id[i] = out; return out
        raise ValueError(tag)
    v = go(d)
    for container, key, i in fixups: container[key] = by_id[i]
    return v

_STRS = {}
def _intern(s):
    # Equal strings are one object, as the pickler memoizes str by value (JS strings have no identity).
    try:
        return sys.intern(s)
    except TypeError:
        return _STRS.setdefault(s, s)

def py_describe(v):
    ids = {}
    def go(x):
        t = type(x)
        if x is None: return ["none"]
        if t is bool: return ["bool", x]
        if t is int: return ["int", str(x)]
        if t is float: return ["float", repr(x)]
        if t is str: return ["str", x]
        if x is ...: return ["ellipsis"]
        if x is NotImplemented: return ["notimplemented"]
        if isinstance(x, type) or t is _FunctionType: return ["global", x.__module__, x.__qualname__]
        if id(x) in ids: return ["ref", ids[id(x)]]
        i = len(ids); ids[id(x)] = i
        _keep.append(x)
        if t is bytes: return ["bytes", i, x.hex()]
        if t is bytearray: return ["bytearray", i, x.hex()]
        if t is complex: return ["complex", i, repr(x.real), repr(x.imag)]
        if t is list: return ["list", i, [go(y) for y in x]]
        if t is tuple: return ["tuple", i, [go(y) for y in x]]
        if t is dict: return ["dict", i, [[go(k), go(y)] for k, y in x.items()]]
        if t is set: return ["set", i, [go(y) for y in x]]
        if t is frozenset: return ["frozenset", i, [go(y) for y in x]]
        raise TypeError(t)
    _keep = []
    return go(v)

def same(a, b, seen=None):
    """Python equality, type for type, NaN equal to NaN, -0.0 distinct, recursion-safe."""
    if seen is None: seen = set()
    if type(a) is not type(b): return False
    if type(a) is float:
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if type(a) is complex:
        return same(a.real, b.real) and same(a.imag, b.imag)
    if type(a) in (list, tuple, dict, set, frozenset):
        key = (id(a), id(b))
        if key in seen: return True
        seen.add(key)
        if len(a) != len(b): return False
        if type(a) in (list, tuple):
            return all(same(x, y, seen) for x, y in zip(a, b))
        if type(a) is dict:
            return all(same(x, y, seen) and same(a[x], b[y], seen) for x, y in zip(a, b))
        return a == b
    return a == b

def py_roundtrip(d):
    """Builds the value, returns its own description (python's set order) and its pickles."""
    v = py_build(d)
    return [py_describe(v), [pickle.dumps(v, p) for p in range(6)]]

def py_check_load(d, data):
    """Loads what we wrote and compares it with the described value, type for type."""
    v = py_build(d)
    got = pickle.loads(data)
    if not same(v, got):
        return repr(got)[:300] + " != " + repr(v)[:300]
    return None
`;
