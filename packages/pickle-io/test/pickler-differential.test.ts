/**
 * Differential suite: values made on both sides (fast-check in JS, a random generator in
 * python3), pickled here and by CPython's C pickler at every protocol; the bytes must be
 * identical, and python3 must load what we wrote to the same value, type for type.
 */

import {
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
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, describe as suite, test } from "vitest";
import { dumps, loads } from "../src/index.js";
import { build, type Desc, describe, PY_DESCRIBE } from "./pickler-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_DESCRIBE);
  await py.exec(PY_GEN);
});
afterAll(async () => {
  await py.close();
});

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Our bytes equal CPython's at every protocol, and CPython loads ours back to the same value. */
async function check(value: unknown, model: "natural" | "faithful"): Promise<void> {
  const [pyDesc, pickles] = await py.call<[Desc, Uint8Array[]]>("py_roundtrip", describe(value, model));
  // Rebuild from python's own description so set iteration order is CPython's.
  const v = build(pyDesc, model);
  for (let p = 0; p <= 5; p++) {
    const ours = dumps(v, { protocol: p, model });
    if (hexOf(ours) !== hexOf(pickles[p]!)) {
      const dis = await py
        .eval<string>("__import__('pickletools').dis(a, out=__import__('io').StringIO()) or '' ", { a: ours })
        .catch(() => "");
      expect
        .soft({ protocol: p, ours: hexOf(ours), dis })
        .toEqual({ protocol: p, ours: hexOf(pickles[p]!), dis });
    }
    expect(await py.call("py_check_load", pyDesc, ours)).toBeNull();
  }
}

suite("natural JS values", () => {
  const cases: [string, unknown][] = [
    ["scalars", [0, 1, -1, 255, 256, 65535, 65536, -65536, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1]],
    [
      "big ints",
      [
        2 ** 53 - 1,
        -(2 ** 53 - 1),
        2n ** 64n,
        -(2n ** 64n),
        2n ** 2100n,
        -(2n ** 2047n),
        127n,
        -128n,
        2n ** 63n - 1n,
      ],
    ],
    ["floats", [0.5, -0, Number.NaN, Infinity, -Infinity, 1e300, 5e-324, 1e16, 1e-5, 123.456, 2 ** 53 + 2]],
    [
      "strings",
      [
        "",
        "a",
        "é",
        "\u20ac",
        "\u{1f600}",
        "\ud800",
        "x\udc00y",
        "a\\b\n\r\0\x1a",
        "long".repeat(100),
        "ü".repeat(200),
      ],
    ],
    ["repeated strings share one memo entry", ["k", "k", { k: "k" }, ["k"]]],
    ["bytes", [new Uint8Array(0), new Uint8Array([0]), new Uint8Array([255]), new Uint8Array(300).fill(7)]],
    [
      "small bytes are CPython's cached objects",
      [new Uint8Array(0), new Uint8Array(0), new Uint8Array([65]), new Uint8Array([65])],
    ],
    ["None/bool", [null, undefined, true, false]],
    [
      "containers",
      {
        list: [1, [2, [3]]],
        empty: [],
        obj: {},
        map: new Map<unknown, unknown>([
          [1, "a"],
          ["b", 2],
          [2.5, null],
        ]),
        set: new Set([3]),
      },
    ],
    ["proto key", JSON.parse('{"__proto__": 1, "constructor": 2}')],
    ["batches", Array.from({ length: 2500 }, (_, i) => i)],
    ["one-item batch tail", Array.from({ length: 1001 }, (_, i) => i)],
    [
      "dict of exactly 1000 (empty tail batch)",
      Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])),
    ],
    ["dict of 2001", new Map(Array.from({ length: 2001 }, (_, i) => [i, -i]))],
    ["set of 1000", new Set(Array.from({ length: 1000 }, (_, i) => i))],
    ["set of 2500", new Set(Array.from({ length: 2500 }, (_, i) => `s${i}`))],
    ["one-item dict", { only: 1 }],
    [
      "containers across list batch boundaries",
      Array.from({ length: 3001 }, (_, i) => (i % 999 === 0 || i % 1000 === 999 ? [i] : i)),
    ],
    [
      "containers across dict batch boundaries",
      Object.fromEntries(
        Array.from({ length: 2000 }, (_, i) => [`k${i}`, i % 1000 === 999 || i % 1000 === 0 ? { v: i } : i]),
      ),
    ],
  ];
  for (const [name, value] of cases) test(name, () => check(value, "natural"));

  test("shared and recursive containers", async () => {
    const shared = [1, 2];
    const rec: unknown[] = [shared, shared];
    rec.push(rec);
    const obj: Record<string, unknown> = { a: shared };
    obj.self = obj;
    const m = new Map<unknown, unknown>();
    m.set("m", m);
    await check([rec, obj, m, shared], "natural");
  });

  test("large strings and bytes are written outside frames", async () => {
    await check(
      ["x".repeat(70000), new Uint8Array(70000).fill(1), 5, "é".repeat(40000), "y".repeat(30000)],
      "natural",
    );
    await check(
      Array.from({ length: 30000 }, (_, i) => `item-${i}`),
      "natural",
    );
    await check(["z".repeat(65536 - 9)], "natural");
  });
});

suite("faithful model", () => {
  test("model classes", async () => {
    const t = new PyTuple([1n, 2.0, "x"]);
    await check(
      [
        t,
        t,
        new PyTuple([]),
        new PyTuple([1n]),
        new PyTuple([1n, 2n, 3n, 4n]),
        new PyDict<unknown, unknown>([
          [new PyTuple([1n, 2n]), "tuple key"],
          [null, 1.5],
          [new Uint8Array([1, 2]), true],
        ]),
        new PySet([1n, 2n, "a"]),
        new PyFrozenSet([1n, "b"]),
        new PyFrozenSet([]),
        new PyByteArray(new Uint8Array([1, 2, 3])),
        new PyByteArray(),
        new PyComplex(1.5, -0),
        Ellipsis,
        NotImplemented,
        new PyGlobal("collections", "OrderedDict"),
        new PyGlobal("collections", "OrderedDict"),
        new PyGlobal("os.path", "join"),
        new PyGlobal("builtins", "range"),
        new PyGlobal("argparse", "_SubParsersAction._ChoicesPseudoAction"),
        new PyGlobal("argparse", "_SubParsersAction"),
        1.0,
        -0,
        2n ** 100n,
      ],
      "faithful",
    );
  });

  test("a tuple inside a list inside the tuple (recursive tuple memo dance)", async () => {
    for (const n of [1, 2, 3, 5]) {
      const inner: unknown[] = [];
      const t = new PyTuple<unknown>([inner, ...Array.from({ length: n - 1 }, (_, i) => BigInt(i))]);
      inner.push(t);
      await check([t, inner], "faithful");
      await check(inner, "faithful");
    }
  });

  test("PyDicts walked slot by slot: deleted keys, one item, batch edges, containers inside", async () => {
    const withHoles = new PyDict<unknown, unknown>();
    for (let i = 0; i < 40; i++) withHoles.set(`k${i}`, BigInt(i));
    for (let i = 0; i < 40; i += 3) withHoles.delete(`k${i}`);
    withHoles.set("k0", "back at the end");
    const sized = (n: number, every = 0) =>
      new PyDict<unknown, unknown>(
        Array.from({ length: n }, (_, i) => [BigInt(i), every && i % every === 0 ? [BigInt(i)] : `v${i}`]),
      );
    const tupleKeys = new PyDict<unknown, unknown>([
      [new PyTuple([1n, "a"]), [1n]],
      ["s", new PyTuple([2n])],
    ]);
    for (const v of [withHoles, new PyDict([["only", 1n]]), sized(1000), sized(2001, 999), tupleKeys])
      await check(v, "faithful");
  });

  test("runs of floats across frame ends, at every alignment, cut by other values", async () => {
    // 64 KiB holds 7281.8 BINFLOATs: a frame must close before the same float as CPython's.
    const floats = (n: number, every = 0) =>
      Array.from({ length: n }, (_, i) => (every && i % every === every - 1 ? null : i * 0.5 + 0.25));
    for (let pad = 0; pad < 9; pad++) {
      await check(new PyTuple(["x".repeat(pad), floats(7283)]), "faithful");
    }
    await check(floats(30000, 997), "faithful");
    await check([floats(7290), "s", floats(1), [floats(8000)], -0, Number.NaN, floats(14570)], "faithful");
  });

  test("a frozenset of many", () =>
    check(new PyFrozenSet(Array.from({ length: 1500 }, (_, i) => BigInt(i))), "faithful"));
});

// fast-check: JS values; python builds the same value from a description.
const key = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer(),
    fc.double(),
    fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
    fc.maxSafeInteger(),
    fc.string({ unit: "binary" }),
    fc.string({ unit: "grapheme", maxLength: 300 }),
    fc.constantFrom(null, undefined, true, false),
    fc.uint8Array({ maxLength: 300 }),
    fc.array(tie("tree"), { maxLength: 5 }),
    fc.dictionary(fc.string(), tie("tree"), { maxKeys: 5 }),
    fc.array(fc.tuple(key, tie("tree")), { maxLength: 4 }).map((e) => new Map(e)),
    fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 5 }).map((x) => new Set(x)),
  ),
}));

test("fast-check: natural values, every protocol", async () => {
  await fc.assert(
    fc.asyncProperty(tree, async (v) => {
      await check(v, "natural");
    }),
    { numRuns: 300 },
  );
});

// Ints past the int32 range take size-specific paths (safe integers, integral doubles past 2**53
// without a bigint, bigints under 2**512 a word at a time, larger ones through hex text).
const bigIntOfBits = fc
  .tuple(fc.integer({ min: 0, max: 700 }), fc.bigInt({ min: 0n, max: 2n ** 700n }), fc.boolean())
  .map(([bits, n, neg]) => {
    const v = n % (1n << BigInt(bits)) || 1n << BigInt(bits);
    return neg ? -v : v;
  });
const integralDouble = fc
  .tuple(fc.integer({ min: 2 ** 52, max: 2 ** 53 - 1 }), fc.integer({ min: 1, max: 971 }), fc.boolean())
  .map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);

test("fast-check: large ints, natural integral doubles and faithful bigints", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(integralDouble, { maxLength: 8 }), async (v) => {
      await check(v, "natural");
    }),
    { numRuns: 60 },
  );
  await fc.assert(
    fc.asyncProperty(fc.array(bigIntOfBits, { maxLength: 8 }), async (v) => {
      await check(v, "faithful");
    }),
    { numRuns: 100 },
  );
  const edges = [63n, 64n, 127n, 128n, 511n, 512n, 513n].flatMap((b) => {
    const p = 1n << b;
    return [p, p - 1n, p + 1n, -p, -p + 1n, -p - 1n];
  });
  await check(edges, "faithful");
  await check(
    [
      2 ** 53,
      -(2 ** 53),
      2 ** 60,
      -(2 ** 60),
      2 ** 63,
      -(2 ** 63),
      2 ** 64,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
    ],
    "natural",
  );
});

const PY_GEN = String.raw`
import random
def py_gen(seed, n):
    """Random values of every builtin type, with shared and recursive references."""
    rnd = random.Random(seed)
    pool = []
    def scalar():
        k = rnd.randrange(12)
        if k == 0: return rnd.randrange(-300, 300)
        if k == 1: return rnd.randrange(-2**70, 2**70)
        if k == 2: return rnd.choice([0.0, -0.0, 1.0, 1e300, float("inf"), float("nan"), rnd.random()])
        if k == 3: return "".join(chr(rnd.choice([97, 0xe9, 0x20ac, 0x1f600, 0xd800, 10])) for _ in range(rnd.randrange(6)))
        if k == 4: return bytes(rnd.randrange(256) for _ in range(rnd.randrange(4)))
        if k == 5: return rnd.choice([None, True, False, ..., NotImplemented])
        if k == 6: return complex(rnd.random(), -1.5)
        if k == 7: return bytearray(b"ab" * rnd.randrange(3))
        if k == 8: return rnd.choice([int, frozenset, __import__("collections").OrderedDict])
        if k == 9 and pool: return rnd.choice(pool)
        if k == 10: return rnd.randrange(2**31 - 5, 2**31 + 5) * rnd.choice([1, -1])
        return "k%d" % rnd.randrange(5)
    def hashable(d):
        if d <= 0 or rnd.random() < 0.6:
            v = scalar()
            while type(v) in (bytearray, list, dict, set): v = scalar()
            try: hash(v)
            except TypeError: v = 1
            return v
        return rnd.choice([tuple, frozenset])(hashable(d - 1) for _ in range(rnd.randrange(4)))
    def val(d):
        if d <= 0: return scalar()
        k = rnd.randrange(7)
        if k == 0:
            out = []; pool.append(out)
            out.extend(val(d - 1) for _ in range(rnd.randrange(5)))
            if rnd.random() < 0.1: out.append(out)
            return out
        if k == 1:
            return tuple(val(d - 1) for _ in range(rnd.randrange(6)))
        if k == 2:
            out = {}; pool.append(out)
            for _ in range(rnd.randrange(5)): out[hashable(d - 1)] = val(d - 1)
            if rnd.random() < 0.1: out["self"] = (out,)
            return out
        if k == 3: return set(hashable(d - 1) for _ in range(rnd.randrange(5)))
        if k == 4: return frozenset(hashable(d - 1) for _ in range(rnd.randrange(5)))
        return scalar()
    return [py_describe(val(3)) for _ in range(n)]
`;

test("python-generated values (faithful), every protocol", async () => {
  for (let seed = 0; seed < 20; seed++) {
    const descs = await py.call<Desc[]>("py_gen", seed, 25);
    for (const d of descs) {
      const [pyDesc, pickles] = await py.call<[Desc, Uint8Array[]]>("py_roundtrip", d);
      const v = build(pyDesc, "faithful");
      for (let p = 0; p <= 5; p++) {
        expect
          .soft(hexOf(dumps(v, { protocol: p, model: "faithful" })), `seed ${seed} protocol ${p}`)
          .toBe(hexOf(pickles[p]!));
        // Fidelity through the unpickler: dumps(loads(P, faithful), same protocol) === P.
        const loaded = loads(pickles[p]!, { model: "faithful" });
        expect
          .soft(hexOf(dumps(loaded, { protocol: p, model: "faithful" })), `loads, seed ${seed} protocol ${p}`)
          .toBe(hexOf(pickles[p]!));
      }
    }
  }
});
