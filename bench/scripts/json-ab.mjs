// A/B of two pyjson builds in one process, for speed work on a shared machine: alternates the
// new build, the old build and V8's native counterpart over the same input, best of N rounds,
// CPU time (process.cpuUsage), as the bench calls them (text in memory; dumps of JSON.parse(text)).
//
//   node --expose-gc bench/scripts/json-ab.mjs <new pyjson dist/index.js> <old dist/index.js> \
//     <workload[,workload]|all> [ops=dumps,loads,faithful] [rounds=7] [data dir=bench/data]
//
// Prints per workload and op: new, old and native µs, new ÷ old, new ÷ native, old ÷ native.
import { readFileSync } from "node:fs";
import { cpu, importBuild } from "./ab-common.mjs";

const ALL =
  "pyperf_dict,pyperf_tuple,pyperf_dict_group,pyperf_list,pyperf_micro_dict,json_nested,json_huge,records,ints,floats,strings,deep,shared";
const [newLib, oldLib, workloads, ops = "dumps,loads,faithful", rounds = "7", dataDir = "bench/data"] =
  process.argv.slice(2);
if (!newLib || !oldLib || !workloads) {
  console.error("usage: json-ab.mjs NEW_DIST OLD_DIST WORKLOADS|all [OPS] [ROUNDS] [DATA_DIR]");
  process.exit(2);
}
const NEW = await importBuild(newLib);
const OLD = await importBuild(oldLib);
const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`);

for (const w of (workloads === "all" ? ALL : workloads).split(",")) {
  const text = readFileSync(`${dataDir}/${w}.json`, "utf8");
  const value = JSON.parse(text);
  for (const op of ops.split(",")) {
    let runs;
    if (op === "dumps")
      runs = {
        new: () => NEW.dumps(value, { model: "natural" }),
        old: () => OLD.dumps(value, { model: "natural" }),
        native: () => JSON.stringify(value),
      };
    else if (op === "loads" || op === "faithful") {
      const o = { model: op === "loads" ? "natural" : "faithful" };
      runs = { new: () => NEW.loads(text, o), old: () => OLD.loads(text, o), native: () => JSON.parse(text) };
    } else throw new Error(`unknown op ${op}`);
    for (const f of Object.values(runs)) {
      const t = cpu();
      while (cpu() - t < 150_000) f(); // warm-up: 0.15 s of CPU each
    }
    let t0 = cpu();
    runs.new();
    const reps = Math.max(1, Math.round(40_000 / Math.max(cpu() - t0, 1))); // ~40 ms a sample
    const best = { new: Infinity, old: Infinity, native: Infinity };
    const names = ["new", "old", "native"];
    for (let r = 0; r < Number(rounds); r++) {
      for (let k = 0; k < 3; k++) {
        const name = names[(r + k) % 3];
        const f = runs[name];
        const keep = []; // results stay alive until the sample ends, as in the bench
        globalThis.gc?.(); // the previous sample's garbage is not this one's cost
        t0 = cpu();
        for (let i = 0; i < reps; i++) keep.push(f());
        best[name] = Math.min(best[name], (cpu() - t0) / reps);
      }
    }
    console.log(
      `${w.padEnd(18)} ${op.padEnd(8)} new ${fmt(best.new).padStart(10)} old ${fmt(best.old).padStart(10)} native ${fmt(best.native).padStart(10)}  new÷old ${(best.new / best.old).toFixed(3)}  new÷native ${(best.new / best.native).toFixed(2)}  old÷native ${(best.old / best.native).toFixed(2)}`,
    );
  }
}
