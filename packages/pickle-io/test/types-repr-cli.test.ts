/**
 * Python's repr and pprint layout for the collections types, and the `pickle` command on files
 * holding them and numpy values: the same text as `python3 -m pickle` (numpy 2's oracle).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pformat, pyRepr } from "@x/pyobject";
import { PYTHON, type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { main } from "../src/cli/pickle.js";
import { loads } from "../src/index.js";

let py: PythonOracle;
let dir: string;

const EXPRS = [
  "OrderedDict()",
  "OrderedDict([('b', 1), ('a', 2)])",
  "OrderedDict((str(i) * 7, [i] * 5) for i in range(12))",
  "defaultdict(list)",
  "defaultdict(None, {1: 2})",
  "defaultdict(list, {'k%d' % i: list(range(i)) for i in range(9)})",
  "Counter()",
  "Counter('abracadabra')",
  "Counter({'w%d' % i: i % 4 for i in range(30)})",
  "deque()",
  "deque([1, 'x', (2,)])",
  "deque(range(40), maxlen=50)",
  "deque(['long' * 5] * 8)",
  "[OrderedDict(a=deque([1]), b=Counter('xyy'))] * 3",
  "{'od': OrderedDict(z=1, y=[2] * 30)}",
  "np.arange(30.0).reshape(5, 6)",
  "[np.float32(0.5), np.int64(7), np.True_, np.dtype('<U3')]",
  "{'a': np.array(['x', 1, None], dtype=object), 'b': np.arange(2000)}",
  "np.linspace(-1, 1, 13).astype('<f4')",
  "np.array([1+2j, np.nan - 1j])",
];

beforeAll(async () => {
  py = await startPython();
  dir = mkdtempSync(join(tmpdir(), "pickle-repr-"));
  await py.exec(`
import pickle, pprint, numpy as np
from collections import OrderedDict, defaultdict, Counter, deque
def case(expr, proto):
    return pickle.dumps(eval(expr), proto)
def texts(expr):
    v = eval(expr)
    return [repr(v), pprint.pformat(v)]
`);
});
afterAll(async () => {
  await py.close();
  rmSync(dir, { recursive: true, force: true });
});

test("repr and pformat of collections and numpy values are Python's", async () => {
  for (const expr of EXPRS) {
    const [repr, pf] = await py.call<[string, string]>("texts", expr);
    for (const proto of [0, 2, 5]) {
      const v = loads(await py.call<Uint8Array>("case", expr, proto), { model: "faithful" });
      expect(pyRepr(v), `${expr} p${proto}`).toBe(repr);
      expect(pformat(v), `${expr} p${proto}`).toBe(pf);
    }
  }
});

test("`pickle FILE` prints what `python -m pickle FILE` prints", async () => {
  for (const [i, expr] of EXPRS.entries()) {
    const file = join(dir, `c${i}.pickle`);
    writeFileSync(file, await py.call<Uint8Array>("case", expr, 4));
    const r = spawnSync(PYTHON, ["-m", "pickle", file], { encoding: "utf8" });
    expect(r.status).toBe(0);
    let out = "";
    const status = main(
      [file],
      (s) => {
        out += s;
      },
      () => {},
    );
    expect(status, expr).toBe(0);
    expect(out, expr).toBe(r.stdout);
  }
});
