/**
 * Files and descriptors, synchronously: Python's two idioms (several dumps then as many loads
 * on one file, then EOFError; one dump of a tuple, one destructuring load), checked against
 * python3 writing and reading the same files.
 */
import { execFileSync, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PickleEOFError, PicklingError, UnpicklingError } from "@x/pickle-core";
import { PyGlobal } from "@x/pyobject";
import { PYTHON, type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumps, loads, Unpickler } from "../src/index.js";
import { dump, fdSource, iterLoadSync, load } from "../src/node/index.js";
import { byteDiff } from "./support/bytes.js";

let py: PythonOracle;
let dir: string;

const VALUES = [{ a: [1, 2.5, "x"], n: null, big: 2n ** 80n }, [1, 2, 3], "three"];

beforeAll(async () => {
  py = await startPython();
  dir = mkdtempSync(join(tmpdir(), "pickle-io-files-"));
  await py.exec(`
import pickle
VALUES = [{"a": [1, 2.5, "x"], "n": None, "big": 2**80}, [1, 2, 3], "three"]
def write_three(path, proto):
    with open(path, "wb") as f:
        for v in VALUES:
            pickle.dump(v, f, proto)
def read_all(path):
    out = []
    with open(path, "rb") as f:
        while True:
            try:
                out.append(pickle.load(f))
            except EOFError:
                break
        rest = f.read()
    return [out, rest]
def write_tuple(path):
    with open(path, "wb") as f:
        pickle.dump((1, "two", [3.0]), f)
def read_one(path):
    with open(path, "rb") as f:
        return pickle.load(f)
def write_many(path, n):
    with open(path, "wb") as f:
        for i in range(n):
            pickle.dump({"i": i, "s": "x" * (i % 7)}, f, i % 6)
`);
});
afterAll(async () => {
  await py.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectEOF(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(PickleEOFError.isInstance(caught)).toBe(true);
  expect((caught as Error).message).toBe("Ran out of input");
}

describe("idiom 1: several dumps, then as many loads, then EOF", () => {
  test.each([0, 1, 2, 3, 4, 5])(
    "python writes three (protocol %i), we read three from one fd, then EOF",
    async (proto) => {
      const path = join(dir, `py-three-${proto}.pickle`);
      await py.call("write_three", path, proto);
      const fd = openSync(path, "r");
      try {
        expect(load(fd)).toEqual(VALUES[0]);
        expect(load(fd)).toEqual(VALUES[1]);
        expect(load(fd)).toEqual(VALUES[2]);
        expectEOF(() => load(fd));
        expectEOF(() => load(fd));
      } finally {
        closeSync(fd);
      }
    },
  );

  test.each([0, 2, 4])("a pipe (FIFO, protocol %i): exact reads, three loads, then EOF", async (proto) => {
    const fifo = join(dir, `fifo-${proto}`);
    execFileSync("mkfifo", [fifo]);
    // The writer runs in its own process; opening the FIFO for reading waits for it.
    const code = `import pickle\nVALUES = [{"a": [1, 2.5, "x"], "n": None, "big": 2**80}, [1, 2, 3], "three"]\nwith open(${JSON.stringify(fifo)}, "wb") as f:\n    for v in VALUES:\n        pickle.dump(v, f, ${proto})`;
    const writer = spawn(PYTHON, ["-c", code], { stdio: "ignore" });
    const fd = openSync(fifo, "r");
    try {
      expect(load(fd)).toEqual(VALUES[0]);
      expect(load(fd)).toEqual(VALUES[1]);
      expect(load(fd)).toEqual(VALUES[2]);
      expectEOF(() => load(fd));
    } finally {
      closeSync(fd);
      writer.kill();
    }
  });

  test("after each load the descriptor is at the start of the next pickle", async () => {
    const path = join(dir, "positions.pickle");
    await py.call("write_three", path, 2);
    const fd = openSync(path, "r");
    try {
      load(fd);
      const rest = new Uint8Array(1 << 16);
      const n = readSync(fd, rest, 0, rest.length, null);
      const [values, tail] = await py.eval<[unknown[], Uint8Array]>(
        "[pickle.loads(b), b[len(pickle.dumps(pickle.loads(b), 2)):]]",
        { b: rest.subarray(0, n) },
      );
      expect(values).toEqual(VALUES[1]);
      expect(tail.length).toBeGreaterThan(0);
    } finally {
      closeSync(fd);
    }
  });

  test.each([0, 2, 4, 5])(
    "we write three to one fd (protocol %i), python reads three, then EOF",
    async (protocol) => {
      const path = join(dir, `js-three-${protocol}.pickle`);
      const fd = openSync(path, "w");
      try {
        for (const v of VALUES) dump(v, fd, { protocol });
      } finally {
        closeSync(fd);
      }
      const [values, rest] = await py.call<[unknown[], Uint8Array]>("read_all", path);
      expect(values).toEqual(VALUES);
      expect(rest.length).toBe(0);
      // The bytes are dumps' (CPython's framing) back to back.
      expect(byteDiff(readFileSync(path), concat(VALUES.map((v) => dumps(v, { protocol }))))).toBe("same");
    },
  );

  test("iterLoadSync reads every pickle of a path, and of a descriptor", async () => {
    const path = join(dir, "many.pickle");
    await py.call("write_many", path, 3000);
    const fromPath = [...iterLoadSync(path)];
    expect(fromPath.length).toBe(3000);
    expect(fromPath[2999]).toEqual({ i: 2999, s: "x".repeat(2999 % 7) });
    const fd = openSync(path, "r");
    try {
      expect(load(fd)).toEqual({ i: 0, s: "" });
      const restOfFd = [...iterLoadSync(fd)];
      expect(restOfFd).toEqual(fromPath.slice(1));
      expect([...iterLoadSync(readFileSync(path))]).toEqual(fromPath);
    } finally {
      closeSync(fd);
    }
  });
});

describe("idiom 2: one dump of a tuple, one destructuring load", () => {
  test("python's tuple, destructured here", async () => {
    const path = join(dir, "py-tuple.pickle");
    await py.call("write_tuple", path);
    const [a, b, c] = load(path) as [number, string, number[]];
    expect([a, b, c]).toEqual([1, "two", [3]]);
  });

  test("our tuple (model: faithful PyTuple), read by python as a tuple", async () => {
    const path = join(dir, "js-tuple.pickle");
    const { PyTuple } = await import("@x/pyobject");
    dump(new PyTuple([1n, "two", [3.0]]), path, { model: "faithful" });
    expect(await py.eval("repr(read_one(p))", { p: path })).toBe("(1, 'two', [3.0])");
    const [a, b, c] = load(path) as unknown[];
    expect([a, b, c]).toEqual([1, "two", [3]]);
  });
});

describe("paths, Unpickler classes and errors", () => {
  test("load(path) reads the first pickle; dump(path) creates or truncates", async () => {
    const path = join(dir, "path.pickle");
    writeFileSync(path, new Uint8Array(100_000).fill(65));
    dump({ k: "v" }, path, { protocol: 2 });
    expect(await py.call("read_one", path)).toEqual({ k: "v" });
    expect(readFileSync(path).length).toBe(dumps({ k: "v" }, { protocol: 2 }).length);
    expect(load(path)).toEqual({ k: "v" });
    expect(load(new URL(`file://${path}`))).toEqual({ k: "v" });
    // A Buffer is pickle data, never a path.
    expect(load(readFileSync(path))).toEqual({ k: "v" });
  });

  test("one Unpickler keeps its memo across load() calls, as CPython's does", async () => {
    const path = join(dir, "one-pickler.pickle");
    await py.exec(`
def write_one_pickler(path, proto):
    shared = ["shared", {"k": 1}]
    with open(path, "wb") as f:
        p = pickle.Pickler(f, proto)
        p.dump(shared)
        second = f.tell()
        p.dump([shared, shared[1]])
    return second
`);
    for (const proto of [0, 1, 2, 3, 4, 5]) {
      const second = await py.call<number>("write_one_pickler", path, proto);
      const fd = openSync(path, "r");
      try {
        const u = new Unpickler(fdSource(fd));
        const first = u.load() as unknown[];
        const second = u.load() as unknown[];
        expect(second[0]).toBe(first);
        expect(second[1]).toBe(first[1]);
        expectEOF(() => u.load());
      } finally {
        closeSync(fd);
      }
      // pickle.load() makes a new Unpickler each time: the second pickle's GET then fails.
      expect(() => loads(readFileSync(path).subarray(second))).toThrow(/Memo value not found/);
    }
  });

  // Each pickle below is written by its own Pickler.
  test("an Unpickler subclass over fdSource: findClass overridden, pickle after pickle", async () => {
    const path = join(dir, "memo.pickle");
    await py.exec(`
import collections
def write_shared(path):
    shared = ["shared"]
    with open(path, "wb") as f:
        pickle.dump(shared, f, 2)
        pickle.dump([shared, collections.OrderedDict], f, 2)
`);
    await py.call("write_shared", path);
    class Renaming extends Unpickler {
      override findClass(module: string, name: string): unknown {
        return new PyGlobal(`renamed.${module}`, name);
      }
    }
    const fd = openSync(path, "r");
    try {
      const u = new Renaming(fdSource(fd));
      const first = u.load() as unknown[];
      const [again, cls] = u.load() as [unknown[], PyGlobal];
      expect(first).toEqual(["shared"]);
      expect(again).toEqual(first);
      expect(String(cls)).toBe("renamed.collections.OrderedDict");
      expectEOF(() => u.load());
    } finally {
      closeSync(fd);
    }
  });

  test("unpicklerClass: a subclass for load and iterLoadSync", async () => {
    const path = join(dir, "cls.pickle");
    await py.exec(`
def write_global(path):
    with open(path, "wb") as f:
        pickle.dump(pickle.Pickler, f)
        pickle.dump(pickle.Pickler, f)
`);
    await py.call("write_global", path);
    class Strict extends Unpickler {
      override findClass(module: string, name: string): unknown {
        throw new UnpicklingError(`forbidden: ${module}.${name}`);
      }
    }
    expect(() => load(path, { unpicklerClass: Strict })).toThrow("forbidden: _pickle.Pickler");
    expect(() => [...iterLoadSync(path, { unpicklerClass: Strict })]).toThrow("forbidden");
  });

  test("an empty file is EOF; a truncated one is UnpicklingError; a missing one is ENOENT", () => {
    const empty = join(dir, "empty.pickle");
    writeFileSync(empty, new Uint8Array(0));
    expectEOF(() => load(empty));
    const cut = join(dir, "cut.pickle");
    writeFileSync(cut, dumps("a fairly long string value", { protocol: 2 }).subarray(0, 10));
    expect(() => load(cut)).toThrow(/truncated/);
    expect(() => [...iterLoadSync(cut)]).toThrow(/truncated/);
    expect(() => load(join(dir, "missing.pickle"))).toThrow(/ENOENT/);
  });

  test("failed writes throw; an unpicklable value leaves the file as it was", () => {
    const path = join(dir, "keep.pickle");
    writeFileSync(path, "original");
    expect(() => dump({ f: () => 1 }, path)).toThrow(PicklingError);
    expect(readFileSync(path, "utf8")).toBe("original");
    const ro = openSync(path, "r");
    try {
      expect(() => dump([1, 2, 3], ro)).toThrow(/EBADF/);
    } finally {
      closeSync(ro);
    }
  });
});

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
