/**
 * CPU profile of one cell, to explain a missed goal:
 *
 *     node --expose-gc bench/dist/profile.js WORKLOAD OP [SECONDS]
 *
 * OP: loads-natural | loads-faithful | dumps | pickleparser (on FILE pN, default p5: append ":p2"
 * etc., e.g. `records loads-natural:p2`), json-loads | json-dumps | json-parse | json-stringify.
 * Runs the operation for SECONDS (default 3) under V8's sampling profiler, writes the
 * .cpuprofile (open it in Chrome DevTools) under bench/data/profiles/, and prints the functions
 * with the most self time.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { loadImplementations } from "./implementations.js";
import { readOptions } from "./options.js";
import { type CpuProfile, topSelfTime } from "./profile-summary.js";
import { type Manifest, readBytes } from "./workloads.js";

async function main(): Promise<void> {
  const [workload = "", opArg = "", secondsArg = "3"] = process.argv.slice(2);
  const opts = readOptions();
  const manifest = JSON.parse(readFileSync(join(opts.dataDir, "manifest.json"), "utf8")) as Manifest;
  const w = manifest.workloads.find((x) => x.name === workload);
  if (!w) throw new Error(`no workload ${workload} in ${opts.dataDir} (run the bench once first)`);
  const [op, proto = "p5"] = opArg.split(":");
  const impl = await loadImplementations();
  const pickleFile = w.files[proto];
  const bytes = pickleFile ? readBytes(join(opts.dataDir, pickleFile)) : null;
  const text = w.files.json ? readFileSync(join(opts.dataDir, w.files.json), "utf8") : null;
  const protocol = Number(proto.slice(1));
  let run: (() => unknown) | null = null;
  const { pickleLoads, pickleDumps, pickleparser, jsonLoads, jsonDumps } = impl;
  if (op === "loads-natural" && pickleLoads && bytes) run = () => pickleLoads(bytes, "natural");
  if (op === "loads-faithful" && pickleLoads && bytes) run = () => pickleLoads(bytes, "faithful");
  if (op === "pickleparser" && pickleparser && bytes) run = () => pickleparser(bytes);
  if (op === "dumps" && pickleLoads && pickleDumps && bytes) {
    const value = pickleLoads(bytes, "faithful");
    run = () => pickleDumps(value, protocol, "faithful");
  }
  if (op === "json-loads" && jsonLoads && text !== null) run = () => jsonLoads(text, "natural");
  if (op === "json-parse" && text !== null) run = () => JSON.parse(text);
  if ((op === "json-dumps" || op === "json-stringify") && text !== null) {
    const value: unknown = JSON.parse(text);
    if (op === "json-stringify") run = () => JSON.stringify(value);
    else if (jsonDumps) run = () => jsonDumps(value, "natural");
  }
  if (!run) throw new Error(`cannot profile ${workload} ${opArg}: unknown op or implementation missing`);

  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const begin = performance.now();
  const end = begin + Number(secondsArg) * 1000;
  let calls = 0;
  while (performance.now() < end) {
    run();
    calls++;
  }
  const elapsed = performance.now() - begin;
  const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
  session.disconnect();
  const dir = join(opts.dataDir, "profiles");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${workload}-${op}-${proto}.cpuprofile`);
  writeFileSync(out, JSON.stringify(profile));
  console.log(`${workload} ${opArg}: ${calls} calls, ${(elapsed / calls).toFixed(2)} ms/call`);
  console.log(`profile: ${out}`);
  for (const { fn, share } of topSelfTime(profile))
    console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${fn}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
