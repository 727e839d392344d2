// One benchmark cell alone in a fresh process: the median time of one op on one pickle.
// Small payloads in the full run depend on what ran before them, and alone they are bimodal
// between processes (see results/2026-12-03-README.md): compare builds over several processes.
//   node scripts/one-cell.mjs <pickle-io dist/index.js> <file.pkl> <loads|loadsF|dumps|dumpsN> [ms=2000]
const [, , lib, file, op, ms = "2000"] = process.argv;
const { loads, dumps } = await import(lib);
const { readFileSync } = await import("node:fs");
const data = new Uint8Array(readFileSync(file));
const proto = data[1];
const vF = loads(data, { model: "faithful" }),
  vN = loads(data);
const f =
  op === "loads"
    ? () => loads(data)
    : op === "loadsF"
      ? () => loads(data, { model: "faithful" })
      : op === "dumps"
        ? () => dumps(vF, { protocol: proto, model: "faithful" })
        : () => dumps(vN, { protocol: proto });
for (let i = 0; i < 20; i++) f();
const end = performance.now() + Number(ms);
let n = 0;
const times = [];
while (performance.now() < end) {
  const t = performance.now();
  f();
  times.push(performance.now() - t);
  n++;
}
times.sort((a, b) => a - b);
console.log(op, file.split("/").pop(), "median", (times[times.length >> 1] * 1000).toFixed(1), "µs", "n", n);
