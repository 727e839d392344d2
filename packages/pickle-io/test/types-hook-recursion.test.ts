import { PyError, pformat, pyEquals, pyRepr } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loads } from "../src/index.js";

/**
 * slice and SimpleNamespace hooks recurse through pyobject's guarded walkers: values holding
 * themselves print as CPython prints them, and deep nesting through the hooks does not
 * overflow the stack.
 */
let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle, pprint, types
def cases():
    l = []
    l.append(slice(None, l, None))
    n = types.SimpleNamespace()
    n.x = n
    m = types.SimpleNamespace(a=[1])
    m.a.append(m)
    t = [types.SimpleNamespace(s=slice(1, [2], None))]
    t.append(t)
    return {"slice_list": l, "ns_self": n, "ns_list": m, "mixed": t}
def dump(name, proto):
    return pickle.dumps(cases()[name], proto)
def reprs(name):
    v = cases()[name]
    return [repr(v), pprint.pformat(v)]
`);
});
afterAll(async () => {
  await py.close();
});

describe("slice and SimpleNamespace holding themselves", () => {
  for (const name of ["slice_list", "ns_self", "ns_list", "mixed"]) {
    test(`${name}: pyRepr and pformat give CPython's text; pyEquals terminates`, async () => {
      const [repr, pretty] = await py.call<[string, string]>("reprs", name);
      for (const proto of [2, 4, 5]) {
        const v = loads(await py.call<Uint8Array>("dump", name, proto));
        expect(pyRepr(v, { model: "natural" })).toBe(repr);
        // pprint's recursion marker shows an address; ours a per-call counter.
        const ids = (t: string) => t.replace(/ with id=\d+>/g, " with id=N>");
        expect(ids(pformat(v, { model: "natural" }))).toBe(ids(pretty));
        expect(pyEquals(v, v)).toBe(true);
        const w = loads(await py.call<Uint8Array>("dump", name, proto));
        expect(pyEquals(v, w)).toBe(true);
      }
    });
  }

  test("100,000 nested slices and namespaces: repr, pformat and equality without a stack overflow", async () => {
    // Built in Python iteratively and pickled at protocol 4 (CPython's own pickler recurses,
    // so the value is built by the test from loaded leaves instead).
    const leaf = loads(
      await py.eval<Uint8Array>("pickle.dumps([slice(1, None, None), types.SimpleNamespace(a=1)], 4)"),
    ) as unknown[];
    const SliceCls = (leaf[0] as object).constructor as new (a: unknown, b: unknown, c: unknown) => unknown;
    const NsCls = (leaf[1] as object).constructor as new (attrs: Record<string, unknown>) => unknown;
    const build = () => {
      let v: unknown = 0n;
      for (let i = 0; i < 100_000; i++) v = i % 2 ? new NsCls({ x: v }) : new SliceCls(null, v, null);
      return v;
    };
    const a = build();
    const text = pyRepr(a);
    expect(text.startsWith("namespace(x=slice(None, namespace(x=")).toBe(true);
    expect(pformat(a)).toBe(text);
    expect(pyEquals(a, build())).toBe(true);
  });

  test("a slice holding itself (only JS can build one) ends in RecursionError", async () => {
    const s = loads(await py.eval<Uint8Array>("pickle.dumps(slice(1, 2, 3), 4)")) as { stop: unknown };
    Object.defineProperty(s, "stop", { value: s });
    expect(() => pyRepr(s)).toThrow(PyError);
  });
});
