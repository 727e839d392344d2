// Top self-time functions of one pyjson operation on one JSON workload, from V8's sampling
// profiler (needs only the workload's .json, unlike `pnpm profile`, which reads the manifest's pickles):
//
//   node bench/scripts/json-prof.mjs <pyjson dist/index.js> <workload> <dumps|loads|faithful> [seconds=3] [data dir=bench/data]
//
// Writes the .cpuprofile next to the data (profiles/) and prints the top 15 functions by self time
// (bench/dist's profile-summary: build the bench first).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { topSelfTime } from "../dist/profile-summary.js";
import { importBuild } from "./ab-common.mjs";

const [lib, w, op, seconds = "3", dataDir = "bench/data"] = process.argv.slice(2);
if (!lib || !w || !op) {
  console.error("usage: json-prof.mjs DIST WORKLOAD dumps|loads|faithful [SECONDS] [DATA_DIR]");
  process.exit(2);
}
const M = await importBuild(lib);
const text = readFileSync(`${dataDir}/${w}.json`, "utf8");
const value = JSON.parse(text);
const run =
  op === "dumps"
    ? () => M.dumps(value, { model: "natural" })
    : () => M.loads(text, { model: op === "loads" ? "natural" : "faithful" });
for (let t = Date.now(); Date.now() - t < 300; ) run(); // warm-up
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
for (let t = Date.now(); Date.now() - t < Number(seconds) * 1000; ) run();
const { profile } = await session.post("Profiler.stop");
mkdirSync(`${dataDir}/profiles`, { recursive: true });
writeFileSync(`${dataDir}/profiles/${w}-${op}.cpuprofile`, JSON.stringify(profile));
for (const { fn, share } of topSelfTime(profile))
  console.log(`${(100 * share).toFixed(1).padStart(5)}%  ${fn}`);
