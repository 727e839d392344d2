/**
 * The Unpickler's hooks and options, each against what CPython writes: subclassed findClass
 * and persistentLoad, the class registry, extension codes, out-of-band buffers, fixImports,
 * Python 2 string encodings, strict mode, and file-like sources.
 */
import { readFileSync } from "node:fs";
import { isPyGlobal, isPyInstance, PyDict, PyGlobal, type PyInstance } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  addExtension,
  ExtensionRegistry,
  load,
  loads,
  PickleEOFError,
  type PickleSource,
  removeExtension,
  Unpickler,
  UnpicklingError,
} from "../src/index.js";
import { ClassRegistry } from "../src/registry.js";
import { fromHex } from "./unpickle-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(readFileSync(new URL("./data/unpickle/mirror.py", import.meta.url), "utf8"));
  await py.exec(`
import sys, types, pickle, io, copyreg
m = types.ModuleType('hookmod')
sys.modules['hookmod'] = m
exec('''
class Point:
    def __init__(self, x, y): self.x, self.y = x, y
class Ref:
    def __init__(self, key): self.key = key
''', m.__dict__)
from hookmod import Point, Ref
class PidPickler(pickle.Pickler):
    def persistent_id(self, obj):
        return ('ref', obj.key) if isinstance(obj, Ref) else None
def dumps_pid(v, proto):
    f = io.BytesIO(); PidPickler(f, proto).dump(v); return f.getvalue().hex()
`);
});
afterAll(async () => {
  await py?.close();
});

const pyHex = (expr: string): Promise<Uint8Array> => py.eval<string>(`(${expr}).hex()`).then(fromHex);

test("a findClass override maps globals (and its results are what REDUCE calls)", async () => {
  class Vec {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }
  class MyUnpickler extends Unpickler {
    override findClass(module: string, name: string): unknown {
      if (module === "hookmod" && name === "Point") return (x: number, y: number) => new Vec(x, y);
      if ((module === "builtins" || module === "__builtin__") && name === "complex")
        throw new UnpicklingError(`forbidden: ${module}.${name}`);
      return super.findClass(module, name);
    }
  }
  // copyreg's __reduce_ex__ for a plain class at protocol 2+: NEWOBJ then BUILD. Use REDUCE instead:
  await py.exec("copyreg.pickle(Point, lambda p: (Point, (p.x, p.y)))");
  try {
    for (let p = 0; p <= 5; p++) {
      const data = await pyHex(`pickle.dumps([Point(1, 2), Point(3, 4)], ${p})`);
      const v = new MyUnpickler(data).load() as Vec[];
      expect(v).toEqual([new Vec(1, 2), new Vec(3, 4)]);
      expect(v[0]).toBeInstanceOf(Vec);
      const bad = await pyHex(`pickle.dumps(1j, ${p})`);
      expect(() => new MyUnpickler(bad).load()).toThrow(
        /forbidden: (__)?builtin(s|__).complex \(at byte \d+/,
      );
    }
  } finally {
    await py.exec("del copyreg.dispatch_table[Point]");
  }
});

test("findClass receives Python 2 names already mapped, as pickle.py's does", async () => {
  const seen: string[] = [];
  class Spy extends Unpickler {
    override findClass(module: string, name: string): unknown {
      const r = super.findClass(module, name);
      seen.push(`${module}.${name} -> ${String(r)}`);
      return r;
    }
  }
  // protocol 2 writes __builtin__.set; the default findClass maps it to builtins.set
  const data = await pyHex("pickle.dumps({1}, 2)");
  expect(new Spy(data).load()).toEqual(new Set([1]));
  expect(seen).toEqual(["__builtin__.set -> builtins.set"]);
  // without fixImports the Python 2 name stays, and the call stays inert
  const inert = new Unpickler(data, { fixImports: false }).load() as PyInstance;
  expect(isPyInstance(inert)).toBe(true);
  expect(String(inert.cls)).toBe("__builtin__.set");
});

test("persistentLoad override, at every protocol", async () => {
  class PidUnpickler extends Unpickler {
    override persistentLoad(pid: unknown): unknown {
      const [tag, key] = pid as [string, string];
      if (tag !== "ref") throw new UnpicklingError("unsupported persistent object");
      return { resolved: key };
    }
  }
  for (let p = 0; p <= 5; p++) {
    const data = fromHex(await py.eval<string>(`dumps_pid([Ref('a'), 1, Ref('b')], ${p})`));
    if (p === 0) {
      // protocol 0 writes PERSID with the str() of the id... which is a tuple here: CPython refuses
      continue;
    }
    expect(new PidUnpickler(data).load()).toEqual([{ resolved: "a" }, 1, { resolved: "b" }]);
    expect(() => loads(data)).toThrow(/no persistent_load function was specified/);
  }
  const p0 = fromHex(
    await py.eval<string>(
      "(lambda f: (type('P', (pickle.Pickler,), {'persistent_id': lambda s, o: 'k' + o.key if isinstance(o, Ref) else None})(f, 0).dump([Ref('x')]), f.getvalue().hex())[1])(io.BytesIO())",
    ),
  );
  class P0 extends Unpickler {
    override persistentLoad(pid: unknown): unknown {
      return `loaded:${String(pid)}`;
    }
  }
  expect(new P0(p0).load()).toEqual(["loaded:kx"]);
});

test("registered classes load through the registry (newobj, setState, call), others stay inert", async () => {
  class Point {
    x = 0;
    y = 0;
  }
  const registry = new ClassRegistry();
  registry.register<Point>({
    module: "hookmod",
    name: "Point",
    jsClass: Point,
    newobj: () => new Point(),
    call: (args) => Object.assign(new Point(), { x: args[0], y: args[1] }),
    setState: (obj, state) => {
      const s = state as Record<string, number>;
      obj.x = s.x as number;
      obj.y = s.y as number;
    },
  });
  for (let p = 0; p <= 5; p++) {
    const data = await pyHex(`pickle.dumps([Point(1, 2), Point(5, 6)], ${p})`);
    const v = loads(data, { registry }) as Point[];
    expect(v[0]).toBeInstanceOf(Point);
    expect(v.map((q) => [q.x, q.y])).toEqual([
      [1, 2],
      [5, 6],
    ]);
    // the default registry does not know it: inert, state kept
    const inert = loads(data) as PyInstance[];
    expect(isPyInstance(inert[0])).toBe(true);
    expect(inert[0]?.state).toEqual({ x: 1, y: 2 });
    expect(() => loads(data, { strict: true })).toThrow(/global 'hookmod.Point' is forbidden/);
    expect(() => loads(data, { strict: true, registry })).not.toThrow();
  }
});

test("extension codes (EXT1, EXT2, EXT4) resolve through the extension registry", async () => {
  for (const code of [0x7f, 0x1234, 0x123456]) {
    await py.exec(`copyreg.add_extension('hookmod', 'Point', ${code})`);
    for (let p = 2; p <= 5; p++) {
      const data = await pyHex(`pickle.dumps(Point, ${p})`);
      expect(data).toContain(code < 256 ? 0x82 : code < 65536 ? 0x83 : 0x84);
      expect(() => loads(data)).toThrow(`unregistered extension code ${code}`);
      addExtension("hookmod", "Point", code);
      try {
        expect(loads(data)).toEqual(new PyGlobal("hookmod", "Point"));
        const own = new ExtensionRegistry();
        own.addExtension("other", "Thing", code);
        expect(loads(data, { extensions: own })).toEqual(new PyGlobal("other", "Thing"));
      } finally {
        removeExtension("hookmod", "Point", code);
      }
    }
    await py.exec(`copyreg.remove_extension('hookmod', 'Point', ${code})`);
  }
});

test("ExtensionRegistry mirrors copyreg's checks and messages", async () => {
  const r = new ExtensionRegistry();
  const pyErr = async (stmt: string): Promise<string> =>
    py.eval<string>(`(lambda: (exec(${JSON.stringify(stmt)}), '')[1])()`).catch((e: Error) => e.message);
  r.addExtension("m", "n", 5);
  r.addExtension("m", "n", 5); // same pair again: no-op
  expect(r.codeFor("m", "n")).toBe(5);
  expect(r.lookupCode(5)).toEqual(["m", "n"]);
  await py.exec("copyreg.add_extension('m', 'n', 5)");
  for (const [js, stmt] of [
    [() => r.addExtension("m", "n", 6), "copyreg.add_extension('m', 'n', 6)"],
    [() => r.addExtension("m", "o", 5), "copyreg.add_extension('m', 'o', 5)"],
    [() => r.addExtension("m", "o", 0), "copyreg.add_extension('m', 'o', 0)"],
    [() => r.addExtension("m", "o", 0x80000000), "copyreg.add_extension('m', 'o', 0x80000000)"],
    [() => r.removeExtension("m", "n", 6), "copyreg.remove_extension('m', 'n', 6)"],
  ] as const) {
    const expected = await pyErr(stmt);
    expect(js).toThrow(expected.replace(/^ValueError: /, ""));
  }
  r.removeExtension("m", "n", 5);
  await py.exec("copyreg.remove_extension('m', 'n', 5)");
  expect(r.codeFor("m", "n")).toBeUndefined();
  expect([...r.entries()]).toEqual([]);
});

test("out-of-band buffers (protocol 5)", async () => {
  const [h, bufs] = await py.eval<[string, Uint8Array[]]>(
    "(lambda bufs: [pickle.dumps([pickle.PickleBuffer(b'abc'), pickle.PickleBuffer(bytearray(b'de'))], 5, buffer_callback=bufs.append).hex(), [bytes(b.raw()) for b in bufs]])([])",
  );
  const data = fromHex(h);
  expect(loads(data, { buffers: bufs })).toEqual([
    new Uint8Array([0x61, 0x62, 0x63]),
    new Uint8Array([0x64, 0x65]),
  ]);
  expect(() => loads(data)).toThrow(/no \*buffers\* argument was given/);
  expect(() => loads(data, { buffers: bufs.slice(0, 1) })).toThrow(/not enough out-of-band buffers/);
  // in-band: bytearray as BYTEARRAY8, bytes as bytes
  const inband = await pyHex("pickle.dumps([bytearray(b'xy'), pickle.PickleBuffer(b'z')], 5)");
  expect(loads(inband)).toEqual([new Uint8Array([0x78, 0x79]), new Uint8Array([0x7a])]);
});

test("Python 2 str: encoding and errors, as CPython", async () => {
  const p2 = [
    fromHex("5327615c7830305c786130270a2e"),
    fromHex("5503610000a02e".replace("610000a0", "6100a0")),
    fromHex("80025503610" + "0a02e"),
  ];
  for (const data of p2) {
    const h = Buffer.from(data).toString("hex");
    for (const [encoding, errors] of [
      ["latin1", "strict"],
      ["bytes", "strict"],
      ["ASCII", "replace"],
      ["ASCII", "ignore"],
      ["ASCII", "surrogateescape"],
      ["ASCII", "backslashreplace"],
      ["cp1252", "strict"],
      ["koi8-r", "strict"],
      ["utf-8", "replace"],
    ] as const) {
      const expected = await py.eval<unknown>(
        `(lambda v: v if isinstance(v, bytes) else v.encode('utf-16-le', 'surrogatepass'))(pickle.loads(bytes.fromhex(h), encoding=e, errors=r))`,
        { h, e: encoding, r: errors },
      );
      const got = loads(data, { encoding, errors });
      if (encoding === "bytes") expect(got).toEqual(expected);
      else {
        const s = got as string;
        const u = new Uint8Array(s.length * 2);
        for (let i = 0; i < s.length; i++) {
          u[2 * i] = s.charCodeAt(i) & 0xff;
          u[2 * i + 1] = s.charCodeAt(i) >> 8;
        }
        expect(u, `${h} ${encoding} ${errors}`).toEqual(expected);
      }
    }
    expect(() => loads(data)).toThrow(
      /'ascii' codec can't decode byte 0xa0 in position 2: ordinal not in range\(128\)/,
    );
  }
});

test("Unpickler over bytes reads consecutive pickles, then PickleEOFError", async () => {
  const data = await pyHex("pickle.dumps(1, 0) + pickle.dumps([2], 2) + pickle.dumps({'three': 3}, 5)");
  const u = new Unpickler(data);
  expect(u.load()).toBe(1);
  expect(u.load()).toEqual([2]);
  expect(u.load()).toEqual({ three: 3 });
  expect(() => u.load()).toThrow(PickleEOFError);
  expect(() => loads(new Uint8Array(0))).toThrow("Ran out of input");
});

test("load() over a file-like source reads only what each pickle needs", async () => {
  const data = await pyHex(
    "b''.join(pickle.dumps(v, p) for p, v in [(0, 'a'), (1, [1, 2]), (2, {'k': (1,)}), (4, 'x' * 100000), (5, None)])",
  );
  for (const withReadline of [true, false]) {
    let pos = 0;
    const reads: number[] = [];
    const src: PickleSource = {
      read(n: number) {
        reads.push(n);
        const out = data.slice(pos, pos + n);
        pos += out.length;
        return out;
      },
    };
    if (withReadline) {
      src.readline = () => {
        const nl = data.indexOf(0x0a, pos);
        const out = data.slice(pos, nl < 0 ? data.length : nl + 1);
        pos += out.length;
        return out;
      };
    }
    const u = new Unpickler(src);
    const ends: number[] = [];
    const values: unknown[] = [];
    for (let k = 0; k < 5; k++) {
      values.push(u.load());
      ends.push(pos);
    }
    expect(values).toEqual(["a", [1, 2], { k: [1] }, "x".repeat(100000), null]);
    expect(() => u.load()).toThrow(PickleEOFError);
    expect(ends[ends.length - 1]).toBe(data.length);
    // each load stopped right after its STOP: the next pickle starts there
    for (const e of ends.slice(0, -1)) expect([0x80, 0x56, 0x5d, 0x28]).toContain(data[e]);
  }
});

test("load() on an empty source is the end-of-input error", () => {
  expect(() => load({ read: () => new Uint8Array(0) })).toThrow(PickleEOFError);
});

test("NEWOBJ_EX keyword arguments are kept on inert instances", async () => {
  await py.exec(`
class KwNew:
    def __new__(cls, *, k): o = object.__new__(cls); o.k = k; return o
    def __getnewargs_ex__(self): return ((1,), {'k': self.k})
KwNew.__module__ = 'hookmod'
m.KwNew = KwNew
`);
  const data = await pyHex("pickle.dumps(KwNew(k=5), 4)");
  const v = loads(data, { model: "faithful" }) as PyInstance;
  expect(v.kind).toBe("newobj_ex");
  expect(v.args).toEqual([1n]);
  expect(v.kwargs).toEqual(new PyDict([["k", 5n]]));
  expect(isPyGlobal(v.cls)).toBe(true);
});

// A dict a hook returned is the hook's: SETITEMS fills that object, even when its keys are the
// previous dict's (whose fresh dicts are built from a template and put in their place).
test("SETITEMS fills the dict persistentLoad returned, as in CPython", async () => {
  const h =
    "8004 7d7100 28 8c0161 4b01 8c0162 4b02 75 8c03706964 51 7101 28 8c0161 4b03 8c0162 4b04 75 6801 87 2e".replace(
      / /g,
      "",
    );
  const held: Record<string, unknown> = {};
  class Holding extends Unpickler {
    override persistentLoad(_pid: unknown): unknown {
      return held;
    }
  }
  const v = new Holding(fromHex(h)).load() as Record<string, unknown>[];
  expect(v[1]).toBe(held);
  expect(v[2]).toBe(held);
  const U = "type('U', (__import__('pickle').Unpickler,), {'persistent_load': lambda self, pid: held})";
  const pyResult = await py.eval<unknown[]>(
    `(lambda held: (lambda r: [r[0], r[1], r[1] is held, r[2] is held])(${U}(__import__('io').BytesIO(bytes.fromhex('${h}'))).load()))({})`,
  );
  expect(pyResult.slice(2)).toEqual([true, true]);
  expect(v.slice(0, 2)).toEqual(pyResult.slice(0, 2));
});
