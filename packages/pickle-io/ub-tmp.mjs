import { readFileSync, readdirSync } from "node:fs";
import { loads } from "@x/pickle-io";
const only = process.argv[2];
for (const f of readdirSync("/tmp/ub").filter((f) => f.endsWith(".pickle")).sort()) {
  if (only && !f.includes(only)) continue;
  const data = new Uint8Array(readFileSync(`/tmp/ub/${f}`));
  const res = [];
  for (const model of ["natural", "faithful"]) {
    const ts = [];
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      loads(data, { model });
      ts.push(performance.now() - t);
    }
    ts.sort((a, b) => a - b);
    res.push(ts[3]);
  }
  console.log(`${f.padEnd(22)} natural ${res[0].toFixed(1).padStart(8)} ms  faithful ${res[1].toFixed(1).padStart(8)} ms`);
}
