// Top self-time functions of one pyjson operation on one JSON workload, from V8's sampling
// profiler (needs only the workload's .json, unlike `pnpm profile`, which reads the manifest's pickles):
//
//   node bench/scripts/json-prof.mjs <pyjson dist/index.js> <workload> <dumps|loads|faithful> [seconds=3] [data dir=bench/data]
//
// Writes the .cpuprofile next to the data (profiles/) and prints the top 15 functions by self time.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [lib, w, op, seconds = "3", dataDir = "bench/data"] = process.argv.slice(2);
if (!lib || !w || !op) {
  console.error("usage: json-prof.mjs DIST WORKLOAD dumps|loads|faithful [SECONDS] [DATA_DIR]");
  process.exit(2);
}
const M = await import(pathToFileURL(resolve(lib)).href);
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
const byFn = new Map();
let total = 0;
for (const n of profile.nodes) {
  const hits = n.hitCount ?? 0;
  if (hits === 0) continue;
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url.replace(/^.*\/(packages|node_modules)\//, "$1/");
  const key = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
  byFn.set(key, (byFn.get(key) ?? 0) + hits);
  total += hits;
}
for (const [fn, hits] of [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${fn}`);
