/**
 * `dumps`/`loads` share one encoder or decoder per set of flag options (model, ensureAscii,
 * sortKeys, allowNan, skipkeys, checkCircular; model, strict) across calls. Calls with the flag
 * sets interleaved at random must each give CPython's text or error for their own options, and
 * values the sharing cannot represent (other option values, `default`) still get their own.
 */
import { PyTypeError } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps, type JSONEncoderOptions, loads } from "../src/index.js";
import { jsOutcome, type Outcome, PY_HELPERS, pyKwargs, pySource } from "./encode-pysource.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_HELPERS);
});
afterAll(async () => {
  await py.close();
});

const flag = fc.constantFrom(undefined, true, false);
const flags = fc.record({
  ensureAscii: flag,
  sortKeys: flag,
  allowNan: flag,
  skipkeys: flag,
  checkCircular: flag,
});
const value = fc.constantFrom<unknown>(
  { b: 1.0, a: "é\u2028", c: [NaN, 0.5, -0, 2 ** 60] },
  new Map<unknown, unknown>([
    [new Uint8Array([1]), "bytes key"],
    [1.5, "float key"],
    ["z", Infinity],
    ["a", "\ud800"],
  ]),
  [1, "x", { y: null, x: [true, 1e-7] }],
);

test("interleaved flag sets: each dumps call gives CPython's text for its own options", async () => {
  const cases = fc.sample(fc.tuple(value, flags, fc.boolean()), { numRuns: 200, seed: 14 });
  const want = await py.call<Outcome[]>(
    "dumps_cases",
    cases.map(([v, o, faithful]) => [pySource(v, faithful), pyKwargs(o as Record<string, unknown>)]),
  );
  const got = cases.map(([v, o, faithful]) =>
    jsOutcome(() => dumps(v, { ...(o as JSONEncoderOptions), model: faithful ? "faithful" : "natural" })),
  );
  for (let i = 0; i < cases.length; i++) {
    const w = want[i] as Outcome;
    const g = got[i] as Outcome;
    if (w[0] === "ok") expect(g, `case ${i}`).toEqual(w);
    else expect([g[0], g[2]], `case ${i}`).toEqual([w[0], w[2]]);
  }
});

test("interleaved loads options: model and strict each take effect per call", () => {
  const text = '{"a": 1, "b": 1.0, "c": "x\ty"}';
  for (let i = 0; i < 3; i++) {
    expect(loads(text, { model: "natural", strict: false })).toEqual({ a: 1, b: 1, c: "x\ty" });
    expect(() => loads(text, { model: "natural" })).toThrow("Invalid control character at");
    const f = loads<{ get(k: string): unknown }>(text, { model: "faithful", strict: false });
    expect([f.get("a"), f.get("b")]).toEqual([1n, 1]);
    expect(() => loads(text, { strict: true, model: "faithful" })).toThrow("Invalid control character at");
  }
});

test("option values outside the shared sets still get their own encoder and its errors", () => {
  expect(() => dumps(1, { model: "bogus" as "natural" })).toThrow(PyTypeError);
  expect(dumps(new Set([1]), { model: "natural", default: (o) => [...(o as Set<number>)] })).toBe("[1]");
  expect(dumps({ a: 1 }, { model: "natural", indent: 1 })).toBe('{\n "a": 1\n}');
  expect(dumps({ a: 1 }, { model: "natural" })).toBe('{"a": 1}');
});
