/**
 * The decoder's fast paths against CPython: memo PUTs of scalars, lists filled batch after
 * batch (gathered and copied once while nothing else can reach the list), big LONG1 ints,
 * fresh dicts of many keys. Each source is pickled by CPython at protocols 0-5 and loaded
 * whole, fed one byte at a time, and cut at every offset (the error type must be CPython's),
 * in both models; the shared objects must stay shared.
 */
import { readFileSync } from "node:fs";
import { PickleError } from "@x/pickle-core";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { load, loads } from "../src/index.js";
import { ClassRegistry } from "../src/registry.js";
import { type Desc, describe, fromHex, naturalOf, normalize } from "./unpickle-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(readFileSync(new URL("./data/unpickle/mirror.py", import.meta.url), "utf8"));
  await py.exec(`
def cut_types(h):
    d = bytes.fromhex(h)
    out = []
    for n in range(len(d)):
        try:
            pickle.loads(d[:n])
            out.append(None)
        except BaseException as e:
            out.append(type(e).__name__)
    return out
`);
});
afterAll(async () => {
  await py?.close();
});

type Case = [protocol: number, pickleHex: string, desc: Desc];
const bare = new ClassRegistry();

/** Loads `data` from a source that returns at most `step` bytes per read. */
function loadBy(data: Uint8Array, step: number, model: "natural" | "faithful"): unknown {
  let at = 0;
  const source = {
    read(n: number): Uint8Array {
      const k = Math.min(n, step, data.length - at);
      const chunk = data.slice(at, at + k);
      at += k;
      return chunk;
    },
  };
  return load(source, { model, registry: bare });
}

function errorType(data: Uint8Array, model: "natural" | "faithful"): string | null {
  try {
    loads(data, { model, registry: bare });
    return null;
  } catch (e) {
    if (!PickleError.isInstance(e)) throw e;
    return e.pyType;
  }
}

/** Every check of one pickle: whole, fed 1 and 7 bytes at a time, and cut at every offset. */
async function checkPickle(h: string, desc: Desc, at: string, cuts: boolean): Promise<void> {
  const data = fromHex(h);
  const want = normalize(desc);
  // the natural view of inert instances is not naturalOf's (see unpickler-differential)
  const natural = JSON.stringify(desc).includes('"inst"') ? undefined : naturalOf(desc);
  expect(normalize(describe(loads(data, { model: "faithful", registry: bare }))), at).toEqual(want);
  expect(normalize(describe(loadBy(data, 1, "faithful"))), `${at}, byte-wise`).toEqual(want);
  if (natural !== undefined) {
    expect(loads(data, { registry: bare }), `${at}, natural`).toEqual(natural);
    expect(loadBy(data, 1, "natural"), `${at}, natural byte-wise`).toEqual(natural);
    expect(loadBy(data, 7, "natural"), `${at}, natural by 7`).toEqual(natural);
  }
  if (cuts) {
    // one comparison per model: an expect per cut costs more than the loads
    const theirs = await py.call<(string | null)[]>("cut_types", h);
    for (const model of ["natural", "faithful"] as const) {
      const mine = Array.from({ length: data.length }, (_, n) => errorType(data.subarray(0, n), model));
      expect(mine, `${at}, ${model}, error types of the cuts at 0..${data.length - 1}`).toEqual(theirs);
    }
  }
}

/** {@link checkPickle} for CPython's pickles of a Python expression at protocols 0-5. */
async function check(src: string, cuts = true): Promise<[number, Uint8Array][]> {
  const cases = await py.call<Case[]>("cases_for", src);
  expect(cases.length).toBeGreaterThan(0);
  const out: [number, Uint8Array][] = [];
  for (const [protocol, h, desc] of cases) {
    // cut at every offset where the opcodes differ (protocols 0, 3 and 5 write those of 1, 2 and 4)
    await checkPickle(
      h,
      desc,
      `${src} at protocol ${protocol}`,
      cuts && protocol % 3 !== 0 && protocol !== 5,
    );
    out.push([protocol, fromHex(h)]);
  }
  return out;
}

/** {@link checkPickle} for hand-written opcodes (hex, spaces allowed), described by CPython. */
async function checkHex(spaced: string): Promise<void> {
  const h = spaced.replace(/ /g, "");
  const desc = await py.eval<Desc>(`describe(mirror_loads(bytes.fromhex('${h}')))`);
  await checkPickle(h, desc, spaced.slice(0, 60), true);
}

test("memo PUTs of str, numbers, None and bools, and GETs of them, load as CPython's", async () => {
  await check("(lambda s, f, b: [s, f, b, None, s, f, b, (s, f), [s, b], {s: f}])('memo', 2.5, 10**20)");
  await check("[str(i % 7) * 3 for i in range(300)] + [(i, str(i)) for i in range(50)]");
});

/** 8c SHORT_BINUNICODE of each of `strs`, as hex. */
function strOps(strs: string[]): string {
  return strs
    .map((s) => `8c${s.length.toString(16).padStart(2, "0")}${Buffer.from(s).toString("hex")}`)
    .join("");
}
function intOps(n: number): string {
  return Array.from({ length: n }, (_, i) => `4b${(i & 255).toString(16).padStart(2, "0")}`).join("");
}

test.each([
  ["20 ints", intOps(20)],
  ["40 ints", intOps(40)],
  [
    "two batches of 40 str",
    `${strOps(Array.from({ length: 40 }, (_, i) => `s${i}`))}6528${strOps(["a", "b"])}`,
  ],
  ["two batches of 40 ints and str", `${intOps(39)}${strOps(["x"])}6528${intOps(40)}`],
])("a list fetched by GET before its memo id is reused is filled in place (%s)", async (_, items) => {
  // EMPTY_LIST L, BINPUT 0, EMPTY_LIST M, BINGET 0, APPEND (M = [L]), BINPUT 1, POP;
  // SHORT_BINSTRING 'ab', BINPUT 0 (id 0 reused), POP; MARK items APPENDS into L;
  // BINGET 1, TUPLE2, STOP: M[0] must be the filled L.
  const h = `80025d71005d68006171013055026162710030 28${items}65 680186 2e`.replace(/ /g, "");
  const desc = await py.eval<Desc>(`describe(mirror_loads(bytes.fromhex('${h}')))`);
  const data = fromHex(h);
  expect(normalize(describe(loads(data, { model: "faithful" })))).toEqual(normalize(desc));
  for (const step of [1, 3, data.length]) {
    const [l, m] = loadBy(data, step, "natural") as [unknown[], unknown[]];
    expect(m[0], `by ${step}`).toBe(l);
    expect([l, m]).toEqual(naturalOf(desc));
  }
});

// Lists filled by several APPENDS batches are gathered and copied once while nothing else can
// reach them: GETs inside the batches, self-references, lists shared afterwards, nested lists
// and hook calls between batches.
test.each([
  "[str(i % 50) for i in range(1100)]",
  "(lambda d: [d if i % 3 else {'k': i} for i in range(1100)])({'shared': 1})",
  "(lambda l: (l.extend(str(i) for i in range(990)), l.append(l), l.extend(str(i) for i in range(50)), l)[3])([])",
  "(lambda l: [l, l[:5], l])([str(i) for i in range(1050)])",
  "[[str(j) for j in range(1001)] for i in range(2)]",
  "(([str(i) for i in range(1100)],), 'x')",
  "[complex(i, 1) if i % 2 else str(i) for i in range(1040)]",
  "list(map(str, range(1033)))",
  "[str(i) for i in range(1010)] + list(range(40)) + ['end']",
])("lists of several batches load as CPython's: %s", async (src) => {
  await check(src);
});

test("a shared list of several batches stays one list", async () => {
  for (const [protocol, data] of await check(
    "(lambda l: [l, (l,), {'l': l}])([str(i) for i in range(1500)])",
    false,
  )) {
    const [a, [b], { l: c }] = loads(data) as [unknown[], unknown[], { l: unknown[] }];
    expect(b, `p${protocol}`).toBe(a);
    expect(c, `p${protocol}`).toBe(a);
    expect(a.length).toBe(1500);
  }
});

/** SHORT_BINUNICODE 's0'... 's<n-1>' as hex. */
const strs = (n: number): string => strOps(Array.from({ length: n }, (_, i) => `s${i}`));
test.each([
  ["next batch", `8004 5d 28${strs(40)}65 28${strs(2)}65 2e`],
  ["MARK, POP_MARK after a batch", `8004 5d 28${strs(40)}65 28 31 2e`],
  ["MARK, POP after a batch", `8004 5d 28${strs(40)}65 28 30 2e`],
  ["MARK, TUPLE, APPEND after a batch", `8004 5d 28${strs(40)}65 28${strs(2)}74 61 2e`],
  ["a GET of the list inside its next batch", `8004 5d 7100 28${strs(40)}65 28 6800 ${strs(1)}65 2e`],
  ["a GET of the list after its batches", `8004 5d 7100 28${strs(40)}65 28${strs(35)}65 6800 86 2e`],
  ["a DUP before the batches", `8004 5d 32 28${strs(40)}65 28${strs(2)}65 86 2e`],
  ["STOP with the next batch's MARK open", `8004 5d 28${strs(40)}65 28${strs(1)}2e`],
  ["a BUILD after the batches", `8004 5d 28${strs(40)}65 28${strs(40)}65 4e 62 2e`],
  [
    "FRAME then MARK after a batch",
    `8004 5d 28${strs(40)}65 95 ${frameLen(`28${strs(2)}65 2e`)} 28${strs(2)}65 2e`,
  ],
  [
    "FRAME then APPEND after a batch",
    `8004 5d 28${strs(40)}65 95 ${frameLen(`${strs(1)}61 2e`)} ${strs(1)}61 2e`,
  ],
  ["numbers after a batch of str", `8004 5d 28${strs(40)}65 28${intOps(40)}65 28${strs(3)}65 2e`],
])("hand-written batches load as CPython's: %s", async (_, h) => {
  await checkHex(h);
});

/** A FRAME's 8-byte length of the hex opcodes that follow it (spaces allowed). */
function frameLen(rest: string): string {
  const n = rest.replace(/ /g, "").length / 2;
  return `${n.toString(16).padStart(2, "0")}00000000000000`;
}

// Non-ASCII str of up to 64 bytes are decoded into a scratch array and made from an array of
// their exact length: every length, in rising and falling order, must give CPython's text.
test("non-ASCII str of every length up to 64 bytes load as CPython's", async () => {
  const src = String.raw`(lambda v: v + v[::-1])([('\u00e9' * (i // 2) + 'a' * (i % 2) + ('\U0001d518' if i % 5 == 0 else '') + '\u0436' * (i % 3)) for i in range(34)])`;
  await check(src);
});
