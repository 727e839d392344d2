// A/B of two pickle-io builds' `loads` in one process, for speed work on a shared machine:
// alternates the builds over the same input, best of N rounds, CPU time (process.cpuUsage).
//
//   node bench/scripts/loads-ab.mjs <new pickle-io dist/index.js> <old dist/index.js> \
//     <workload[,workload]> [protocols=4] [model=natural] [rounds=7] [data dir=bench/data]
//
// Prints new ÷ old per workload and protocol (below 1: the new build is faster).
import { readFileSync } from "node:fs";
import { cpu, importBuild } from "./ab-common.mjs";

const [newLib, oldLib, workloads, protos = "4", model = "natural", rounds = "7", dataDir = "bench/data"] =
  process.argv.slice(2);
if (!newLib || !oldLib || !workloads) {
  console.error("usage: loads-ab.mjs NEW_DIST OLD_DIST WORKLOADS [PROTOS] [MODEL] [ROUNDS] [DATA_DIR]");
  process.exit(2);
}
const NEW = await importBuild(newLib);
const OLD = await importBuild(oldLib);
for (const w of workloads.split(",")) {
  for (const p of protos.split(",")) {
    const data = new Uint8Array(readFileSync(`${dataDir}/${w}.p${p}.pkl`));
    const opts = { model };
    for (const m of [NEW, OLD]) {
      const t = cpu();
      while (cpu() - t < 200_000) m.loads(data, opts); // warm-up: 0.2 s of CPU each
    }
    let t0 = cpu();
    for (let i = 0; i < 10; i++) NEW.loads(data, opts);
    const reps = Math.max(1, Math.round(50_000 / Math.max((cpu() - t0) / 10, 1))); // ~50 ms a sample
    const best = { new: Number.POSITIVE_INFINITY, old: Number.POSITIVE_INFINITY };
    for (let r = 0; r < Number(rounds); r++) {
      const order =
        r % 2
          ? [
              ["new", NEW],
              ["old", OLD],
            ]
          : [
              ["old", OLD],
              ["new", NEW],
            ];
      for (const [name, m] of order) {
        const keep = []; // results stay alive until the sample ends, as in the bench
        t0 = cpu();
        for (let i = 0; i < reps; i++) keep.push(m.loads(data, opts));
        best[name] = Math.min(best[name], (cpu() - t0) / reps);
      }
    }
    console.log(
      `${w} p${p} ${model}: new ${best.new.toFixed(1)} µs, old ${best.old.toFixed(1)} µs, new ÷ old ${(best.new / best.old).toFixed(3)}`,
    );
  }
}
