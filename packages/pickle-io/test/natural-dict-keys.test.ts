/**
 * The natural view's dicts hold what CPython's dict holds: keys that Python merges (1, 1.0,
 * True; 2**60 and float(2**60)) merge, keys a JS Map would merge or change (NaN twice, -0.0)
 * or hash badly (big ints sharing their low 64 bits) make a PyDict, never a silent loss; and
 * a dict that changes form after it was referenced keeps its identity everywhere.
 */
import { isPyDict, type PyDict } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loads } from "../src/index.js";
import { fromHex } from "./unpickle-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle, math, struct
def items_of(h):
    d = pickle.loads(bytes.fromhex(h))
    return [[repr(k), v] for k, v in d.items()]
def setitems(pairs, proto=2):
    # a dict pickle with these (key pickle hex, value int) pairs in one SETITEMS batch
    body = b''.join(bytes.fromhex(k) + b'K' + bytes([v]) for k, v in pairs)
    return (b'\\x80\\x02}(' + body + b'u.').hex()
`);
});
afterAll(async () => {
  await py?.close();
});

/** The pickle bytes of a key (no PROTO, no STOP), written by CPython. */
async function keyHex(expr: string): Promise<string> {
  return py.eval<string>(`pickle.dumps(${expr}, 2)[2:-1].hex()`);
}

function ourItems(v: unknown): [string, unknown][] {
  const entries: [unknown, unknown][] =
    v instanceof Map ? [...v] : isPyDict(v) ? [...(v as PyDict)] : Object.entries(v as object);
  return entries.map(([k, x]) => [jsKeyRepr(k), x]);
}

/** A key as Python's repr would show the key CPython kept (natural numbers lose int/float). */
function jsKeyRepr(k: unknown): string {
  if (typeof k === "number") {
    if (Number.isNaN(k)) return "nan";
    if (Object.is(k, -0)) return "-0.0";
    return Number.isInteger(k) && !Number.isSafeInteger(k) ? String(BigInt(k)) : String(k);
  }
  if (typeof k === "boolean") return k ? "True" : "False";
  if (typeof k === "bigint") return String(k);
  if (typeof k === "string") return `'${k}'`;
  return String(k);
}

function pyKeyNormalized(r: string): string {
  // Python's float repr of an integral value ("1.0", "1.152921504606847e+18") as the natural number
  if (r === "nan" || r === "-0.0" || r === "True" || r === "False" || r.startsWith("'")) return r;
  const n = Number(r);
  return Number.isInteger(n) && !r.includes(".") && !r.includes("e")
    ? r
    : String(Number.isSafeInteger(n) ? n : BigInt(n));
}

const CASES: [string, string[]][] = [
  ["two NaN keys", ["float('nan')", "float('nan')"]],
  ["NaN after str keys", ["'a'", "float('nan')", "'b'", "float('nan')"]],
  ["1, True, 1.0", ["1", "True", "1.0"]],
  ["True then 1", ["True", "1"]],
  ["False then 0.0 then -0.0", ["False", "0.0", "-0.0"]],
  ["0 then -0.0", ["0", "-0.0"]],
  ["-0.0 alone", ["-0.0"]],
  ["-0.0 then 0", ["-0.0", "0"]],
  ["2**60 then float(2**60)", ["2**60", "float(2**60)"]],
  ["float(2**60) then 2**60", ["float(2**60)", "2**60"]],
  ["2**70 then float(2**70)", ["2**70", "float(2**70)"]],
  ["2**53+1 and its float", ["2**53+1", "float(2**53+1)"]],
  ["ints and str", ["1", "'1'", "2"]],
];

test("natural dict keys merge exactly where CPython's do, else the dict is a PyDict", async () => {
  for (const [label, keys] of CASES) {
    const pairs: [string, number][] = [];
    for (let i = 0; i < keys.length; i++) pairs.push([await keyHex(keys[i] as string), i + 1]);
    const h = await py.call<string>("setitems", pairs);
    const theirs = (await py.call<[string, number][]>("items_of", h)).map(
      ([k, v]) => [pyKeyNormalized(k), v] as [string, number],
    );
    const v = loads(fromHex(h));
    expect(ourItems(v), label).toEqual(theirs);
    // a PyDict only where a Map could not hold it
    const needsPyDict = theirs.filter(([k]) => k === "nan").length > 1 || theirs.some(([k]) => k === "-0.0");
    expect(isPyDict(v), label).toBe(needsPyDict);
  }
});

test("int keys sharing their low 64 bits make a PyDict with every key", async () => {
  const h = await py.eval<string>(
    "pickle.dumps({(i << 64) | 5: i for i in range(1, 200)} | {7: 'x', 'k': 'y'}, 2).hex()",
  );
  const v = loads(fromHex(h));
  expect(isPyDict(v)).toBe(true);
  const d = v as PyDict;
  expect(d.size).toBe(201);
  for (let i = 1; i < 200; i++) expect(d.get((BigInt(i) << 64n) | 5n)).toBe(i);
  expect(d.get(7)).toBe("x");
  // a few such keys stay a Map
  const few = loads(
    fromHex(await py.eval<string>("pickle.dumps({(i << 64) | 5: i for i in range(1, 10)}, 2).hex()")),
  );
  expect(few).toBeInstanceOf(Map);
  expect((few as Map<unknown, unknown>).size).toBe(9);
});

test("a dict that changes form after GET keeps its identity in every container", async () => {
  await py.exec(`
def shared_cases():
    out = []
    d = {}; d['self'] = [d, (d,)]; d[1] = 'int key'
    out.append(d)
    e = {}; e['self'] = [e]; e[float('nan')] = 1; e[float('nan')] = 2
    out.append(e)
    f = {str(i): i for i in range(1500)}; f['loop'] = [f]; f[2**80] = 'big'
    out.append([f, f])
    return [pickle.dumps(x, p).hex() for x in out for p in (0, 2, 4)]
`);
  const hexes = await py.call<string[]>("shared_cases");
  for (let i = 0; i < hexes.length; i++) {
    const v = loads(fromHex(hexes[i] as string));
    const c = Math.floor(i / 3);
    if (c === 0) {
      const d = v as Map<unknown, unknown>;
      expect(d).toBeInstanceOf(Map);
      const self = d.get("self") as unknown[];
      expect(self[0]).toBe(d);
      expect((self[1] as unknown[])[0]).toBe(d);
      expect(d.get(1)).toBe("int key");
    } else if (c === 1) {
      const d = v as PyDict;
      expect(isPyDict(d)).toBe(true);
      expect(d.size).toBe(3);
      expect((d.get("self") as unknown[])[0]).toBe(d);
    } else {
      const [a, b] = v as [Map<unknown, unknown>, unknown];
      expect(a).toBeInstanceOf(Map);
      expect(b).toBe(a);
      expect((a.get("loop") as unknown[])[0]).toBe(a);
      expect(a.get(2n ** 80n)).toBe("big");
      expect(a.get("1499")).toBe(1499);
    }
  }
});

test("dicts promoted after DUP or a second PUT are redirected in the memo and containers", () => {
  // [d, d] where d = {} is DUPed and PUT twice before its int key arrives:
  // PROTO 2, EMPTY_LIST, MARK, EMPTY_DICT, BINPUT 0, BINPUT 1, DUP, K 1, K 2, SETITEM,
  // APPENDS, BINGET 1, BINGET 0, TUPLE2, APPEND, STOP
  const p = fromHex("80025d287d71007101324b014b027365680168008661" + "2e");
  const v = loads(p) as unknown[];
  const d = v[0] as Map<unknown, unknown>;
  expect(d).toBeInstanceOf(Map);
  expect(v[1]).toBe(d);
  expect(d.get(1)).toBe(2);
  const pair = v[2] as unknown[];
  expect(pair[0]).toBe(d);
  expect(pair[1]).toBe(d);
});
