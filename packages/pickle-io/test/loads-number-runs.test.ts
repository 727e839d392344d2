/**
 * Lists of plain numbers (BININT*, LONG1, BINFLOAT, None, bools) are read batch after batch
 * straight from the bytes, counted first and built as one array of the final size, FRAMEs
 * between and inside the batches skipped: these pickles are large enough for several batches
 * and frames, with the runs cut by other values, shared or self-referencing lists, cut input
 * and input fed a few bytes at a time, against CPython's own load of the same bytes.
 */
import { readFileSync } from "node:fs";
import { PickleError } from "@x/pickle-core";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { load, loads } from "../src/index.js";
import { type Desc, describe, fromHex, normalize } from "./unpickle-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(readFileSync(new URL("./data/unpickle/mirror.py", import.meta.url), "utf8"));
});
afterAll(async () => {
  await py?.close();
});

type Case = [protocol: number, pickleHex: string, desc: Desc];

/** CPython's description of its own load, and its plain-JSON view for the natural model. */
async function cases(src: string): Promise<[number, Uint8Array, Desc, unknown][]> {
  const cs = await py.call<Case[]>("cases_for", src);
  const views = await py.eval<unknown[]>(
    `[json_view(__import__('pickle').loads(bytes.fromhex(h))) for _, h, _ in cases_for(${JSON.stringify(src)})]`,
  );
  return cs.map(([p, h, d], i) => [p, fromHex(h), d, views[i]]);
}

beforeAll(async () => {
  // Floats as [hex of the big-endian double] (NaN, -0.0 and inf survive JSON), integral ones as
  // the natural model's numbers; big ints as text.
  await py.exec(`
import struct
def json_view(v, seen=None):
    seen = {} if seen is None else seen
    if isinstance(v, list):
        if id(v) in seen: return ['self', seen[id(v)]]
        seen[id(v)] = len(seen)
        return [json_view(x, seen) for x in v]
    if isinstance(v, float):
        # the natural model's numbers: an integral float is the same number as the int
        if v.is_integer() and abs(v) <= 2**53 - 1 and struct.pack('>d', v) != struct.pack('>d', -0.0):
            return int(v)
        return ['f', struct.pack('>d', v).hex()]
    if isinstance(v, bool) or v is None: return v
    if isinstance(v, int): return v if abs(v) <= 2**53 - 1 else ['i', str(v)]
    return ['s', v]
`);
});

/** Our natural value in json_view's shape. */
function view(v: unknown, seen = new Map<unknown, number>()): unknown {
  if (Array.isArray(v)) {
    const id = seen.get(v);
    if (id !== undefined) return ["self", id];
    seen.set(v, seen.size);
    return v.map((x) => view(x, seen));
  }
  if (typeof v === "number") {
    if (Number.isInteger(v) && !Object.is(v, -0)) return v;
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, v, false);
    return ["f", Array.from(new Uint8Array(dv.buffer), (b) => b.toString(16).padStart(2, "0")).join("")];
  }
  if (typeof v === "bigint") return ["i", String(v)];
  if (typeof v === "string") return ["s", v];
  return v;
}

const SOURCES = [
  // several batches of 1,000 and, at protocols 4-5, FRAMEs inside them
  "[i * 0.5 - 7000.25 for i in range(20000)]",
  "(lambda r: [r.choice([r.randrange(256), r.randrange(65536), r.randrange(-2**31, 2**31), r.randrange(-2**63, 2**63), r.randrange(-2**100, 2**100), r.random(), -0.0, float('nan'), float('inf'), None, True, False]) for _ in range(25000)])(__import__('random').Random(9))",
  // a run cut by a str, then more runs (the list is no longer empty when the next run starts)
  "[i if i != 2500 else 'x' for i in range(7000)]",
  "['first'] + list(range(-3000, 3000))",
  // a batch of exactly 33 and 32 numbers after full batches
  "list(range(1033))",
  "list(range(1032))",
  "[list(range(1500)), [1.5] * 2001, []]",
  // runs that start with a float (made as an array of doubles) and then hold other values
  "[0.5, None, 2**70, True, 1, -0.0] * 3000",
  "[1.5] + [None] * 40",
  "[2.5] + list(range(5000))",
];

test.each(SOURCES)("lists of numbers load as CPython's at every protocol: %s", async (src) => {
  for (const [protocol, data, desc, expected] of await cases(src)) {
    expect(normalize(describe(loads(data, { model: "faithful" }))), `p${protocol}`).toEqual(normalize(desc));
    expect(view(loads(data)), `natural p${protocol}`).toEqual(expected);
  }
});

test("a shared list of numbers stays one list, at every protocol", async () => {
  for (const [protocol, data] of await cases("(lambda l: [l, l, (l,)])(list(range(5000)))")) {
    const [a, b, t] = loads(data) as [unknown[], unknown[], unknown[]];
    expect(a, `p${protocol}`).toBe(b);
    expect(t[0], `p${protocol}`).toBe(a);
    expect(a.length).toBe(5000);
  }
});

test("a list that holds itself between runs of numbers loads as CPython's", async () => {
  const src = "(lambda l: (l.extend(range(3000)), l.append(l), l.extend(range(3000)), l)[3])([])";
  for (const [protocol, data, desc, expected] of await cases(src)) {
    expect(normalize(describe(loads(data, { model: "faithful" }))), `p${protocol}`).toEqual(normalize(desc));
    const l = loads(data) as unknown[];
    expect(l[3000], `p${protocol}`).toBe(l);
    expect(view(l)).toEqual(expected);
  }
});

test("cut anywhere in a run of batches, loading fails as CPython's does", async () => {
  await py.exec(`
def cut_errors(h, cuts):
    d = bytes.fromhex(h)
    out = []
    for n in cuts:
        try:
            __import__('pickle').loads(d[:n])
            out.append(None)
        except Exception as e:
            out.append([type(e).__name__, str(e)])
    return out
`);
  for (const protocol of [2, 4, 5]) {
    const h = await py.eval<string>(
      `__import__('pickle').dumps([i * 1.25 for i in range(9000)], ${protocol}).hex()`,
    );
    const data = fromHex(h);
    // around each MARK, APPENDS and FRAME (every offset would take minutes)
    const cuts = new Set<number>();
    for (let i = 0; i < data.length; i++) {
      const op = data[i];
      if (op === 0x28 || op === 0x65 || op === 0x95) for (let d = -10; d <= 10; d++) cuts.add(i + d);
    }
    const points = [...cuts].filter((n) => n >= 0 && n < data.length).sort((x, y) => x - y);
    const theirs = await py.call<([string, string] | null)[]>("cut_errors", h, points);
    points.forEach((n, i) => {
      let mine: [string, string] | null = null;
      try {
        loads(data.subarray(0, n));
      } catch (e) {
        if (!PickleError.isInstance(e)) throw e;
        mine = [e.pyType ?? "", e.message];
      }
      const t = theirs[i] ?? null;
      expect(mine?.[0], `p${protocol} cut at ${n}`).toBe(t?.[0]);
      expect(mine?.[1].startsWith(t?.[1] ?? ""), `p${protocol} cut at ${n}: ${mine?.[1]} vs ${t?.[1]}`).toBe(
        true,
      );
    });
  }
});

test("fed a few bytes at a time, a run of batches loads as from whole bytes", async () => {
  for (const [protocol, data, , expected] of await cases(
    "[(i * 7919) % 70000 - 35000 if i % 3 else i / 7 for i in range(6000)]",
  )) {
    for (const step of [1, 5, 997, 4096]) {
      let at = 0;
      const source = {
        read(n: number): Uint8Array {
          const k = Math.min(n, step, data.length - at);
          const chunk = data.slice(at, at + k);
          at += k;
          return chunk;
        },
      };
      expect(view(load(source)), `p${protocol} by ${step}`).toEqual(expected);
    }
  }
});

// A list another object holds before its numbers arrive (here the inert call __main__.F(l)
// keeps it in its arguments) must be filled in place, not replaced by a new array.
test("a list held elsewhere before its run of numbers is filled in place", async () => {
  const ints = Array.from({ length: 40 }, (_, i) => `4b${i.toString(16).padStart(2, "0")}`).join("");
  const h = `80025d7100635f5f6d61696e5f5f0a460a68008552710130 28${ints}65 30 6801 2e`.replace(/ /g, "");
  const desc = await py.eval<Desc>(`describe(mirror_loads(bytes.fromhex('${h}')))`);
  const data = fromHex(h);
  expect(normalize(describe(loads(data, { model: "faithful" })))).toEqual(normalize(desc));
  const inst = loads(data) as { args: unknown[][] };
  expect(inst.args[0]).toEqual(Array.from({ length: 40 }, (_, i) => i));
});
