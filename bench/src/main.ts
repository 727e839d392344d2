/**
 * `pnpm bench`: generate the workloads (python3, deterministic), time CPython, time Node, measure
 * memory, then print the Markdown table and write bench/results/<name>.md and .json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { loadImplementations } from "./implementations.js";
import { Phase } from "./measure.js";
import { memoryRunner } from "./memory.js";
import {
  CELL_ORDER,
  nodeCellCount,
  retimeSingleRuns,
  type SingleRun,
  timeWorkloadPart,
} from "./node-timings.js";
import { BENCH_ROOT, type BenchOptions, readOptions } from "./options.js";
import {
  type BenchResults,
  type MemoryResult,
  type PicklerStreamResult,
  renderMarkdown,
  type StreamResult,
  type WorkloadResult,
} from "./report.js";
import type { Cell } from "./stats.js";
import { generateWorkloads, runPython } from "./workloads.js";

/** The largest workloads, whose loading (and dumping) memory is measured. */
const MEMORY_WORKLOADS = ["records", "ints", "floats", "strings", "blobs", "shared"];
/** Where the JSON loading memory is measured too. */
const JSON_MEMORY_WORKLOADS = ["records"];

const loaded = performance.now();
/** Progress on stderr, with the seconds since start (so a run's phases can be told apart). */
const log = (s: string): void => {
  process.stderr.write(`[${((performance.now() - loaded) / 1000).toFixed(0).padStart(3)} s] ${s}\n`);
};

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: BENCH_ROOT,
      encoding: "utf8",
    }).trim();
  } catch {
    return "unknown";
  }
}

/** `dist/pickler-stream.js --json` in a fresh process: Pickler.dump per call, ours and CPython's. */
function runPicklerStream(opts: BenchOptions): PicklerStreamResult {
  const script = join(BENCH_ROOT, "dist", "pickler-stream.js");
  const calls = opts.quick ? 2_000 : 100_000;
  const r = spawnSync(process.execPath, [script, String(calls), "5", "--json"], {
    encoding: "utf8",
    env: { ...process.env, PYTHON: opts.python },
    timeout: 120_000,
  });
  const line = r.stdout?.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{"))
    return {
      error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split("\n")[0]!.slice(0, 200),
    };
  return JSON.parse(line) as PicklerStreamResult;
}

async function main(): Promise<void> {
  const started = performance.now();
  const opts = readOptions();
  if (!(globalThis as { gc?: unknown }).gc) log("note: run with --expose-gc for steadier timings");
  log(`bench: generating workloads in ${opts.dataDir}`);
  const manifest = generateWorkloads(opts);
  const selected = manifest.workloads.filter((w) => opts.only.length === 0 || opts.only.includes(w.name));

  // What the time limit leaves after generation is shared out by deadlines: CPython until 30% of
  // it, Node until 75%, Node's single-run cells timed again until 88%, memory the rest (less a
  // little for the report). A phase that ends early
  // leaves its time to the next; one slow call can overrun a deadline, not starve the phases after.
  const planStart = performance.now();
  const plan = opts.timeLimit - (planStart - started) / 1000;
  const until = (fraction: number): number => plan * fraction - (performance.now() - planStart) / 1000;
  log("bench: timing CPython");
  const cpyFile = join(opts.dataDir, "cpython-times.json");
  const pyArgs = [join(BENCH_ROOT, "scripts", "time-cpython.py"), "time", "--data", opts.dataDir];
  pyArgs.push("--out", cpyFile, "--budget", String(opts.budget), "--time-limit", String(until(0.3)));
  if (opts.only.length > 0) pyArgs.push("--only", opts.only.join(","));
  runPython(opts, pyArgs);
  const cpy = JSON.parse(readFileSync(cpyFile, "utf8")) as {
    python: string;
    workloads: Record<string, Record<string, Cell>>;
  };

  log("bench: timing Node");
  const impl = await loadImplementations();
  const nodePhase = new Phase(
    until(0.75),
    selected.reduce((n, w) => n + nodeCellCount(w), 0),
  );
  const singleRuns: SingleRun[] = [];
  const workloads: WorkloadResult[] = selected.map((w) => ({
    name: w.name,
    description: w.description,
    sizes: w.sizes,
    cpythonRoundTrip: w.cpythonRoundTrip,
    cpython: cpy.workloads[w.name] ?? {},
    node: { pickle: {} },
  }));
  for (const key of CELL_ORDER) {
    for (const w of workloads) {
      if (!(key in selected.find((x) => x.name === w.name)!.files)) continue;
      timeWorkloadPart(manifest, w.name, key, impl, opts, nodePhase, w.node, singleRuns);
      log(`  node ${w.name} ${key}`);
    }
  }
  if (singleRuns.length > 0) {
    // Until 88 %: the memory phase after it takes ~35 s of the ~60 s this leaves it.
    const retime = new Phase(until(0.88), singleRuns.length);
    const left = retime.secondsLeft();
    log(`bench: timing ${singleRuns.length} single-run cells again (${left.toFixed(0)} s left)`);
    const replaced = retimeSingleRuns(singleRuns, impl, opts, retime);
    log(`  ${replaced} of ${singleRuns.length} now sampled`);
  }

  // The stream-of-messages goal (#13): its own process, like the cells.
  let picklerStream: PicklerStreamResult | null = null;
  if (opts.only.length === 0 || opts.only.includes("stream")) {
    log("bench: Pickler.dump stream");
    picklerStream = runPicklerStream(opts);
  }

  const memory: MemoryResult[] = [];
  let stream: StreamResult | null = null;
  if (opts.memory) {
    log("bench: memory");
    const mem = memoryRunner(new Phase(until(1) - 5, 1));
    const skipped = { error: "skipped: time limit" };
    // Rows in display order; probes run by priority (the loads goal and the stream first) and
    // fill them in, so a run cut short loses the least important probes.
    const probes: { priority: number; run: () => void }[] = [];
    for (const w of selected) {
      const file = w.files.p5;
      if (!MEMORY_WORKLOADS.includes(w.name) || !file) continue;
      const path = join(opts.dataDir, file);
      const loads: MemoryResult = {
        workload: w.name,
        file,
        op: "loads",
        node: {
          "ours-natural": { kind: "ours-natural", ...skipped },
          "ours-faithful": { kind: "ours-faithful", ...skipped },
          pickleparser: { kind: "pickleparser", ...skipped },
        },
        cpython: { op: "loads", ...skipped },
      };
      const dumps: MemoryResult = {
        workload: w.name,
        file,
        op: "dumps",
        node: { "ours-dumps": { kind: "ours-dumps", ...skipped } },
        cpython: { op: "dumps", ...skipped },
      };
      memory.push(loads, dumps);
      probes.push(
        { priority: 0, run: () => (loads.node["ours-natural"] = mem.node("ours-natural", path)) },
        { priority: 0, run: () => (loads.cpython = mem.python(opts, "loads", path)) },
        { priority: 2, run: () => (dumps.node["ours-dumps"] = mem.node("ours-dumps", path)) },
        { priority: 2, run: () => (dumps.cpython = mem.python(opts, "dumps", path)) },
        { priority: 3, run: () => (loads.node["ours-faithful"] = mem.node("ours-faithful", path)) },
        { priority: 3, run: () => (loads.node.pickleparser = mem.node("pickleparser", path)) },
      );
      const jf = w.files.json;
      if (JSON_MEMORY_WORKLOADS.includes(w.name) && jf) {
        const jpath = join(opts.dataDir, jf);
        const jl: MemoryResult = {
          workload: w.name,
          file: jf,
          op: "json loads",
          node: { pyjson: { kind: "pyjson", ...skipped }, "json-parse": { kind: "json-parse", ...skipped } },
          cpython: { op: "json_loads", ...skipped },
        };
        memory.push(jl);
        probes.push(
          { priority: 4, run: () => (jl.node.pyjson = mem.node("pyjson", jpath)) },
          { priority: 4, run: () => (jl.node["json-parse"] = mem.node("json-parse", jpath)) },
          { priority: 4, run: () => (jl.cpython = mem.python(opts, "json_loads", jpath)) },
        );
      }
    }
    const s = manifest.stream;
    if (s && (opts.only.length === 0 || opts.only.includes("stream"))) {
      const path = join(opts.dataDir, s.file);
      const sr: StreamResult = {
        ...s,
        node: { kind: "ours-stream", ...skipped },
        cpython: { op: "stream", ...skipped },
      };
      stream = sr;
      probes.push(
        { priority: 1, run: () => (sr.node = mem.node("ours-stream", path, [String(s.count)])) },
        { priority: 1, run: () => (sr.cpython = mem.python(opts, "stream", path)) },
      );
    }
    probes.sort((a, b) => a.priority - b.priority);
    for (const [i, probe] of probes.entries()) {
      probe.run();
      if ((i + 1) % 4 === 0 || i === probes.length - 1) log(`  memory ${i + 1}/${probes.length}`);
    }
  }

  const results: BenchResults = {
    meta: {
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      node: process.version,
      python: cpy.python,
      cpu: `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}`,
      commit: gitCommit(),
      quick: opts.quick,
      budgetSeconds: opts.budget,
      isolation: opts.isolate ? opts.smallProcesses : 0,
      durationSeconds: (performance.now() - started) / 1000,
      command: [
        opts.quick ? "BENCH_QUICK=1" : "",
        opts.only.length ? `BENCH_ONLY=${opts.only.join(",")}` : "",
        opts.isolate ? "" : "BENCH_ISOLATE=0",
        "pnpm bench",
      ]
        .filter(Boolean)
        .join(" "),
      missing: impl.missing,
    },
    workloads,
    memory,
    stream,
    picklerStream,
  };
  const md = renderMarkdown(results);
  mkdirSync(opts.resultsDir, { recursive: true });
  writeFileSync(join(opts.resultsDir, `${opts.name}.md`), `${md}\n`);
  writeFileSync(join(opts.resultsDir, `${opts.name}.json`), `${JSON.stringify(results, null, 1)}\n`);
  process.stdout.write(`${md}\n`);
  log(
    `bench: wrote ${join(opts.resultsDir, opts.name)}.md/.json in ${Math.round(results.meta.durationSeconds)} s`,
  );
}

main().catch((e: unknown) => {
  log(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
