// A/B of two pyjson builds with each build alone in its process (json-ab.mjs loads both into one
// process, where they share @x/pyobject's inline caches and small documents swing 2x either way).
// Alternates new, old, new, old... fresh processes; each reports its best CPU time per call over
// `rounds` samples (results kept alive, as the bench); prints the median of each build's bests,
// new ÷ old, and JSON.parse / JSON.stringify timed the same way in the new build's processes.
//
//   node --expose-gc bench/scripts/json-ab-procs.mjs <new dist/index.js> <old dist/index.js> \
//     <workload[,workload]> [ops=dumps,loads,faithful] [processes=4] [rounds=7] [data dir=bench/data]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cpu, importBuild } from "./ab-common.mjs";

if (process.argv[2] === "--child") {
  const [, , , lib, file, op, rounds, native] = process.argv;
  const M = await importBuild(lib);
  const text = readFileSync(file, "utf8");
  const value = JSON.parse(text);
  const o = { model: op === "faithful" ? "faithful" : "natural" };
  const f =
    native === "1"
      ? op === "dumps"
        ? () => JSON.stringify(value)
        : () => JSON.parse(text)
      : op === "dumps"
        ? () => M.dumps(value, o)
        : () => M.loads(text, o);
  let t = cpu();
  while (cpu() - t < 300_000) f(); // warm-up: 0.3 s of CPU
  t = cpu();
  for (let i = 0; i < 5; i++) f();
  const reps = Math.max(1, Math.round(40_000 / Math.max((cpu() - t) / 5, 1)));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < Number(rounds); r++) {
    const keep = [];
    globalThis.gc?.();
    t = cpu();
    for (let i = 0; i < reps; i++) keep.push(f());
    best = Math.min(best, (cpu() - t) / reps);
  }
  process.stdout.write(String(best));
  process.exit(0);
}

const [
  newLib,
  oldLib,
  workloads,
  ops = "dumps,loads,faithful",
  procs = "4",
  rounds = "7",
  dataDir = "bench/data",
] = process.argv.slice(2);
if (!newLib || !oldLib || !workloads) {
  console.error("usage: json-ab-procs.mjs NEW_DIST OLD_DIST WORKLOADS [OPS] [PROCESSES] [ROUNDS] [DATA_DIR]");
  process.exit(2);
}
const self = fileURLToPath(import.meta.url);
const run = (lib, file, op, native) =>
  Number(
    execFileSync(process.execPath, ["--expose-gc", self, "--child", lib, file, op, rounds, native], {
      encoding: "utf8",
    }),
  );
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`);
for (const w of workloads.split(",")) {
  const file = `${dataDir}/${w}.json`;
  for (const op of ops.split(",")) {
    const got = { new: [], old: [], native: [] };
    for (let p = 0; p < Number(procs); p++) {
      const order = p % 2 ? ["old", "new", "native"] : ["new", "old", "native"];
      for (const name of order)
        got[name].push(run(name === "old" ? oldLib : newLib, file, op, name === "native" ? "1" : "0"));
    }
    const m = { new: median(got.new), old: median(got.old), native: median(got.native) };
    console.log(
      `${w.padEnd(18)} ${op.padEnd(8)} new ${fmt(m.new).padStart(10)} old ${fmt(m.old).padStart(10)} native ${fmt(m.native).padStart(10)}  new÷old ${(m.new / m.old).toFixed(3)}  new÷native ${(m.new / m.native).toFixed(2)}  old÷native ${(m.old / m.native).toFixed(2)}`,
    );
  }
}
