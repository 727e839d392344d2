/**
 * Every known way to sneak code past a pickle scanner, each graded `dangerous`: the bypasses
 * reported against picklescan, modelscan and fickling (memo mixing, INST/OBJ, STACK_GLOBAL on
 * memo strings, BUILD on a global, indirection through importers and name resolvers,
 * debuggers, EXT codes, protocol 0 text forms, nested pickles, torch-style persistent ids),
 * and the constructions of CPython's pickle documentation, written by CPython's own pickler
 * (via `__reduce__`) at every protocol or assembled by hand.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExtensionRegistry, type ScanReport, scan } from "../src/index.js";
import {
  asm,
  BUILD,
  binget,
  binput,
  EMPTY_DICT,
  EMPTY_TUPLE,
  global,
  MARK,
  MEMOIZE,
  proto,
  REDUCE,
  STACK_GLOBAL,
  STOP,
  su,
  TUPLE1,
  TUPLE2,
} from "./support/pickle-asm.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle, os, sys, builtins, importlib, pkgutil, pydoc, marshal, operator, pdb, bdb, runpy, code, codeop
import shutil, socket, webbrowser, ctypes, multiprocessing, asyncio, subprocess, types, functools, timeit, cProfile
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import mailcap
class Evil:
    def __init__(self, f, args): self.f, self.args = f, args
    def __reduce__(self): return (self.f, self.args)
def evil(expr, args, p):
    return pickle.dumps(Evil(eval(expr), args), p)
`);
});
afterAll(async () => {
  await py?.close();
});

function expectDangerous(r: ScanReport): void {
  expect(r.verdict, JSON.stringify(r, null, 1)).toBe("dangerous");
}

/** What Python's pickler writes for `f(*args)` at every protocol, each graded dangerous. */
async function viaReduce(expr: string, args: string): Promise<ScanReport[]> {
  const out: ScanReport[] = [];
  for (let p = 0; p <= 5; p++) {
    const data = await py.eval<Uint8Array>(`evil(${JSON.stringify(expr)}, ${args}, ${p})`);
    out.push(scan(data));
  }
  return out;
}

describe("callables that run code, written by CPython's pickler at protocols 0-5", () => {
  // The documentation's own example (os.system) and every indirection the tools' issue
  // trackers list, each a single REDUCE.
  const cases: [string, string, string][] = [
    ["os.system: the pickle documentation's example", "os.system", "('true',)"],
    ["builtins.eval", "eval", "('1',)"],
    ["builtins.exec", "exec", "('1',)"],
    ["builtins.compile", "compile", "('1', 'f', 'eval')"],
    ["builtins.__import__", "__import__", "('os',)"],
    ["builtins.getattr through a dunder: attribute access on anything", "getattr", "(int, '__subclasses__')"],
    ["builtins.getattr of a dangerous name on a vetted object", "getattr", "(int, 'system')"],
    ["builtins.getattr on an object the scan cannot vet", "getattr", "(warnings.catch_warnings, 'f')"],
    ["builtins.open: file access", "open", "('/etc/passwd',)"],
    ["builtins.breakpoint: a debugger", "breakpoint", "()"],
    ["subprocess.Popen", "subprocess.Popen", "(['true'],)"],
    ["subprocess.check_output", "subprocess.check_output", "(['true'],)"],
    ["importlib.import_module: import by name", "importlib.import_module", "('os',)"],
    ["pkgutil.resolve_name: name resolution", "pkgutil.resolve_name", "('os:system',)"],
    ["pydoc.locate: name resolution", "pydoc.locate", "('os.system',)"],
    ["marshal.loads: code objects from bytes", "marshal.loads", "(b'N',)"],
    ["operator.attrgetter: attribute walk", "operator.attrgetter", "('system',)"],
    ["operator.methodcaller", "operator.methodcaller", "('system', 'true')"],
    ["pdb.run: debugger runs a string", "pdb.run", "('1',)"],
    ["bdb.Bdb.run via the bdb module", "bdb.Bdb", "()"],
    ["mailcap.findmatch: runs a shell test command", "mailcap.findmatch", "({}, 'x')"],
    ["runpy.run_path", "runpy.run_path", "('/tmp/x.py',)"],
    ["code.InteractiveInterpreter", "code.InteractiveInterpreter", "()"],
    ["codeop.compile_command", "codeop.compile_command", "('1',)"],
    ["timeit.timeit runs a statement string", "timeit.timeit", "('1',)"],
    ["cProfile.run runs a statement string", "cProfile.run", "('1',)"],
    ["shutil.rmtree: file deletion", "shutil.rmtree", "('/tmp/none',)"],
    ["socket.create_connection", "socket.create_connection", "(('localhost', 1),)"],
    ["webbrowser.open", "webbrowser.open", "('http://x',)"],
    ["ctypes.CDLL: native code", "ctypes.CDLL", "('libc.so.6',)"],
    ["multiprocessing.Process", "multiprocessing.Process", "()"],
    ["asyncio.create_subprocess_shell", "asyncio.create_subprocess_shell", "('true',)"],
    ["sys.exit / the sys module", "sys.exit", "(0,)"],
    ["nested pickle: pickle.loads", "pickle.loads", "(b'N.',)"],
    ["nested pickle: _pickle.loads", "pickle._loads", "(b'N.',)"],
    ["functools.partial over os.system", "functools.partial", "(os.system, 'true')"],
    ["os.posix_spawn", "os.posix_spawn", "('/bin/true', ['true'], {})"],
  ];
  for (const [technique, expr, args] of cases) {
    test(technique, async () => {
      for (const r of await viaReduce(expr, args)) expectDangerous(r);
    });
  }
});

describe("hand-made pickles", () => {
  test("protocol 0 text form, GLOBAL + REDUCE", () => {
    const r = scan(asm(global("os", "system"), MARK, "S'true'\n", "tR", STOP));
    expectDangerous(r);
    expect(r.globals[0]).toMatchObject({ module: "os", name: "system", opcode: "GLOBAL", offset: 0 });
    expect(r.calls[0]).toMatchObject({ opcode: "REDUCE", callable: "os.system", verdict: "dangerous" });
  });

  test("Python 2 names through fix_imports: __builtin__.eval and commands.getoutput", () => {
    for (const [m, n] of [
      ["__builtin__", "eval"],
      ["commands", "getoutput"],
    ] as const) {
      const r = scan(asm(proto(2), global(m, n), su("1"), TUPLE1, REDUCE, STOP));
      expectDangerous(r);
    }
    const r = scan(asm(proto(2), global("__builtin__", "set"), EMPTY_TUPLE, REDUCE, STOP));
    expect(r.verdict).toBe("safe");
    expect(r.globals[0]?.resolved).toBe("builtins.set");
  });

  test("INST instead of GLOBAL + REDUCE", () => {
    const r = scan(asm(MARK, "S'true'\n", "ios\nsystem\n", STOP));
    expectDangerous(r);
    expect(r.globals[0]).toMatchObject({ opcode: "INST", offset: 9, module: "os", name: "system" });
    expect(r.calls[0]).toMatchObject({ opcode: "INST", offset: 9 });
  });

  test("types.FunctionType / CodeType: functions built from marshalled code", () => {
    // CPython cannot pickle these classes by reference, so the exploit names them by hand
    for (const name of ["FunctionType", "CodeType", "LambdaType"]) {
      expectDangerous(scan(asm(global("types", name), MARK, "N", "t", REDUCE, STOP)));
    }
  });

  test("OBJ instead of REDUCE", () => {
    const r = scan(asm(MARK, global("os", "system"), "S'true'\n", "o", STOP));
    expectDangerous(r);
    expect(r.calls[0]).toMatchObject({ opcode: "OBJ" });
  });

  test("STACK_GLOBAL on strings fetched from the memo", () => {
    // the names are memoized far from their use, with harmless data in between
    const r = scan(
      asm(
        proto(4),
        su("os"),
        MEMOIZE,
        su("system"),
        MEMOIZE,
        "0",
        "0",
        ")",
        binget(0),
        binget(1),
        STACK_GLOBAL,
        "0",
        "N",
        STOP,
      ),
    );
    expectDangerous(r);
    expect(r.globals[0]).toMatchObject({
      module: "os",
      name: "system",
      opcode: "STACK_GLOBAL",
      nameFrom: "stack",
    });
  });

  test("BINPUT and MEMOIZE mixed so a counting scanner's memo disagrees with Python's", () => {
    // MEMOIZE stores at len(memo): after 'os'->0 and BINPUT 2 the memo has two entries, so
    // 'system' overwrites slot 2 (a scanner counting MEMOIZEs puts it at 3 and reads 'x').
    const r = scan(
      asm(
        proto(4),
        su("os"),
        MEMOIZE,
        "0",
        su("x"),
        binput(2),
        "0",
        su("system"),
        MEMOIZE,
        "0",
        binget(0),
        binget(2),
        STACK_GLOBAL,
        STOP,
      ),
    );
    expectDangerous(r);
    expect(r.globals.map((g) => `${g.module}.${g.name}`)).toEqual(["os.system"]);
  });

  test("BUILD on an allowed global (set attributes on a module object, read them back)", () => {
    // collections.OrderedDict gets an attribute; a later GLOBAL could read it back as a name
    const r = scan(
      asm(
        global("collections", "OrderedDict"),
        "N",
        MARK,
        "S'evil'\n",
        global("os", "system"),
        "d",
        TUPLE2,
        BUILD,
        "0",
        global("collections", "OrderedDict.evil"),
        STOP,
      ),
    );
    expectDangerous(r);
    const build = r.calls.find((c) => c.opcode === "BUILD");
    expect(build?.verdict).toBe("dangerous");
    expect(build?.reason).toMatch(/sets attributes on the global collections\.OrderedDict/);
  });

  test("BUILD on a harmless-looking global alone is dangerous", () => {
    const r = scan(asm(global("collections", "OrderedDict"), EMPTY_DICT, "S'a'\n", "N", "s", BUILD, STOP));
    expectDangerous(r);
  });

  test("EXT code: resolved by the loading process's copyreg registry", () => {
    const r = scan(asm(proto(2), "\x82", 1, EMPTY_TUPLE, REDUCE, STOP));
    expectDangerous(r);
    expect(r.error?.message).toMatch(/unregistered extension code 1/);
    // registered in our registry: reported as the global it maps to, still dangerous
    const extensions = new ExtensionRegistry();
    extensions.addExtension("builtins", "set", 240);
    const r2 = scan(asm(proto(2), "\x82", 240, EMPTY_TUPLE, REDUCE, STOP), { extensions });
    expectDangerous(r2);
    expect(r2.globals[0]).toMatchObject({
      module: "builtins",
      name: "set",
      opcode: "EXT1",
      extensionCode: 240,
    });
  });

  test("getattr reading a plain attribute of a vetted object is known, calling the result is dangerous", () => {
    // scipy's frozen distributions pickle bound methods as getattr(instance, '_name')
    const read = asm(
      global("builtins", "getattr"),
      global("collections", "OrderedDict"),
      EMPTY_TUPLE,
      REDUCE,
      "S'keys'\n",
      TUPLE2,
      REDUCE,
    );
    expect(scan(asm(read, STOP)).verdict).toBe("known");
    const r = scan(asm(read, EMPTY_TUPLE, REDUCE, STOP));
    expectDangerous(r);
    expect(r.calls[2]).toMatchObject({ callableFrom: { kind: "call", ref: 1 }, verdict: "dangerous" });
  });

  test("calling what an earlier call returned (getattr-style chains on a safe callable)", () => {
    // set() then calling the set: the second callable is computed by the pickle
    const r = scan(asm(global("builtins", "set"), EMPTY_TUPLE, REDUCE, EMPTY_TUPLE, REDUCE, STOP));
    expectDangerous(r);
    expect(r.calls[1]?.callableFrom).toEqual({ kind: "call", ref: 0 });
  });

  test("a vetted function made to call a computed value (copyreg._reconstructor with a computed base)", () => {
    // _reconstructor(cls, base, state) calls base.__new__(cls, state): base comes from getattr
    const base = asm(
      global("builtins", "getattr"),
      global("collections", "OrderedDict"),
      "S'fromkeys'\n",
      TUPLE2,
      REDUCE,
    );
    const r = scan(
      asm(
        global("copyreg", "_reconstructor"),
        MARK,
        global("collections", "OrderedDict"),
        base,
        "N",
        "t",
        REDUCE,
        STOP,
      ),
    );
    expectDangerous(r);
    expect(r.calls.at(-1)?.reason).toMatch(/would call an argument the pickle computed/);
    // the same function on globals, as CPython writes it, stays safe
    const ok = scan(
      asm(
        global("copyreg", "_reconstructor"),
        MARK,
        global("collections", "OrderedDict"),
        global("builtins", "object"),
        "N",
        "t",
        REDUCE,
        STOP,
      ),
    );
    expect(ok.verdict).toBe("safe");
  });

  test("getattr(__import__('os'), 'system')('true'): calls chained through results", () => {
    const r = scan(
      asm(
        global("builtins", "getattr"),
        global("builtins", "__import__"),
        "S'os'\n",
        TUPLE1,
        REDUCE,
        "S'system'\n",
        TUPLE2,
        REDUCE,
        "S'true'\n",
        TUPLE1,
        REDUCE,
        STOP,
      ),
    );
    expectDangerous(r);
    expect(r.calls.map((c) => c.callableFrom.kind)).toEqual(["global", "global", "call"]);
    expect(r.calls[1]?.args[0]).toMatchObject({ from: { kind: "call", ref: 0 } });
  });

  test("STACK_GLOBAL on a name computed by a call: the scan cannot follow, so dangerous", () => {
    const r = scan(
      asm(
        proto(4),
        global("operator", "add"),
        su("o"),
        su("s"),
        TUPLE2,
        REDUCE,
        su("system"),
        STACK_GLOBAL,
        STOP,
      ),
    );
    expectDangerous(r);
    expect(r.notes.some((n) => n.verdict === "dangerous" && /cannot follow/.test(n.message))).toBe(true);
  });

  test("SETITEM on a global (mutating module state such as copyreg._extension_registry)", () => {
    const r = scan(asm(global("copyreg", "_extension_registry"), "S'k'\n", "I1\n", "s", STOP));
    expectDangerous(r);
  });

  test("ADDITEMS on a call result the inert model cannot add to", () => {
    const r = scan(asm(proto(4), global("builtins", "set"), EMPTY_TUPLE, REDUCE, MARK, "K", 1, "\x90", STOP));
    expectDangerous(r);
  });

  test("NEWOBJ on a class an earlier call returned", () => {
    const r = scan(
      asm(proto(2), global("builtins", "type"), su("x"), TUPLE1, REDUCE, EMPTY_TUPLE, "\x81", STOP),
    );
    expectDangerous(r);
  });

  test("dotted names through dunders reach anything (protocol 4 qualnames)", () => {
    for (const name of [
      "object.__subclasses__",
      "_reconstructor.__globals__",
      "OrderedDict.__init__.__builtins__",
    ]) {
      expectDangerous(scan(asm(proto(4), su("collections"), su(name), STACK_GLOBAL, STOP)));
    }
  });

  test("re-exported modules: somepkg.os.system, somepkg.subprocess", () => {
    expectDangerous(scan(asm(proto(4), su("somepkg.util"), su("os.system"), STACK_GLOBAL, STOP)));
    expectDangerous(scan(asm(global("somepkg.util", "subprocess"), STOP)));
  });

  test("torch-style persistent id naming a dangerous global", () => {
    const r = scan(
      asm(
        proto(2),
        MARK,
        "X",
        [7, 0, 0, 0],
        "storage",
        global("os", "system"),
        "X",
        [1, 0, 0, 0],
        "0",
        "t",
        "Q",
        STOP,
      ),
    );
    expectDangerous(r);
    expect(r.persistentIds[0]?.verdict).toBe("known");
  });

  test("calling a persistent object", () => {
    const r = scan(asm("Pfoo\n", EMPTY_TUPLE, REDUCE, STOP));
    expectDangerous(r);
    expect(r.calls[0]?.callableFrom).toEqual({ kind: "persistent", ref: 0 });
  });

  test("a dangerous global after a harmless first pickle (several pickles in one file)", () => {
    const first = asm(proto(4), su("x"), STOP);
    const second = asm(global("os", "system"), "S'true'\n", TUPLE1, REDUCE, STOP);
    const r = scan(asm(first, second));
    expect(r.pickles).toBe(2);
    expectDangerous(r);
    expect(r.globals[0]).toMatchObject({ pickle: 1, offset: first.length });
  });

  test("memo shared across pickles: MEMOIZE numbering differs between one Unpickler and pickle.load per pickle", () => {
    // pickle 1 memoizes 'builtins','set'; pickle 2 memoizes 'os','system' and GETs 0 and 1:
    // read with a fresh memo (pickle.load each) that is os.system; with one shared memo it is
    // builtins.set. Both readings are scanned.
    const first = asm(proto(4), su("builtins"), MEMOIZE, su("set"), MEMOIZE, "0", STOP);
    const second = asm(
      proto(4),
      su("os"),
      MEMOIZE,
      su("system"),
      MEMOIZE,
      "0",
      "0",
      binget(0),
      binget(1),
      STACK_GLOBAL,
      STOP,
    );
    const r = scan(asm(first, second));
    expectDangerous(r);
    const names = r.globals.map((g) => `${g.module}.${g.name}`).sort();
    expect(names).toEqual(["builtins.set", "os.system"]);
  });

  test("nested pickle via pickle.loads: the inner pickle is scanned and reported", async () => {
    const inner = await py.eval<Uint8Array>("evil('os.system', ('true',), 4)");
    const outer = await py.eval<Uint8Array>(
      "pickle.dumps(Evil(pickle.loads, (evil('os.system', ('true',), 4),)), 2)",
    );
    const r = scan(outer);
    expectDangerous(r);
    const call = r.calls.find((c) => c.callable === "pickle.loads" || c.callable === "_pickle.loads");
    expect(call?.nested?.globals.map((g) => `${g.module}.${g.name}`)).toEqual(["posix.system"]);
    expect(call?.nested).toEqual(scan(inner));
  });

  test("nested pickle in a .npy file with an object array", async () => {
    const npy = await py.eval<Uint8Array>(
      "(lambda io, np: (lambda b: (np.save(b, np.array([Evil(os.system, ('true',))], dtype=object), allow_pickle=True), b.getvalue())[1])(io.BytesIO()))(__import__('io'), __import__('numpy'))",
    );
    const r = scan(npy);
    expect(r.format).toBe("npy");
    expectDangerous(r);
  });
});
