// A/B of two pyjson builds for a loaded machine: both builds in one process, alternating short
// samples (~2 ms, or one call), and the minimum per call over many samples: the samples no other
// process disturbed. CPU time (process.cpuUsage). Prints new ÷ old and each ÷ native.
//
//   node --expose-gc bench/scripts/json-ab-min.mjs <new dist/index.js> <old dist/index.js> \
//     <workload[,workload]> [ops=dumps,loads,faithful] [seconds per op=6] [data dir=bench/data]
import { readFileSync } from "node:fs";
import { cpu, importBuild } from "./ab-common.mjs";

const [newLib, oldLib, workloads, ops = "dumps,loads,faithful", seconds = "6", dataDir = "bench/data"] =
  process.argv.slice(2);
if (!newLib || !oldLib || !workloads) {
  console.error("usage: json-ab-min.mjs NEW_DIST OLD_DIST WORKLOADS [OPS] [SECONDS] [DATA_DIR]");
  process.exit(2);
}
const NEW = await importBuild(newLib);
const OLD = await importBuild(oldLib);
const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(3)} µs`);

for (const w of workloads.split(",")) {
  const text = readFileSync(`${dataDir}/${w}.json`, "utf8");
  const value = JSON.parse(text);
  for (const op of ops.split(",")) {
    const o = { model: op === "faithful" ? "faithful" : "natural" };
    const runs =
      op === "dumps"
        ? [() => NEW.dumps(value, o), () => OLD.dumps(value, o), () => JSON.stringify(value)]
        : [() => NEW.loads(text, o), () => OLD.loads(text, o), () => JSON.parse(text)];
    for (const f of runs) {
      const t = cpu();
      while (cpu() - t < 200_000) f(); // warm-up
    }
    let t0 = cpu();
    for (let i = 0; i < 3; i++) runs[0]();
    const reps = Math.max(1, Math.round(30_000 / Math.max((cpu() - t0) / 3, 0.01)));
    const best = [Infinity, Infinity, Infinity];
    const end = cpu() + Number(seconds) * 1e6;
    for (let r = 0; cpu() < end; r++) {
      for (let k = 0; k < 3; k++) {
        const f = runs[(r + k) % 3];
        if (reps === 1) globalThis.gc?.();
        t0 = cpu();
        for (let i = 0; i < reps; i++) f();
        const per = (cpu() - t0) / reps;
        const j = (r + k) % 3;
        if (per < best[j]) best[j] = per;
      }
    }
    console.log(
      `${w.padEnd(18)} ${op.padEnd(8)} new ${fmt(best[0]).padStart(11)} old ${fmt(best[1]).padStart(11)} native ${fmt(best[2]).padStart(11)}  new÷old ${(best[0] / best[1]).toFixed(3)}  new÷native ${(best[0] / best[2]).toFixed(2)}  old÷native ${(best[1] / best[2]).toFixed(2)}`,
    );
  }
}
