/**
 * Differential tests: CPython pickles values at every protocol, we load each pickle, and the
 * faithful result must describe exactly as CPython's own load of the same bytes (type for
 * type, shared objects shared); the natural view must be the documented mapping of it.
 */
import { readFileSync } from "node:fs";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, describe as group, test } from "vitest";
import { loads } from "../src/index.js";
import { ClassRegistry } from "../src/registry.js";
import { type Desc, describe, fromHex, naturalOf, normalize } from "./unpickle-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(readFileSync(new URL("./data/unpickle/mirror.py", import.meta.url), "utf8"));
});
afterAll(async () => {
  await py?.close();
});

type Case = [protocol: number, pickleHex: string, desc: Desc];

// The mirror unpickler keeps every non-builtin global inert; so do we with an empty registry
// (the default registry rebuilds datetime, Decimal, range... which the types tests cover).
const bare = new ClassRegistry();

async function checkSource(src: string): Promise<void> {
  const cases = await py.call<Case[]>("cases_for", src);
  for (const [protocol, h, desc] of cases) {
    const data = fromHex(h);
    const faithful = loads(data, { model: "faithful", registry: bare });
    expect(normalize(describe(faithful)), `${src} at protocol ${protocol}`).toEqual(normalize(desc));
    if (!JSON.stringify(desc).includes('"inst"')) {
      expect(loads(data, { registry: bare }), `${src} natural at protocol ${protocol}`).toEqual(
        naturalOf(desc),
      );
    }
  }
}

const HAND_PICKED = [
  "None",
  "True",
  "False",
  "0",
  "1",
  "-1",
  "255",
  "256",
  "65535",
  "65536",
  "2**31-1",
  "-2**31",
  "2**31",
  "2**53-1",
  "2**53",
  "-(2**53)",
  "2**63",
  "-(2**64)",
  "2**1000",
  "-(2**1000)+1",
  "123456789012345678901234567890",
  "0.0",
  "-0.0",
  "1.0",
  "1.5",
  "float('nan')",
  "float('inf')",
  "float('-inf')",
  "5e-324",
  "1.7976931348623157e308",
  "0.1",
  "1e16",
  "1e-5",
  "''",
  "'a'",
  "'h\\xe9llo w\\xf6rld'",
  "'\\u20ac\\U0001f600'",
  "'\\ud800'",
  "'\\udfff x \\ud83d'",
  "'\\\\u1234 not an escape'",
  "'back\\\\slash \\n newline \\r\\t \\x00'",
  "'x' * 300",
  "'\\u00ff' * 70000",
  "b''",
  "b'\\x00\\xff abc'",
  "b'x' * 300",
  "bytearray()",
  "bytearray(b'\\x00\\x80')",
  "()",
  "(1,)",
  "(1, 2)",
  "(1, 2, 3)",
  "(1, 2, 3, 4)",
  "((),((),))",
  "[]",
  "[1, [2, [3, []]]]",
  "list(range(2500))",
  "{}",
  "{'a': 1, 'b': [2]}",
  "{1: 'a', 2.5: 'b', None: 'c', (1, 2): 'd', b'k': 'e', frozenset([1]): 'f'}",
  "{'a': 1, 2: 'b', 'c': 3}",
  "{'__proto__': 1, 'constructor': 2, 'toString': 3}",
  "{str(i): i for i in range(2100)}",
  "{i: str(i) for i in range(2100)}",
  "set()",
  "{1, 2, 3}",
  "set(range(1500))",
  "frozenset()",
  "frozenset({'a', 'b'})",
  "{frozenset({1}), (1, 2), 'x'}",
  "1+2j",
  "complex(float('nan'), -0.0)",
  "...",
  "NotImplemented",
  "[..., NotImplemented]",
  "(lambda l: [l, l])([1])",
  "(lambda d: (d, d))({'k': 1})",
  "(lambda s: [s, s, (s,)])({1})",
  "(lambda b: [b, b])(bytearray(b'z'))",
  "(lambda t: [t, t])((1, [2]))",
  "(lambda l: (l.append(l), l)[1])([])",
  "(lambda d: (d.__setitem__('me', d), d)[1])({})",
  "(lambda d: (d.__setitem__(1, d), d)[1])({})",
  "(lambda l: (l.append((l,)), l)[1])([])",
  "(lambda d: (d.__setitem__('a', [d]), d.__setitem__(2, 'two'), d)[2])({})",
  "(lambda d: [d, {'x': d}, (d.__setitem__(3, 4), d)[1]])({'s': 1})",
  "[[1, 2]] * 3",
  "{'records': [{'id': i, 'name': 'n%d' % i, 'score': i / 3, 'ok': i % 2 == 0, 'tags': ['a', 'b'], 'x': None} for i in range(50)]}",
];

group("CPython's pickles of builtin values load type for type", () => {
  test.each(HAND_PICKED)("%s", async (src) => {
    await checkSource(src);
  });
});

// --- random values: fast-check builds Python source, CPython evaluates and pickles it ---
const utf16 = (s: string): string => {
  let h = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h += (c & 0xff).toString(16).padStart(2, "0") + (c >> 8).toString(16).padStart(2, "0");
  }
  return h;
};
const bhex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fh = (x: number): string => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, false);
  return bhex(new Uint8Array(dv.buffer));
};

const pyStr = fc
  .oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }),
  )
  .map((s) => `S('${utf16(s)}')`);
const pyInt = fc
  .oneof(
    fc.integer().map(BigInt),
    fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
    fc.constantFrom(0n, 255n, 256n, 65535n, 65536n, 2n ** 31n, -(2n ** 31n) - 1n),
  )
  .map((n) => `(${n})`);
const pyFloat = fc.double().map((x) => `F('${fh(x)}')`);
const pyBytes = fc.uint8Array({ maxLength: 40 }).map((b) => `B('${bhex(b)}')`);
const pyAtom = fc.oneof(
  pyStr,
  pyInt,
  pyFloat,
  pyBytes,
  fc.constantFrom("None", "True", "False", "...", "NotImplemented"),
  fc.tuple(pyFloat, pyFloat).map(([a, b]) => `complex(${a}, ${b})`),
);
const pyHashable: fc.Arbitrary<string> = fc.letrec<{ h: string }>((tie) => ({
  h: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    pyAtom,
    fc.array(tie("h"), { maxLength: 3 }).map((xs) => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`),
    fc.array(tie("h"), { maxLength: 3 }).map((xs) => `frozenset([${xs.join(", ")}])`),
  ),
})).h;
const pyValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    pyAtom,
    fc.uint8Array({ maxLength: 20 }).map((b) => `BA('${bhex(b)}')`),
    fc.array(tie("v"), { maxLength: 5 }).map((xs) => `[${xs.join(", ")}]`),
    fc.array(tie("v"), { maxLength: 5 }).map((xs) => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`),
    fc
      .array(fc.tuple(pyHashable, tie("v")), { maxLength: 5 })
      .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
    fc
      .array(fc.tuple(pyStr, tie("v")), { maxLength: 5 })
      .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
    fc.array(pyHashable, { maxLength: 5 }).map((xs) => `set([${xs.join(", ")}])`),
    fc.array(pyHashable, { maxLength: 5 }).map((xs) => `frozenset([${xs.join(", ")}])`),
  ),
})).v;

test("random values from fast-check load as CPython loads them, at every protocol", async () => {
  await fc.assert(
    fc.asyncProperty(pyValue, async (src) => {
      await checkSource(src);
    }),
    { numRuns: 150 },
  );
});

// LONG1/LONG4 take a different path by byte length (<= 6, 7-8, 9-14, longer): every length,
// with minimal and sign-padded encodings of both signs, as CPython's C unpickler reads them.
test("LONG1 and LONG4 ints of every byte length load as CPython loads them", async () => {
  const cases = await py.eval<[string, Desc][]>(`(lambda random: [
    (d.hex(), describe(mirror_loads(d)))
    for n in range(0, 21)
    for b in ([bytes(random.getrandbits(8) for _ in range(n)) for _ in range(6)]
              + [b'\\xff' * n, b'\\x00' * n, (5).to_bytes(n, 'little') if n else b'',
                 (-5).to_bytes(n, 'little', signed=True) if n else b'',
                 bytes(n - 1) + b'\\x80' if n else b'', b'\\xff' * (n - 1) + b'\\x7f' if n else b''])
    for d in (b'\\x80\\x02\\x8a' + bytes([n]) + b + b'.',
              b'\\x80\\x02\\x8b' + n.to_bytes(4, 'little') + b + b'.')
  ])(__import__('random').Random(12))`);
  expect(cases.length).toBe(21 * 12 * 2);
  for (const [h, desc] of cases) {
    const data = fromHex(h);
    expect(normalize(describe(loads(data, { model: "faithful" }))), h).toEqual(normalize(desc));
    expect(loads(data), h).toEqual(naturalOf(desc));
  }
});

// The first APPEND/APPENDS into an EMPTY_LIST's list may build an exact-size array in its
// place; a list another reference can reach (GET, DUP, a second PUT) must be filled in place.
test.each([
  ["a GET before APPENDS (the list holds itself)", "80025d7100284b016800652e", "self"],
  ["DUP before APPENDS", "80025d32284b014b0265862e", "pair"],
  ["DUP before APPEND", "80025d324b0161862e", "pair"],
  ["two PUTs before APPENDS", "80025d71007101284b014b0265306800680186 2e", "pair"],
  ["two PUTs before APPEND", "80025d710071014b0161306800680186 2e", "pair"],
  ["a GET after APPENDS", "80025d7100284b014b02656800862e", "pair"],
  ["an empty APPENDS", "80025d710028656800862e", "pair"],
  ["a GET after APPENDS at a LONG_BINPUT id", "80025d7200000100284b01656a00000100862e", "pair"],
])("lists load as CPython's: %s", async (_, spaced, shape) => {
  const h = spaced.replace(/ /g, "");
  const desc = await py.eval<Desc>(`describe(mirror_loads(bytes.fromhex('${h}')))`);
  const data = fromHex(h);
  expect(normalize(describe(loads(data, { model: "faithful" })))).toEqual(normalize(desc));
  const natural = loads(data) as unknown[];
  expect(natural).toEqual(naturalOf(desc));
  // identity, which toEqual does not see
  if (shape === "pair") expect(natural[0]).toBe(natural[1]);
  else expect(natural[1]).toBe(natural);
});

// A fresh dict filled by one SETITEMS whose str keys are the previous fresh dict's, in order,
// is built as a clone of a template and put in the dict's place; a dict another reference can
// reach (GET, DUP, a second PUT) must be filled in place, and the clone must act as the dict.
const D0 = "8004 7d7100 28 8c0161 4b01 8c0162 4b02 75"; // {'a': 1, 'b': 2} at memo 0
const PROTO_KEY = "8c095f5f70726f746f5f5f"; // '__proto__'
/** Two fresh dicts with the same `n` one-letter keys (a, b, ...), then a GET of the second. */
const twoDicts = (n: number): string => {
  const batch = (v: number) =>
    Array.from(
      { length: n },
      (_, i) => `8c01${(0x61 + i).toString(16)} 4b${(v + i).toString(16).padStart(2, "0")}`,
    ).join(" ");
  return `8004 7d7100 28 ${batch(0)} 75 7d7101 28 ${batch(100)} 75 6801 87 2e`;
};
test.each([
  ["a GET after the same-shape SETITEMS", `${D0} 7d7101 28 8c0161 4b03 8c0162 4b04 75 6801 87 2e`, [1, 2]],
  [
    "a GET before SETITEMS (the dict holds itself)",
    `${D0} 7d7101 28 8c0161 6801 8c0162 4b04 75 86 2e`,
    [1, 1, "a"],
  ],
  ["DUP before SETITEMS", `${D0} 7d7101 32 28 8c0161 4b03 8c0162 4b04 75 87 2e`, [1, 2]],
  ["two PUTs before SETITEMS", `${D0} 7d7101 7102 28 8c0161 4b03 8c0162 4b04 75 30 6801 6802 87 2e`, [1, 2]],
  [
    "a non-str key after the same-shape SETITEMS",
    `${D0} 7d7101 28 8c0161 4b03 8c0162 4b04 75 28 4b05 4b06 75 6801 87 2e`,
    [1, 2],
  ],
  [
    "a GET, then a non-str key, after the same-shape SETITEMS",
    `${D0} 7d7101 28 8c0161 4b03 8c0162 4b04 75 6801 30 28 4b05 4b06 75 6801 87 2e`,
    [1, 2],
  ],
  [
    "a later SETITEMS on the cloned dict, then a third dict",
    `${D0} 7d7101 28 8c0161 4b03 8c0162 4b04 75 6801 28 8c0163 4b05 75 30 7d7102 28 8c0161 4b06 8c0162 4b07 75 87 2e`,
    null,
  ],
  [
    "repeated keys",
    "8004 7d7100 28 8c0161 4b01 8c0161 4b02 75 7d7101 28 8c0161 4b03 8c0161 4b04 75 86 2e",
    null,
  ],
  ["the same keys in another order", `${D0} 7d7101 28 8c0162 4b03 8c0161 4b04 75 86 2e`, null],
  [
    "a '__proto__' key",
    `8004 7d7100 28 ${PROTO_KEY} 4b01 8c0162 4b02 75 7d7101 28 ${PROTO_KEY} 4b03 8c0162 4b04 75 86 2e`,
    null,
  ],
  ["16 keys (the largest shape built from a template)", twoDicts(16), [1, 2]],
  ["17 keys", twoDicts(17), [1, 2]],
  ["SETITEM after SETITEMS", `${D0} 7d7101 28 8c0161 4b03 8c0162 4b04 75 8c0163 4b05 73 6801 87 2e`, [1, 2]],
])("dicts load as CPython's: %s", async (_, spaced, same) => {
  const h = spaced.replace(/ /g, "");
  const desc = await py.eval<Desc>(`describe(mirror_loads(bytes.fromhex('${h}')))`);
  const data = fromHex(h);
  expect(normalize(describe(loads(data, { model: "faithful" })))).toEqual(normalize(desc));
  const natural = loads(data) as Record<string, unknown>[];
  const expected = naturalOf(desc) as unknown[];
  expect(natural).toEqual(expected);
  // key order and prototype, which toEqual does not see
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e instanceof Map)
      expect([...(natural[i] as unknown as Map<unknown, unknown>).keys()]).toEqual([...e.keys()]);
    else if (!Array.isArray(e)) {
      expect(Object.keys(natural[i] as object)).toEqual(Object.keys(e as object));
      expect(Object.getPrototypeOf(natural[i])).toBe(Object.prototype);
    }
  }
  // identity, which toEqual does not see
  if (same !== null) {
    const [i, j, key] = same as [number, number, string?];
    if (key === undefined) expect(natural[i]).toBe(natural[j]);
    else expect((natural[i] as Record<string, unknown>)[key]).toBe(natural[j]);
  }
});

// MARK appends a run of more than 32 plain numbers (BININT*, LONG1, BINFLOAT, None, bools)
// ending with APPENDS straight from the bytes: mixed runs, runs cut by a str or a memo GET,
// and short runs (the ordinary path), in both models and at every protocol.
test.each([
  "(lambda r: [r.choice([r.randrange(-2**31, 2**31), r.randrange(256), r.randrange(65536), r.randrange(-2**100, 2**100), r.randrange(-2**63, 2**63), r.random() * 1e6, -0.0, float('nan'), None, True, False, 2**63]) for _ in range(3000)])(__import__('random').Random(5))",
  "(lambda r: [r.choice([r.random(), r.randrange(-2**40, 2**40), 'x' * r.randrange(3), None]) for _ in range(2100)])(__import__('random').Random(6))",
  "(lambda s: [s if i % 40 == 39 else i * 1.5 for i in range(1200)])('shared')",
  "[[float(i)] * 33 for i in range(40)]",
  "[list(range(i)) for i in (31, 32, 33, 34, 1000, 1001)]",
  "(lambda l: [l, l])([2**70 + i for i in range(40)])",
])("lists of plain numbers load as CPython's: %s", async (src) => {
  await checkSource(src);
});

// Short ASCII strings go through a direct-mapped cache (up to 32 bytes) keyed by a 31-based
// hash: distinct str objects made of the blocks "Aa" and "BB" (equal hashes) repeat, collide
// and evict each other there; the other lengths straddle the cache's limit.
test("repeated and colliding short ASCII strings load as CPython's", async () => {
  const [h, expected] = await py.eval<[string, string[]]>(`(lambda r: (lambda xs: [
    __import__('pickle').dumps(xs, 4).hex(), xs])(
    [''.join(r.choice(['Aa', 'BB']) for _ in range(r.randrange(0, 18))) for _ in range(10000)]
    + [''.join(r.choice('ab') for _ in range(r.randrange(0, 41))) for _ in range(10000)]))(
    __import__('random').Random(7))`);
  for (let round = 0; round < 2; round++) expect(loads(fromHex(h))).toEqual(expected);
});

// --- CPython's own test vectors (test.pickletester), Python 2 pickles included ---
test.each([
  "DATA0",
  "DATA1",
  "DATA2",
  "DATA3",
  "DATA4",
  "DATA_SET",
  "DATA_XRANGE",
  "DATA_COOKIE",
  "DATA_SET2",
  "DATA_UEERR",
])("pickletester.%s loads as CPython loads it", async (name) => {
  const [h, desc] = await py.eval<[string, Desc]>(
    `(lambda d: [d.hex(), describe(mirror_loads(d))])(__import__('test.pickletester', fromlist=['x']).${name})`,
  );
  expect(normalize(describe(loads(fromHex(h), { model: "faithful", registry: bare })))).toEqual(
    normalize(desc),
  );
});

test("class instances (REDUCE, NEWOBJ, NEWOBJ_EX, BUILD, APPENDS, SETITEMS) load as inert data at every protocol", async () => {
  await py.exec(`
import sys, types
oracle_classes = types.ModuleType('oracle_classes')
sys.modules['oracle_classes'] = oracle_classes
exec('''
import collections, datetime, decimal, fractions, enum, types
class Point:
    def __init__(self, x, y): self.x, self.y = x, y
class Slotted:
    __slots__ = ('a', 'b')
    def __init__(self): self.a = 1; self.b = [2]
class KwNew:
    def __new__(cls, *, k): o = object.__new__(cls); o.k = k; return o
    def __getnewargs_ex__(self): return ((), {'k': self.k})
class MyList(list): pass
class MyDict(dict): pass
class Color(enum.Enum):
    RED = 1
INSTANCE_SRC = [
  "Point(1, 'two')",
  "[Point(1, 2), Point(3, [4])]",
  "(lambda p: [p, p])(Point(0, 0))",
  "Slotted()",
  "KwNew(k=5)",
  "MyList([1, 2, 3])",
  "MyDict(a=1, b=2)",
  "collections.OrderedDict([('a', 1), ('b', 2)])",
  "collections.defaultdict(list, {'x': [1]})",
  "collections.Counter('hello')",
  "datetime.datetime(2020, 1, 2, 3, 4, 5, 6)",
  "datetime.date(1999, 12, 31)",
  "decimal.Decimal('1.10')",
  "fractions.Fraction(1, 3)",
  "Color.RED",
  "range(1, 10, 2)",
  "slice(1, 2, 3)",
  "type(None)",
  "int",
  "Point",
]
''', oracle_classes.__dict__)
from oracle_classes import *
`);
  const sources = await py.eval<string[]>("INSTANCE_SRC");
  for (const src of sources) await checkSource(src);
});
