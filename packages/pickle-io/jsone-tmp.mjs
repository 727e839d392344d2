import { readFileSync } from "node:fs";
import { loads } from "@x/pickle-io";
const data = new Uint8Array(readFileSync(`/tmp/ub/${process.argv[2]}`));
const out = [];
for (const model of ["natural", "faithful"]) {
  let best = Infinity;
  for (let i = 0; i < 5; i++) { const t = performance.now(); loads(data, { model }); best = Math.min(best, performance.now() - t); }
  out.push(best);
}
console.log(`js natural ${out[0].toFixed(1)} faithful ${out[1].toFixed(1)}`);
