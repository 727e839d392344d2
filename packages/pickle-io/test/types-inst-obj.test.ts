/**
 * Python 2 INST/OBJ records of a class whose `__init__` takes arguments: CPython loads those
 * without arguments as `cls.__new__(cls)`, so they must dump back in that form (CPython's own
 * round trip, byte for byte), and those with arguments as the call with its arguments.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ClassRegistry, defaultRegistry, dumps, loads } from "../src/index.js";

let py: PythonOracle;

beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle, sys, types
m = types.ModuleType("p2mod")
exec("""
class C:
    def __init__(self, x, y=0):
        self.x, self.y = x, y
    def __eq__(self, o):
        return type(o) is C and vars(self) == vars(o)
""", m.__dict__)
sys.modules["p2mod"] = m
def roundtrip(data, proto):
    return pickle.dumps(pickle.loads(data), proto)
def same(a, b):
    x, y = pickle.loads(a), pickle.loads(b)
    return x == y
`);
});
afterAll(async () => {
  await py.close();
});

const enc = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

/** Python 2 pickles (as Python 2's pickle wrote them for old-style classes). */
const NO_ARGS = [
  "(ip2mod\nC\np0\n(dp1\nS'x'\np2\nI1\nsS'y'\np3\nI2\nsb.",
  "(cp2mod\nC\nq\x00o}q\x01(U\x01xK\x01U\x01yK\x02ub.",
  "\x80\x02(cp2mod\nC\nq\x00o}q\x01(U\x01xK\x01U\x01yK\x02ub.",
  "(lp0\n(ip2mod\nC\np1\n(dp2\nS'x'\nI1\nsS'y'\nI2\nsbag1\na.",
];
const WITH_ARGS = ["(I5\nS'a'\nip2mod\nC\np0\n(dp1\nS'x'\nI5\nsS'y'\nS'a'\nsb.", "(cp2mod\nC\nK\x05o."];

test("INST/OBJ without arguments dump back as CPython's own round trip does", async () => {
  for (const s of NO_ARGS) {
    const data = enc(s);
    for (const proto of [0, 1, 2, 3, 4, 5]) {
      const want = await py.call<Uint8Array>("roundtrip", data, proto);
      for (const model of ["natural", "faithful"] as const) {
        for (const registry of [defaultRegistry, new ClassRegistry()]) {
          const got = dumps(loads(data, { model, registry }), { protocol: proto });
          expect(Buffer.from(got).toString("latin1"), `${JSON.stringify(s)} p${proto} ${model}`).toBe(
            Buffer.from(want).toString("latin1"),
          );
        }
      }
    }
  }
});

test("INST/OBJ with arguments dump back as the call, which CPython loads to the same object", async () => {
  for (const s of WITH_ARGS) {
    const data = enc(s);
    for (const proto of [0, 2, 4]) {
      const got = dumps(loads(data, { model: "faithful" }), { protocol: proto });
      expect(await py.call("same", got, data), `${JSON.stringify(s)} p${proto}`).toBe(true);
    }
  }
});
