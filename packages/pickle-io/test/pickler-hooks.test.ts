/**
 * Each pickling hook checked against CPython doing the same thing: the class registry's reduce,
 * persistentId, reducerOverride, per-instance and global dispatch tables, reduce values with
 * list/dict items and a state setter, inert instances, extension codes, fixImports, protocol 5
 * buffers, sinks and Pickler reuse, errors and deep nesting.
 */
import { PickleBuffer, PicklingError } from "@x/pickle-core";
import { NotImplemented, PyDict, PyGlobal, PyInstance, PyTuple, PyValueError } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  addExtension,
  dispatchTable,
  dump,
  dumps,
  loads,
  Pickler,
  pickle,
  removeExtension,
} from "../src/index.js";
import { type ClassRegistration, ClassRegistry, type ReduceValue } from "../src/registry.js";

let py: PythonOracle;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

beforeAll(async () => {
  py = await startPython();
  // A real importable module, so CPython's save_global finds the classes.
  await py.exec(String.raw`
import sys, types, pickle, io, copyreg
hooktest = types.ModuleType("hooktest")
sys.modules["hooktest"] = hooktest
exec('''
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
class Kw:
    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls); self.a = list(args); self.kw = dict(kwargs); return self
    def __getnewargs_ex__(self):
        return tuple(self.a), dict(self.kw)
class Bag:
    def __init__(self, items, pairs, state, setter):
        self.items, self.pairs, self.state, self.setter = items, pairs, state, setter
    def __reduce__(self):
        return (Bag, (), self.state, iter(self.items) if self.items is not None else None,
                iter(self.pairs) if self.pairs is not None else None, self.setter)
def set_state(obj, state):
    pass
''', hooktest.__dict__)
Point, Kw, Bag = hooktest.Point, hooktest.Kw, hooktest.Bag

def pts(n):
    return [Point(i, str(i)) for i in range(n)]

def _depth(v):
    n = 0
    while v:
        v = v[0]; n += 1
    return n
`);
});
afterAll(async () => {
  await py.close();
});

class Point {
  constructor(
    readonly x: number,
    readonly y: string,
  ) {}
}
const NEWOBJ = new PyGlobal("copyreg", "__newobj__");
const RECONSTRUCTOR = new PyGlobal("copyreg", "_reconstructor");
const OBJECT = new PyGlobal("builtins", "object");

/** A registry where Point pickles as CPython's default object.__reduce_ex__ does. */
function pointRegistry(): ClassRegistry {
  const registry = new ClassRegistry();
  const reg: ClassRegistration<Point> = registry.register<Point>({
    module: "hooktest",
    name: "Point",
    jsClass: Point,
    reduce: (p, protocol): ReduceValue =>
      protocol >= 2
        ? [NEWOBJ, [reg], { x: p.x, y: p.y }]
        : [RECONSTRUCTOR, [reg, OBJECT, null], { x: p.x, y: p.y }],
  });
  return registry;
}

test("registered JS classes pickle like CPython's default __reduce_ex__", async () => {
  const registry = pointRegistry();
  const value = [new Point(1, "a"), new Point(2, "b")];
  const shared = new Point(3, "c");
  const want = await py.eval<Uint8Array[]>(
    "(lambda a, s: [pickle.dumps([a, [s, s]], p) for p in range(6)])([Point(1, 'a'), Point(2, 'b')], Point(3, 'c'))",
  );
  for (let p = 0; p <= 5; p++) {
    expect(hex(dumps([value, [shared, shared]], { protocol: p, registry })), `protocol ${p}`).toBe(
      hex(want[p]!),
    );
  }
});

test("persistentId replaces values with ids (BINPERSID, PERSID text at protocol 0)", async () => {
  await py.exec(String.raw`
class PP(pickle.Pickler):
    def persistent_id(self, obj):
        if type(obj) is Point: return "point-%d" % obj.x
        if obj == "secret": return 7
        return None
def pers(p):
    f = io.BytesIO(); PP(f, p).dump([Point(1, 'a'), "secret", Point(2, 'b'), 5]); return f.getvalue()
`);
  class JsPickler extends Pickler {
    override persistentId(obj: unknown): unknown {
      if (obj instanceof Point) return `point-${obj.x}`;
      if (obj === "secret") return 7;
      return undefined;
    }
  }
  for (let p = 0; p <= 5; p++) {
    const want = await py.call<Uint8Array>("pers", p);
    const pk = new JsPickler(null, { protocol: p });
    pk.dump([new Point(1, "a"), "secret", new Point(2, "b"), 5]);
    expect(hex(pk.takeBytes()), `protocol ${p}`).toBe(hex(want));
  }
});

test("reducerOverride is consulted for non-builtin values only, NotImplemented falls back", async () => {
  await py.exec(String.raw`
class RO(pickle.Pickler):
    def reducer_override(self, obj):
        if type(obj) is Point: return (Point, (obj.x, obj.y))
        return NotImplemented
def ro(p):
    f = io.BytesIO(); RO(f, p).dump([Point(1, 'a'), 5, "s", [1], complex(1, 2)]); return f.getvalue()
`);
  const seen: unknown[] = [];
  const registry = pointRegistry();
  const reg = registry.lookup("hooktest", "Point")!;
  class JsPickler extends Pickler {
    override reducerOverride(obj: unknown): unknown {
      seen.push(obj);
      if (obj instanceof Point) return [reg, [obj.x, obj.y]];
      return NotImplemented;
    }
  }
  for (let p = 0; p <= 5; p++) {
    const want = await py.call<Uint8Array>("ro", p);
    const pk = new JsPickler(null, { protocol: p, registry, model: "natural" });
    const { PyComplex } = await import("@x/pyobject");
    pk.dump([new Point(1, "a"), 5, "s", [1], new PyComplex(1, 2)]);
    expect(hex(pk.takeBytes()), `protocol ${p}`).toBe(hex(want));
  }
  // Never called for builtin types (ints, strs, lists), as in _pickle.c.
  expect(seen.some((x) => typeof x === "number" || typeof x === "string" || Array.isArray(x))).toBe(false);
});

test("reducerOverride is consulted for globals too, and each repeat of one is a memo GET", async () => {
  await py.exec(String.raw`
class ROG(pickle.Pickler):
    def reducer_override(self, obj):
        if obj is Point: return (Bag, ())
        return NotImplemented
def rog(p):
    f = io.BytesIO(); pk = ROG(f, p)
    for _ in range(3):
        pk.dump([Point, Bag, Point, Bag]); pk.clear_memo()
    return f.getvalue()
def plain_globals(p):
    f = io.BytesIO(); pk = pickle.Pickler(f, p)
    for _ in range(3):
        pk.dump([Point, Bag, Point, Bag]); pk.clear_memo()
    return f.getvalue()
`);
  const value = [new PyGlobal("hooktest", "Point"), new PyGlobal("hooktest", "Bag")];
  value.push(value[0]!, new PyGlobal("hooktest", "Bag"));
  for (let p = 0; p <= 5; p++) {
    const seen: unknown[] = [];
    class JsPickler extends Pickler {
      override reducerOverride(obj: unknown): unknown {
        seen.push(obj);
        if (obj instanceof PyGlobal && obj.name === "Point") return [new PyGlobal("hooktest", "Bag"), []];
        return NotImplemented;
      }
    }
    const pk = new JsPickler(null, { protocol: p });
    const plain = new Pickler(null, { protocol: p });
    for (let i = 0; i < 3; i++) {
      pk.dump(value);
      pk.clearMemo();
      plain.dump(value);
      plain.clearMemo();
    }
    expect(hex(pk.takeBytes()), `protocol ${p}`).toBe(hex(await py.call<Uint8Array>("rog", p)));
    expect(hex(plain.takeBytes()), `protocol ${p}`).toBe(hex(await py.call<Uint8Array>("plain_globals", p)));
    expect(seen.filter((x) => x instanceof PyGlobal).length).toBeGreaterThanOrEqual(6);
  }
});

test("shared objects across clearMemo(): small memos (arrays) and large ones (Map) alike", async () => {
  await py.exec(String.raw`
def shared_stream(p):
    def value(n):
        items = [{'k': i} for i in range(n)]
        tail = [items[0], items[n - 1], [items[n // 2]] * 2]
        v = [items, items, tail, items[::-1]]
        v.append(v)
        return v
    f = io.BytesIO(); pk = pickle.Pickler(f, p)
    for n in [1, 7, 8, 9, 40, 3, 9, 2]:
        pk.dump(value(n))
        if n != 40: pk.clear_memo()
    return f.getvalue()
`);
  const value = (n: number) => {
    const items = Array.from({ length: n }, (_, i) => ({ k: i }));
    const tail = [items[0], items[n - 1], [items[n >> 1], items[n >> 1]]];
    const v: unknown[] = [items, items, tail, items.slice().reverse()];
    v.push(v);
    return v;
  };
  for (let p = 0; p <= 5; p++) {
    const pk = new Pickler(null, { protocol: p, model: "natural" });
    for (const n of [1, 7, 8, 9, 40, 3, 9, 2]) {
      pk.dump(value(n));
      if (n !== 40) pk.clearMemo();
    }
    expect(hex(pk.takeBytes()), `protocol ${p}`).toBe(hex(await py.call<Uint8Array>("shared_stream", p)));
  }
});

test("per-instance dispatchTable replaces the global one (copyreg.pickle)", async () => {
  await py.exec(String.raw`
def dt(p, use_global):
    f = io.BytesIO(); pk = pickle.Pickler(f, p)
    if use_global:
        copyreg.pickle(Point, lambda o: (Point, (o.x, 'g')))
    else:
        pk.dispatch_table = {Point: lambda o: (Point, (o.x, 'i'))}
    try:
        pk.dump([Point(1, 'a'), Point(2, 'b')])
    finally:
        copyreg.dispatch_table.pop(Point, None)
    return f.getvalue()
`);
  const registry = pointRegistry();
  const reg = registry.lookup("hooktest", "Point")!;
  for (let p = 0; p <= 5; p++) {
    const pk = new Pickler(null, { protocol: p, registry });
    pk.dispatchTable = new Map([[Point, (o: Point) => [reg, [o.x, "i"]] as const]]);
    pk.dump([new Point(1, "a"), new Point(2, "b")]);
    expect(hex(pk.takeBytes()), `instance table, protocol ${p}`).toBe(
      hex(await py.call<Uint8Array>("dt", p, false)),
    );
    pickle(Point, (o: Point) => [reg, [o.x, "g"]]);
    try {
      const got = dumps([new Point(1, "a"), new Point(2, "b")], { protocol: p, registry });
      expect(hex(got), `global table, protocol ${p}`).toBe(hex(await py.call<Uint8Array>("dt", p, true)));
    } finally {
      dispatchTable.delete(Point);
    }
  }
});

test("reduce values with list items, dict items, state and a state setter (batches of 1000)", async () => {
  await py.exec(String.raw`
def bags(p, n):
    out = []
    for items, pairs, state, setter in [
        (list(range(n)), None, None, None),
        (None, [(i, str(i)) for i in range(n)], {"s": 1}, None),
        ([1], [("k", 2)], {"s": 2}, hooktest.set_state),
        ([], [], None, None),
    ]:
        out.append(Bag(items, pairs, state, setter))
    return pickle.dumps(out, p)
`);
  const bag = new PyGlobal("hooktest", "Bag");
  const setter = new PyGlobal("hooktest", "set_state");
  class Bag {
    constructor(
      readonly items: unknown[] | null,
      readonly pairs: [unknown, unknown][] | null,
      readonly state: unknown,
      readonly setter: unknown,
    ) {}
  }
  const registry = new ClassRegistry();
  registry.register<Bag>({
    module: "hooktest",
    name: "Bag",
    jsClass: Bag,
    reduce: (b) => [bag, [], b.state, b.items, b.pairs, b.setter],
  });
  for (const n of [0, 1, 2, 999, 1000, 1001, 2000]) {
    const bags = [
      new Bag(
        Array.from({ length: n }, (_, i) => i),
        null,
        null,
        null,
      ),
      new Bag(
        null,
        Array.from({ length: n }, (_, i) => [i, String(i)] as [unknown, unknown]),
        { s: 1 },
        null,
      ),
      new Bag([1], [["k", 2]], { s: 2 }, setter),
      new Bag([], [], null, null),
    ];
    for (let p = 0; p <= 5; p++) {
      expect(hex(dumps(bags, { protocol: p, registry })), `n=${n} protocol ${p}`).toBe(
        hex(await py.call<Uint8Array>("bags", p, n)),
      );
    }
  }
});

test("inert instances (REDUCE, NEWOBJ, NEWOBJ_EX) dump back as CPython wrote them", async () => {
  const pts = await py.eval<Uint8Array[]>(
    "[pickle.dumps([Point(1, 'a'), Kw(1, 2, k=3)], p) for p in range(6)]",
  );
  for (let p = 0; p <= 5; p++) {
    const state = new PyDict<unknown, unknown>([
      ["x", 1n],
      ["y", "a"],
    ]);
    const point =
      p >= 2
        ? new PyInstance(new PyGlobal("hooktest", "Point"), [], "newobj")
        : new PyInstance(RECONSTRUCTOR, [new PyGlobal("hooktest", "Point"), OBJECT, null], "reduce");
    point.state = state;
    const kwState = new PyDict<unknown, unknown>([
      ["a", [1n, 2n]],
      ["kw", new PyDict([["k", 3n]])],
    ]);
    if (p < 4) continue; // NEWOBJ_EX below protocol 4 goes through functools.partial (not supported)
    const kw = new PyInstance(new PyGlobal("hooktest", "Kw"), [1n, 2n], "newobj_ex", new PyDict([["k", 3n]]));
    kw.state = kwState;
    expect(hex(dumps([point, kw], { protocol: p, model: "faithful" })), `protocol ${p}`).toBe(hex(pts[p]!));
  }
  // And through loads: dumps(loads(P, faithful)) === P for every protocol.
  for (let p = 2; p <= 5; p++) {
    if (p < 4) {
      const want = await py.eval<Uint8Array>(`pickle.dumps([Point(1, 'a')], ${p})`);
      const only = loads(want, { model: "faithful" });
      expect(hex(dumps(only, { protocol: p, model: "faithful" })), `loads round trip, protocol ${p}`).toBe(
        hex(want),
      );
      continue;
    }
    const v = loads(pts[p]!, { model: "faithful" });
    expect(hex(dumps(v, { protocol: p, model: "faithful" })), `loads round trip, protocol ${p}`).toBe(
      hex(pts[p]!),
    );
  }
});

test("extension codes give EXT1/EXT2/EXT4 at protocol 2+ and are not memoized", async () => {
  const codes: [string, number][] = [
    ["Point", 0xf0],
    ["Kw", 0x1234],
    ["Bag", 0x123456],
  ];
  for (const [name, code] of codes) addExtension("hooktest", name, code);
  await py.exec(
    "for n, c in [('Point', 0xf0), ('Kw', 0x1234), ('Bag', 0x123456)]: copyreg.add_extension('hooktest', n, c)",
  );
  try {
    const value = ["Point", "Kw", "Bag", "Point"].map((n) => new PyGlobal("hooktest", n));
    const want = await py.eval<Uint8Array[]>("[pickle.dumps([Point, Kw, Bag, Point], p) for p in range(6)]");
    for (let p = 0; p <= 5; p++) {
      expect(hex(dumps(value, { protocol: p })), `protocol ${p}`).toBe(hex(want[p]!));
    }
  } finally {
    for (const [name, code] of codes) removeExtension("hooktest", name, code);
    await py.exec(
      "for n, c in [('Point', 0xf0), ('Kw', 0x1234), ('Bag', 0x123456)]: copyreg.remove_extension('hooktest', n, c)",
    );
  }
});

test("fixImports=false keeps Python 3 names at protocols 0-2", async () => {
  const value = [new PyGlobal("builtins", "range"), new Set([1]), new Uint8Array([1, 2])];
  for (let p = 0; p <= 2; p++) {
    const want = await py.eval<Uint8Array>(
      `pickle.dumps([range, {1}, b'\\x01\\x02'], ${p}, fix_imports=False)`,
    );
    expect(hex(dumps(value, { protocol: p, fixImports: false })), `protocol ${p}`).toBe(hex(want));
  }
});

test("protocol 5: PickleBuffer in-band (bytes / bytearray) and out-of-band with READONLY_BUFFER", async () => {
  await py.exec(String.raw`
def buffers(mode):
    ro = pickle.PickleBuffer(b"abc"); rw = pickle.PickleBuffer(bytearray(b"xyz"))
    seen = []
    if mode == "none": cb = None
    elif mode == "oob": cb = lambda b: seen.append(b)
    else: cb = lambda b: True
    data = pickle.dumps([ro, rw, ro, b"abc"], 5, buffer_callback=cb)
    return [data, len(seen)]
`);
  const ro = new PickleBuffer(new Uint8Array([97, 98, 99]));
  const rw = new PickleBuffer(new Uint8Array([120, 121, 122]), { readonly: false });
  const bytes = new Uint8Array([97, 98, 99]);
  for (const mode of ["none", "oob", "inband"] as const) {
    const [want, nOut] = await py.call<[Uint8Array, number]>("buffers", mode);
    const out: PickleBuffer[] = [];
    const options =
      mode === "none"
        ? { protocol: 5 }
        : {
            protocol: 5,
            bufferCallback: mode === "oob" ? (b: PickleBuffer) => void out.push(b) : () => true,
          };
    expect(hex(dumps([ro, rw, ro, bytes], options)), mode).toBe(hex(want));
    expect(out.length).toBe(nOut);
  }
  expect(() => dumps(ro, { protocol: 4 })).toThrow(PicklingError);
  expect(() => dumps(1, { protocol: 4, bufferCallback: () => true })).toThrow(PyValueError);
});

test("a sink receives whole frames; Pickler reuse keeps the memo as CPython's does", async () => {
  const big = Array.from({ length: 40000 }, (_, i) => `item-${i}`);
  const chunks: Uint8Array[] = [];
  dump(big, { write: (b) => chunks.push(b) }, { protocol: 5 });
  expect(chunks.length).toBeGreaterThan(1);
  expect(hex(Buffer.concat(chunks))).toBe(hex(dumps(big, { protocol: 5 })));
  expect(hex(Buffer.concat(chunks))).toBe(
    hex(await py.eval<Uint8Array>("pickle.dumps(['item-%d' % i for i in range(40000)], 5)")),
  );
  // Large payloads go straight to the sink, outside frames.
  const large = new Uint8Array(100000).fill(3);
  const parts: Uint8Array[] = [];
  dump(["a", large, "b"], { write: (b) => parts.push(b) }, { protocol: 4 });
  expect(parts).toContain(large);
  expect(hex(Buffer.concat(parts))).toBe(hex(dumps(["a", large, "b"], { protocol: 4 })));

  const want = await py.eval<Uint8Array>(
    "(lambda f, s: (lambda pk: (pk.dump(s), pk.dump([s, 'x']), pk.clear_memo(), pk.dump(s), f.getvalue())[-1])(pickle.Pickler(f, 4)))(io.BytesIO(), [1, 2])",
  );
  const s = [1, 2];
  const got: Uint8Array[] = [];
  const pk = new Pickler({ write: (b) => got.push(b) }, { protocol: 4 });
  pk.dump(s);
  pk.dump([s, "x"]);
  pk.clearMemo();
  pk.dump(s);
  expect(hex(Buffer.concat(got))).toBe(hex(want));
});

test("unpicklable values throw PicklingError naming the path", () => {
  class Unregistered {}
  expect(() => dumps({ a: [1, { b: () => 1 }] })).toThrow(
    /Can't pickle function .* at obj\["a"\]\[1\]\["b"\]/,
  );
  expect(() => dumps([Symbol("s")])).toThrow(/Can't pickle Symbol\(s\) at obj\[0\]/);
  expect(() => dumps(new Map([["k", new Unregistered()]]))).toThrow(/'Unregistered' object at obj\["k"\]/);
  const t = new PyTuple<unknown>([]);
  t.items.push(t);
  expect(() => dumps(t)).toThrow(PicklingError);
  expect(() => dumps(1, { protocol: 6 })).toThrow(PyValueError);
  // The pickler stays usable after an error.
  const pk = new Pickler(null, { protocol: 2 });
  expect(() => pk.dump([() => 1])).toThrow(PicklingError);
  // As in CPython, what the failed dump memoized stays memoized until clearMemo().
  pk.clearMemo();
  pk.dump([1]);
  expect(hex(pk.takeBytes())).toBe(hex(dumps([1], { protocol: 2 })));
});

test("100,000 levels of nesting pickle without a stack overflow and python3 loads them", async () => {
  let deep: unknown = [];
  for (let i = 0; i < 100_000; i++) deep = [deep];
  for (const p of [0, 2, 5]) {
    const data = dumps(deep, { protocol: p });
    const depth = await py.eval<number>("_depth(pickle.loads(data))", { data });
    expect(depth).toBe(100_000);
  }
});
