// loads-ab.mjs in several fresh processes, the two builds' import order swapped every other
// process, and the median of the per-process ratios: on a loaded 2-core machine one process
// of loads-ab.mjs can be 20% off either way (A/A runs of deep p4: 0.69-1.15).
//
//   node bench/scripts/loads-ab-multi.mjs <new dist/index.js> <old dist/index.js> \
//     <workload[,workload]> [protocols=4] [model=natural] [processes=6] [rounds=7]
//
// Prints new ÷ old per workload and protocol: the median, then every process's ratio.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [newLib, oldLib, workloads, protos = "4", model = "natural", procs = "6", rounds = "7"] =
  process.argv.slice(2);
if (!newLib || !oldLib || !workloads) {
  console.error(
    "usage: loads-ab-multi.mjs NEW_DIST OLD_DIST WORKLOADS [PROTOS] [MODEL] [PROCESSES] [ROUNDS]",
  );
  process.exit(2);
}
const ab = join(dirname(fileURLToPath(import.meta.url)), "loads-ab.mjs");
const dataDir = join(dirname(fileURLToPath(import.meta.url)), "..", "data");
const ratios = new Map();
for (let i = 0; i < Number(procs); i++) {
  const swap = i % 2 === 1;
  const out = execFileSync(
    process.execPath,
    [ab, swap ? oldLib : newLib, swap ? newLib : oldLib, workloads, protos, model, rounds, dataDir],
    { encoding: "utf8" },
  );
  for (const line of out.trim().split("\n")) {
    const m = /^(\S+ p\d) \S+: .*new ÷ old ([\d.]+)$/.exec(line);
    if (!m) continue;
    const r = Number(m[2]);
    const list = ratios.get(m[1]) ?? [];
    list.push(swap ? 1 / r : r);
    ratios.set(m[1], list);
  }
}
for (const [cell, list] of ratios) {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  console.log(
    `${cell} ${model}: new ÷ old median ${median.toFixed(3)} [${list.map((r) => r.toFixed(2)).join(" ")}]`,
  );
}
