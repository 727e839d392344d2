// A/B of two pickle-io builds' `loads` with each build alone in its process: loading both
// builds into one process (loads-ab.mjs) biases whichever is imported first by up to 2x on
// hook-heavy pickles (sklearn_like p4: 0.54 one way, 1.45 the other), as they share
// @x/pyobject's code and its inline caches. Alternates A, B, A, B... fresh processes; each
// reports its best CPU time per call over `rounds` samples (results kept alive, as the bench);
// prints the median of each build's bests and new ÷ old.
//
//   node bench/scripts/loads-ab-procs.mjs <new dist/index.js> <old dist/index.js> \
//     <workload[,workload]> [protocols=4] [model=natural] [processes=4] [rounds=7]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpu, importBuild } from "./ab-common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[2] === "--child") {
  const [, , , lib, file, model, rounds] = process.argv;
  const { loads } = await importBuild(lib);
  const data = new Uint8Array(readFileSync(file));
  const opts = { model };
  let t = cpu();
  while (cpu() - t < 300_000) loads(data, opts); // warm-up: 0.3 s of CPU
  t = cpu();
  for (let i = 0; i < 5; i++) loads(data, opts);
  const reps = Math.max(1, Math.round(50_000 / Math.max((cpu() - t) / 5, 1)));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < Number(rounds); r++) {
    const keep = [];
    t = cpu();
    for (let i = 0; i < reps; i++) keep.push(loads(data, opts));
    best = Math.min(best, (cpu() - t) / reps);
  }
  console.log(best);
  process.exit(0);
}
const [newLib, oldLib, workloads, protos = "4", model = "natural", procs = "4", rounds = "7"] =
  process.argv.slice(2);
if (!newLib || !oldLib || !workloads) {
  console.error(
    "usage: loads-ab-procs.mjs NEW_DIST OLD_DIST WORKLOADS [PROTOS] [MODEL] [PROCESSES] [ROUNDS]",
  );
  process.exit(2);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
for (const w of workloads.split(",")) {
  for (const p of protos.split(",")) {
    const file = join(here, "..", "data", `${w}.p${p}.pkl`);
    const times = { new: [], old: [] };
    for (let i = 0; i < Number(procs); i++) {
      for (const which of i % 2 ? ["old", "new"] : ["new", "old"]) {
        const lib = which === "new" ? newLib : oldLib;
        const out = execFileSync(
          process.execPath,
          [fileURLToPath(import.meta.url), "--child", lib, file, model, rounds],
          { encoding: "utf8" },
        );
        times[which].push(Number(out.trim()));
      }
    }
    const n = median(times.new);
    const o = median(times.old);
    console.log(
      `${w} p${p} ${model}: new ${n.toFixed(1)} µs, old ${o.toFixed(1)} µs, new ÷ old ${(n / o).toFixed(3)} (processes: new ${times.new.map((x) => x.toFixed(0)).join(" ")}; old ${times.old.map((x) => x.toFixed(0)).join(" ")})`,
    );
  }
}
