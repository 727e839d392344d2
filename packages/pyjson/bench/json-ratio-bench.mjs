// pyjson ÷ JSON.parse / JSON.stringify on the bench workloads, both timed in this one process,
// interleaved, best of N (a shared machine disturbs runs, rarely all of them). Optionally a
// second build (OLD=path/to/dist/index.js) timed the same way, for before/after ratios.
// Run after `pnpm build` and a bench run that generated bench/data:
//   node bench/json-ratio-bench.mjs records,strings,floats,ints,shared,pyperf_dict_group
import { readFileSync } from "node:fs";

const data = new URL("../../../bench/data/", import.meta.url);
const impls = { new: await import("../dist/index.js") };
if (process.env.OLD) impls.old = await import(process.env.OLD);
const names = (process.argv[2] ?? "records,strings,floats,ints,shared,pyperf_dict_group").split(",");
const rounds = Number(process.env.ROUNDS ?? 7);

for (const w of names) {
  const text = readFileSync(new URL(`${w}.json`, data), "utf8");
  const value = JSON.parse(text);
  const inner = text.length > 100_000 ? 1 : Math.ceil(200_000 / text.length);
  const fns = {
    "JSON.parse": () => JSON.parse(text),
    "JSON.stringify": () => JSON.stringify(value),
  };
  for (const [k, m] of Object.entries(impls)) {
    fns[`${k} loads`] = () => m.loads(text);
    fns[`${k} faithful`] = () => m.loads(text, { model: "faithful" });
    fns[`${k} dumps`] = () => m.dumps(value);
  }
  const best = {};
  for (const k in fns) best[k] = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++)
    for (const k in fns) {
      const t0 = performance.now();
      for (let i = 0; i < inner; i++) fns[k]();
      best[k] = Math.min(best[k], (performance.now() - t0) / inner);
    }
  const row = [w.padEnd(18)];
  for (const k of Object.keys(impls))
    row.push(
      `${k}: loads ${(best[`${k} loads`] / best["JSON.parse"]).toFixed(2)}x`,
      `faithful ${(best[`${k} faithful`] / best["JSON.parse"]).toFixed(2)}x`,
      `dumps ${(best[`${k} dumps`] / best["JSON.stringify"]).toFixed(2)}x |`,
    );
  row.push(
    `JSON.parse ${best["JSON.parse"].toFixed(3)} ms, stringify ${best["JSON.stringify"].toFixed(3)} ms`,
  );
  console.log(row.join("  "));
}
