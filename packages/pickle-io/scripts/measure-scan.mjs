// Relative cost of scan() against loads() on the same bytes, in one process (run after
// `pnpm --filter @x/pickle-io build`): `node --expose-gc scripts/measure-scan.mjs`.
// Workloads are written by python3 ($PYTHON or python3 on PATH, with numpy).
import { execFileSync } from "node:child_process";
import { loads, scan } from "../dist/index.js";

const python = process.env.PYTHON ?? "python3";
const script = `
import pickle, sys, base64, json, numpy as np, datetime, argparse
w = {"dicts": [{"a": i, "b": str(i), "c": [i, i + .5]} for i in range(20000)],
     "objects": [argparse.Namespace(a=i, b=str(i)) for i in range(5000)],
     "arrays": [np.arange(i % 50) for i in range(2000)],
     "datetimes": [datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=i) for i in range(10000)]}
print(json.dumps({k: base64.b64encode(pickle.dumps(v, 4)).decode() for k, v in w.items()}))
`;
const workloads = JSON.parse(execFileSync(python, ["-c", script], { encoding: "utf8", maxBuffer: 1 << 28 }));
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const [name, b64] of Object.entries(workloads)) {
  const bytes = new Uint8Array(Buffer.from(b64, "base64"));
  const t = { loads: [], scan: [] };
  for (let i = 0; i < 5; i++) {
    loads(bytes);
    scan(bytes);
  }
  for (let i = 0; i < 21; i++) {
    let s = performance.now();
    loads(bytes);
    t.loads.push(performance.now() - s);
    s = performance.now();
    scan(bytes);
    t.scan.push(performance.now() - s);
  }
  const l = median(t.loads);
  const sc = median(t.scan);
  console.log(
    `${name.padEnd(10)} ${String(bytes.length).padStart(8)} bytes  loads ${l.toFixed(2)} ms  scan ${sc.toFixed(2)} ms  scan/loads ${(sc / l).toFixed(2)}`,
  );
}
