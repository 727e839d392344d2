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

/**
 * Every check for one Python expression: whole, byte-wise, and (when `cuts`) cut at every
 * offset, at every protocol, both models. Returns the pickles for further checks.
 */
async function check(src: string, cuts = true): Promise<[number, Uint8Array][]> {
  const cases = await py.call<Case[]>("cases_for", src);
  expect(cases.length).toBeGreaterThan(0);
  const out: [number, Uint8Array][] = [];
  for (const [protocol, h, desc] of cases) {
    const data = fromHex(h);
    const at = `${src} at protocol ${protocol}`;
    const want = normalize(desc);
    const natural = naturalOf(desc);
    expect(normalize(describe(loads(data, { model: "faithful", registry: bare }))), at).toEqual(want);
    expect(loads(data, { registry: bare }), `${at}, natural`).toEqual(natural);
    expect(normalize(describe(loadBy(data, 1, "faithful"))), `${at}, byte-wise`).toEqual(want);
    expect(loadBy(data, 1, "natural"), `${at}, natural byte-wise`).toEqual(natural);
    expect(loadBy(data, 7, "natural"), `${at}, natural by 7`).toEqual(natural);
    if (cuts) {
      const theirs = await py.call<(string | null)[]>("cut_types", h);
      for (let n = 0; n < data.length; n++) {
        const cut = data.subarray(0, n);
        expect(errorType(cut, "natural"), `${at}, cut at ${n}`).toBe(theirs[n]);
        expect(errorType(cut, "faithful"), `${at}, faithful cut at ${n}`).toBe(theirs[n]);
      }
    }
    out.push([protocol, data]);
  }
  return out;
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
