/**
 * The report itself: plain JSON data, bounded in size whatever the pickle holds, the same
 * whether the input is bytes or a file-like source, offsets in the file's coordinates (also
 * inside a .npy file), and Python 2 names reported with what Python 3 resolves them to.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { GlobalPolicy, type PickleSource, scan } from "../src/index.js";
import { asm, EMPTY_TUPLE, global, REDUCE, STOP } from "./support/pickle-asm.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
});
afterAll(async () => {
  await py?.close();
});

/** A file-like source over bytes that hands out at most `chunk` bytes per read. */
function source(bytes: Uint8Array, chunk: number): PickleSource {
  let at = 0;
  return {
    read(n: number) {
      const out = bytes.slice(at, at + Math.min(n, chunk));
      at += out.length;
      return out;
    },
  };
}

test("a source read in small chunks gives the same report as the bytes", async () => {
  const data = await py.eval<Uint8Array>(
    "__import__('pickle').dumps([__import__('collections').OrderedDict(a=1), __import__('fractions').Fraction(1, 3), __import__('argparse').Namespace(x=[1, 2])], 2)",
  );
  const fromBytes = scan(data);
  expect(fromBytes.globals.length).toBeGreaterThan(2);
  for (const chunk of [1, 3, 64]) expect(scan(source(data, chunk))).toEqual(fromBytes);
});

test("the report is plain JSON data", async () => {
  const data = await py.eval<Uint8Array>(
    "__import__('pickle').dumps(__import__('argparse').Namespace(a=b'x'), 4)",
  );
  const r = scan(data);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
});

test("size is bounded: calls beyond maxCalls are graded and counted, not listed", () => {
  const calls = 50_000;
  const one = asm(global("argparse", "Namespace"), EMPTY_TUPLE, REDUCE, "0");
  const parts: Uint8Array[] = [];
  for (let i = 0; i < calls; i++) parts.push(one);
  const data = asm(...parts, global("os", "system"), EMPTY_TUPLE, REDUCE, STOP);
  const r = scan(data, { maxCalls: 100 });
  expect(r.calls).toHaveLength(100);
  expect(r.callsOmitted).toBe(calls + 1 - 100);
  expect(r.globals).toHaveLength(1001); // 1000 listed, then only the new name os.system
  expect(r.globalsOmitted).toBe(calls - 1000);
  // the last, omitted call still decides the verdict
  expect(r.verdict).toBe("dangerous");
  expect(JSON.stringify(r).length).toBeLessThan(400_000); // not the ~10 MB of 50000 listed globals
});

test("Python 2 names: reported as written, graded as Python 3 resolves them", () => {
  const r = scan(asm("\x80\x02", global("copy_reg", "_reconstructor"), EMPTY_TUPLE, REDUCE, STOP));
  expect(r.globals[0]).toMatchObject({
    module: "copy_reg",
    name: "_reconstructor",
    resolved: "copyreg._reconstructor",
    verdict: "safe",
  });
  // protocol 3+: no mapping (Python 3 would fail to import copy_reg)
  expect(scan(asm("\x80\x03", global("copy_reg", "_reconstructor"), STOP)).globals[0]?.verdict).toBe(
    "unknown",
  );
});

test(".npy files: raw arrays have no pickle; object arrays are scanned at file offsets", async () => {
  const [raw, objects] = await py.eval<[Uint8Array, Uint8Array]>(`(lambda io, np: [
      (lambda b: (np.save(b, np.arange(10)), b.getvalue())[1])(io.BytesIO()),
      (lambda b: (np.save(b, np.array([__import__('fractions').Fraction(1, 2), None], dtype=object), allow_pickle=True), b.getvalue())[1])(io.BytesIO()),
  ])(__import__('io'), __import__('numpy'))`);
  const r = scan(raw);
  expect(r).toMatchObject({ format: "npy", verdict: "safe", pickles: 0, error: null });
  const o = scan(objects);
  expect(o).toMatchObject({ format: "npy", pickles: 1, error: null });
  expect(["safe", "known"]).toContain(o.verdict);
  for (const g of o.globals) {
    // the offset points at the opcode in the file (after the .npy header)
    const op = objects[g.offset] as number;
    expect(
      g.opcode === "STACK_GLOBAL" ? op === 0x93 : op === 0x63,
      `${g.module}.${g.name} @${g.offset}`,
    ).toBe(true);
  }
  expect(o.globals.some((g) => g.module === "fractions" && g.name === "Fraction")).toBe(true);
});

test("offsets name the opcode that resolved each global, at every protocol", async () => {
  const data = await py.eval<Uint8Array[]>(
    "[__import__('pickle').dumps([__import__('fractions').Fraction(1, 2), __import__('argparse').Namespace()], p) for p in range(6)]",
  );
  for (const d of data) {
    const r = scan(d);
    expect(r.globals.length).toBeGreaterThan(0);
    for (const g of r.globals)
      expect(d[g.offset]).toBe(g.opcode === "STACK_GLOBAL" ? 0x93 : g.opcode === "INST" ? 0x69 : 0x63);
    for (const c of r.calls)
      expect(d[c.offset]).toBe(
        { REDUCE: 0x52, NEWOBJ: 0x81, NEWOBJ_EX: 0x92, BUILD: 0x62, INST: 0x69, OBJ: 0x6f }[c.opcode],
      );
  }
});

test("a policy: allow and known never override the dangerous list; malformed entries throw", () => {
  const p = new GlobalPolicy({ allow: ["mypkg:*", "os:system"], known: ["other.mod:Thing"] });
  expect(p.grade("mypkg.models", "Model").verdict).toBe("safe");
  expect(p.grade("other.mod", "Thing").verdict).toBe("known");
  expect(p.grade("os", "system").verdict).toBe("dangerous");
  expect(() => new GlobalPolicy({ allow: ["no-colon"] })).toThrow(TypeError);
});

test("empty and truncated input: an error, never safe", () => {
  const empty = scan(new Uint8Array(0));
  expect(empty.error?.message).toMatch(/Ran out of input/);
  expect(empty.verdict).not.toBe("safe");
  const cut = scan(asm("\x80\x04", "]"));
  expect(cut.error?.message).toMatch(/truncated|Ran out/);
  expect(cut.verdict).not.toBe("safe");
});
