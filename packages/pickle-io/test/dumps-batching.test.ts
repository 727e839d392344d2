/**
 * CPython writes list and dict items in batches of 1000 (MARK ... APPENDS/SETITEMS, an empty
 * batch after a full one, a lone item with APPEND/SETITEM). The pickler saves scalar items
 * inline and suspends a batch at the first container: both paths, at every size around the
 * batch boundaries, must give CPython's bytes.
 */

import { PyDict } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle
def py_value(n, kind):
    if kind == "scalars":
        return {"k%d" % i: i for i in range(n)}
    if kind == "containers":
        return {"k%d" % i: [i] for i in range(n)}
    if kind == "mixed":
        return {("k%d" % i if i % 3 else i): ([i] if i % 7 == 0 else None if i % 5 == 0 else i + 0.5) for i in range(n)}
def py_dumps(n, kind, protocol):
    return pickle.dumps(py_value(n, kind), protocol)
`);
});
afterAll(async () => {
  await py.close();
});

function entries(n: number, kind: string): [unknown, unknown][] {
  const out: [unknown, unknown][] = [];
  for (let i = 0; i < n; i++) {
    if (kind === "scalars") out.push([`k${i}`, i]);
    else if (kind === "containers") out.push([`k${i}`, [i]]);
    else out.push([i % 3 ? `k${i}` : i, i % 7 === 0 ? [i] : i % 5 === 0 ? null : i + 0.5]);
  }
  return out;
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("Map, PyDict and plain-object dicts around the 1000-item batch size: CPython's bytes", async () => {
  for (const n of [0, 1, 2, 999, 1000, 1001, 1999, 2000, 2001]) {
    for (const kind of ["scalars", "containers", "mixed"]) {
      const e = entries(n, kind);
      const values: unknown[] = [new Map(e), new PyDict(e)];
      if (kind !== "mixed") values.push(Object.fromEntries(e));
      for (let p = 0; p <= 5; p++) {
        const theirs = hexOf(await py.call<Uint8Array>("py_dumps", n, kind, p));
        for (const v of values) {
          expect(hexOf(dumps(v, { protocol: p })), `${n} ${kind} protocol ${p}`).toBe(theirs);
        }
      }
    }
  }
});
