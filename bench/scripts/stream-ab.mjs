// A/B of two pickle-io builds on small per-call work, each build alone in a fresh process,
// alternating, several processes per build (small payloads are bimodal between processes):
//   stream: Pickler.dump + clearMemo of bench/src/pickler-stream.ts's message, to a sink;
//   dumps:<file.pkl>: dumps of that pickle's faithful value at its protocol.
// CPU time per call, best of the samples in a process, then the median over processes.
//
//   node bench/scripts/stream-ab.mjs <new dist/index.js> <old dist/index.js> [what=stream] [procs=5] [calls=100000]
//   node bench/scripts/stream-ab.mjs --child <dist/index.js> <what> <calls>   (one process's number)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpu, importBuild } from "./ab-common.mjs";

const args = process.argv.slice(2);
if (args[0] === "--child") {
  const [, lib, what, callsText] = args;
  const m = await importBuild(lib);
  const calls = Number(callsText);
  let f;
  if (what === "stream") {
    const message = { id: 12345, name: "sensor-7", ok: true, values: [1.5, 2.25, -3.5], tags: ["a", "b"] };
    let bytes = 0;
    const p = new m.Pickler({ write: (b) => (bytes += b.length) }, { protocol: 5 });
    f = () => {
      p.dump(message);
      p.clearMemo();
    };
  } else {
    const data = new Uint8Array(readFileSync(what.slice("dumps:".length)));
    const v = m.loads(data, { model: "faithful" });
    const opts = { protocol: data[1] > 5 ? 0 : data[0] === 0x80 ? data[1] : 0, model: "faithful" };
    f = () => m.dumps(v, opts);
  }
  for (let i = 0; i < Math.min(20000, calls); i++) f();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = cpu();
    for (let i = 0; i < calls; i++) f();
    best = Math.min(best, (cpu() - t) / calls);
  }
  console.log(best);
  process.exit(0);
}
const [newLib, oldLib, what = "stream", procs = "5", calls = "100000"] = args;
const self = new URL(import.meta.url).pathname;
const times = { new: [], old: [] };
for (let i = 0; i < Number(procs); i++) {
  const order = i % 2 ? ["new", "old"] : ["old", "new"];
  for (const name of order) {
    const lib = name === "new" ? newLib : oldLib;
    const r = spawnSync(
      process.execPath,
      [self, "--child", lib, what, String(Math.round(Number(calls) / 5))],
      {
        encoding: "utf8",
      },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    times[name].push(Number(r.stdout.trim()));
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const fmt = (a) => a.map((x) => x.toFixed(2)).join(" ");
console.log(`${what}: new ${fmt(times.new)} µs; old ${fmt(times.old)} µs`);
console.log(
  `${what}: median new ${med(times.new).toFixed(3)} µs, old ${med(times.old).toFixed(3)} µs, new ÷ old ${(med(times.new) / med(times.old)).toFixed(3)}`,
);
