import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  Ellipsis,
  isPyDict,
  isPyFrozenSet,
  isPySet,
  isPyTuple,
  PY_EQ,
  PY_HASH,
  PyByteArray,
  PyComplex,
  PyDict,
  PyFrozenSet,
  PyGlobal,
  PyInstance,
  PySet,
  PyTuple,
  PyTypeError,
  PyValueError,
  pyRepr,
  toFaithful,
  toNatural,
} from "../src/index.js";
import { pyValue } from "./support/arbitraries.js";

describe("toNatural", () => {
  test("the mapping table", () => {
    const g = new PyGlobal("m", "f");
    const c = new PyComplex(1, 2);
    const v = new PyDict<unknown, unknown>([
      ["small", 2n ** 53n - 1n],
      ["big", 2n ** 53n],
      ["neg", -(2n ** 53n)],
      ["float", 1.0],
      ["bool", true],
      ["none", null],
      ["bytes", new Uint8Array([1])],
      ["bytearray", new PyByteArray(new Uint8Array([2]))],
      ["tuple", new PyTuple([1n, "a"])],
      ["set", new PySet([1n])],
      ["frozenset", new PyFrozenSet(["x"])],
      ["intKeys", new PyDict([[1n, "one"]])],
      ["tupleKeys", new PyDict([[new PyTuple([1n, 2n]), "pair"]])],
      ["others", [c, Ellipsis, g]],
    ]);
    const n = toNatural(v) as Record<string, unknown>;
    expect(Object.getPrototypeOf(n)).toBe(Object.prototype);
    expect(n.small).toBe(9007199254740991);
    expect(n.big).toBe(9007199254740992n);
    expect(n.neg).toBe(-9007199254740992n);
    expect(n.float).toBe(1);
    expect(n.bool).toBe(true);
    expect(n.none).toBe(null);
    expect(n.bytes).toEqual(new Uint8Array([1]));
    expect(n.bytearray).toEqual(new Uint8Array([2]));
    expect(n.tuple).toEqual([1, "a"]);
    expect(n.set).toEqual(new Set([1]));
    expect(n.frozenset).toEqual(new Set(["x"]));
    expect(n.intKeys).toEqual(new Map([[1, "one"]]));
    expect([...(n.tupleKeys as Map<unknown, unknown>)]).toEqual([[[1, 2], "pair"]]);
    expect((n.others as unknown[])[0]).toBe(c);
    expect((n.others as unknown[])[1]).toBe(Ellipsis);
    expect((n.others as unknown[])[2]).toBe(g);
    expect(toNatural(new PyDict([["a", 1n]]), { dicts: "map" })).toEqual(new Map([["a", 1]]));
  });

  test('a "__proto__" key is an own property and no prototype changes', () => {
    const n = toNatural(new PyDict([["__proto__", new PyDict([["polluted", true]])]])) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(n)).toBe(Object.prototype);
    expect(Object.keys(n)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(n, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((n as { polluted?: unknown }).polluted).toBeUndefined();
  });

  test("deleted entries are skipped", () => {
    const d = new PyDict<unknown, unknown>([
      [1n, "a"],
      ["b", 2n],
    ]);
    d.delete(1n);
    expect(toNatural(d)).toEqual({ b: 2 });
  });

  test("shared references and cycles are kept", () => {
    const shared = [1n];
    const l: unknown[] = [shared, shared];
    l.push(l);
    const d = new PyDict<unknown, unknown>([["self", null]]);
    d.set("self", d);
    const n = toNatural(l) as unknown[];
    expect(n[0]).toBe(n[1]);
    expect(n[2]).toBe(n);
    const nd = toNatural(d) as Record<string, unknown>;
    expect(nd.self).toBe(nd);
  });

  test("several NaN keys refuse to merge; a JS value with no Python type names its path", () => {
    expect(() => toNatural(new PySet([NaN, NaN]))).toThrow(PyValueError);
    expect(toNatural(new PySet([NaN]))).toEqual(new Set([NaN]));
    const bad = new PyDict([["items", [0n, 1n, 2n, { owner: () => 1 }]]]);
    expect(() => toNatural(bad)).toThrow(PyTypeError);
    expect(() => toNatural(bad)).toThrow("a function has no Python equivalent (at value.items[3].owner)");
    expect(() => toNatural([new Date(0)])).toThrow("a Date has no Python equivalent (at value[0])");
    expect(() => toNatural(() => 1)).toThrow("(at value)");
    expect(() => toNatural(new PyDict([[1n, [Symbol("s")]]]))).toThrow("(at value[1n][0])");
  });

  test("100,000 levels", () => {
    let v: unknown = 1n;
    for (let i = 0; i < 100_000; i++) v = i % 2 ? new PyTuple([v]) : new PyDict([["k", v]]);
    let n = toNatural(v);
    let depth = 0;
    while (typeof n === "object" && n !== null) {
      n = Array.isArray(n) ? n[0] : (n as Record<string, unknown>).k;
      depth++;
    }
    expect(depth).toBe(100_000);
    expect(n).toBe(1);
  });
});

describe("toFaithful", () => {
  test("the mapping table", () => {
    const f = toFaithful({
      int: 1,
      negZero: -0,
      half: 0.5,
      nan: NaN,
      big: 2n ** 70n,
      bool: false,
      none: null,
      undef: undefined,
      bytes: new Uint8Array([1]),
      list: [1, "a"],
      map: new Map<unknown, unknown>([
        [1, "one"],
        [[1, 2], "pair"],
        [new Set([1]), "fs"],
      ]),
      set: new Set([[1, 2]]),
      model: new PyTuple([[1]]),
    }) as PyDict<string, unknown>;
    expect(isPyDict(f)).toBe(true);
    expect(f.get("int")).toBe(1n);
    expect(Object.is(f.get("negZero"), -0)).toBe(true);
    expect(f.get("half")).toBe(0.5);
    expect(f.get("big")).toBe(2n ** 70n);
    expect(f.get("none")).toBe(null);
    expect(f.get("undef")).toBe(null);
    expect(f.get("list")).toEqual([1n, "a"]);
    const m = f.get("map") as PyDict;
    expect(m.get(1n)).toBe("one");
    expect(m.get(new PyTuple([1n, 2n]))).toBe("pair");
    expect(m.get(new PyFrozenSet([1n]))).toBe("fs");
    const s = f.get("set") as PySet;
    expect(isPySet(s) && isPyTuple([...s][0])).toBe(true);
    const t = f.get("model") as PyTuple;
    expect(t.items[0]).toEqual([1n]);
    expect(pyRepr(f)).toContain("'map': {1: 'one', (1, 2): 'pair', frozenset({1}): 'fs'}");
    expect(toFaithful([1, 2.5], { numbers: "float" })).toEqual([1, 2.5]);
  });

  test("errors name the path", () => {
    expect(() => toFaithful({ items: [0, 1, 2, { owner: Symbol("x") }] })).toThrow(
      "a symbol has no Python equivalent (at value.items[3].owner)",
    );
    expect(() => toFaithful(new Map([[new Map(), 1]]))).toThrow(PyTypeError);
    expect(() => toFaithful(new Map([[new Map(), 1]]))).toThrow("unhashable type: 'dict'");
    expect(() => toFaithful({ "a b": [new Int32Array(1)] })).toThrow('(at value["a b"][0])');
    expect(() => toFaithful({ [Symbol("k")]: 1 })).toThrow(PyTypeError);
    expect(() => toFaithful(new (class Foo {})())).toThrow("a Foo has no Python equivalent");
    const selfKey: unknown[] = [];
    selfKey.push(selfKey);
    expect(() => toFaithful(new Set([selfKey]))).toThrow(PyValueError);
  });

  test("shared references, cycles, __proto__ and hooked objects", () => {
    const shared = { a: 1 };
    const root: Record<string, unknown> = { x: shared, y: shared };
    root.self = root;
    Object.defineProperty(root, "__proto__", { value: 5, enumerable: true });
    const f = toFaithful(root) as PyDict<string, unknown>;
    expect(f.get("x")).toBe(f.get("y"));
    expect(f.get("self")).toBe(f);
    expect(f.get("__proto__")).toBe(5n);
    const hooked = { [PY_EQ]: () => undefined, [PY_HASH]: () => 7n };
    expect((toFaithful([hooked]) as unknown[])[0]).toBe(hooked);
  });

  test("100,000 levels, as values and as keys", () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = i % 2 ? [v] : { k: v };
    let f = toFaithful(v);
    let depth = 0;
    while (typeof f === "object" && f !== null) {
      f = Array.isArray(f) ? f[0] : (f as PyDict).get("k");
      depth++;
    }
    expect(depth).toBe(100_000);
    let key: unknown = 1;
    for (let i = 0; i < 100_000; i++) key = [key];
    const d = toFaithful(new Map([[key, "deep"]])) as PyDict;
    expect(d.size).toBe(1);
    expect(isPyTuple([...d.keys()][0])).toBe(true);
  });
});

describe("round trips", () => {
  test("faithful -> natural -> faithful -> natural is stable (random values)", () => {
    const samples = fc.sample(pyValue, { numRuns: 3000, seed: 31 });
    let converted = 0;
    for (const v of samples) {
      let natural: unknown;
      try {
        natural = toNatural(v);
      } catch (e) {
        expect(PyValueError.isInstance(e)).toBe(true); // several NaN keys
        continue;
      }
      const once = toFaithful(natural);
      const twice = toFaithful(toNatural(once));
      expect(pyRepr(twice)).toBe(pyRepr(once));
      converted++;
    }
    expect(converted).toBeGreaterThan(2900);
  });

  test("natural -> faithful -> natural is the identity on natural values", () => {
    const natural = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.integer(),
        fc.double({ noNaN: true }).filter((x) => !Number.isInteger(x)),
        fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.uint8Array({ maxLength: 4 }),
        fc.array(tie("v"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("v"), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(natural, (v) => {
        expect(toNatural(toFaithful(v))).toEqual(v);
      }),
      { numRuns: 1000, seed: 32 },
    );
  });

  test("pyRepr of a natural value with model natural is the repr of its faithful form", () => {
    const natural = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.integer(),
        fc.double(),
        fc.bigInt(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.uint8Array({ maxLength: 4 }),
        fc.array(tie("v"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("v"), { maxKeys: 4 }),
        fc.array(fc.tuple(fc.integer(), tie("v")), { maxLength: 3 }).map((e) => new Map(e)),
      ),
    })).v;
    fc.assert(
      fc.property(natural, (v) => {
        expect(pyRepr(v, { model: "natural" })).toBe(pyRepr(toFaithful(v)));
      }),
      { numRuns: 1000, seed: 33 },
    );
  });

  test("frozensets and instances", () => {
    const inst = new PyInstance(new PyGlobal("m", "C"), [1n]);
    expect(toNatural(inst)).toBe(inst);
    expect(isPyFrozenSet(toFaithful(new PyFrozenSet([1n])))).toBe(true);
  });
});
