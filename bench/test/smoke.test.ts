/**
 * CI smoke test: the built bench (dist/, built by turbo before `test`) runs end to end in quick mode
 * on one small workload plus the streaming file, with python3 required (missing python3 fails).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { requirePython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { BenchResults } from "../src/report.js";
import { isStats } from "../src/stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
let dir = "";

beforeAll(() => {
  requirePython(["pickle", "json", "tracemalloc"]);
  dir = mkdtempSync(join(tmpdir(), "bench-smoke-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runBench(env: Record<string, string>): BenchResults {
  const r = spawnSync(process.execPath, ["--expose-gc", "dist/main.js"], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      BENCH_QUICK: "1",
      BENCH_DATA: join(dir, "data"),
      BENCH_RESULTS: dir,
      ...env,
    },
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain("## Goals");
  const name = env.BENCH_NAME!;
  expect(readFileSync(join(dir, `${name}.md`), "utf8")).toBe(`${r.stdout}`);
  return JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as BenchResults;
}

test("quick mode measures CPython, V8 and memory on one workload", () => {
  const res = runBench({ BENCH_ONLY: "strings,stream", BENCH_NAME: "smoke", BENCH_PROCESSES: "2" });
  expect(res.workloads.map((w) => w.name)).toEqual(["strings"]);
  const w = res.workloads[0]!;
  for (const p of ["p2", "p4", "p5"]) {
    for (const op of ["loads_gc", "loads_nogc", "dumps"]) expect(isStats(w.cpython[`${p}_${op}`])).toBe(true);
    // Every Node cell is a measurement or says why not (n/a or the error), never missing.
    for (const c of Object.values(w.node.pickle[p]!)) expect(c).toBeDefined();
  }
  expect(isStats(w.node.json?.jsonParse)).toBe(true);
  expect(isStats(w.node.json?.jsonStringify)).toBe(true);
  // Each Node cell ran in fresh workers: 2 here for a payload under 64 KiB (quick strings: ~30 KiB).
  const natural = w.node.pickle.p5!.oursNatural;
  expect(isStats(natural) && natural.processes).toBe(2);
  expect(res.meta.isolation).toBe(2);
  const loads = res.memory.find((m) => m.op === "loads")!;
  expect(loads.cpython.retained).toBeGreaterThan(0);
  expect(Object.keys(loads.node).sort()).toEqual(["ours-faithful", "ours-natural", "pickleparser"]);
  expect(res.stream?.count).toBe(2000);
  // The Pickler.dump stream goal: both sides measured, same bytes per message.
  expect(res.picklerStream?.ours?.us).toBeGreaterThan(0);
  expect(res.picklerStream?.cpython?.us).toBeGreaterThan(0);
  expect(res.picklerStream?.ours?.bytes).toBe(res.picklerStream?.cpython?.bytes);
  expect(res.stream?.cpython.peakGrowth).toBeGreaterThan(0);
});

test("a stand-in pickle module flows through loads, dumps errors and the report", () => {
  const fake = pathToFileURL(join(root, "test", "fixtures", "fake-pickle-io.mjs")).href;
  const res = runBench({
    BENCH_ONLY: "pyperf_tuple",
    BENCH_NAME: "smoke-fake",
    BENCH_MEMORY: "0",
    BENCH_PICKLE_IO: fake,
  });
  const p5 = res.workloads[0]!.node.pickle.p5!;
  expect(isStats(p5.oursNatural)).toBe(true);
  expect(isStats(p5.oursFaithful)).toBe(true);
  expect(p5.dumpsFaithful).toEqual({ error: "Error: fake dumps is not implemented" });
  expect(p5.identicalFaithful).toBe("Error: fake dumps is not implemented");
  const md = readFileSync(join(dir, "smoke-fake.md"), "utf8");
  expect(md).toMatch(
    /\| pyperf_tuple \| 5 \| 520 B \| [^|]+ \| [^|]+ \| [\d.]+ [nµm]?s ±\d+% \| [\d.]+× [✓✗] \|/,
  );
  expect(md).toContain("fake dumps is not implemented");
});

test("BENCH_ISOLATE=0 times the cells inside the bench process, and says so", () => {
  const res = runBench({
    BENCH_ONLY: "pyperf_tuple",
    BENCH_NAME: "smoke-inproc",
    BENCH_MEMORY: "0",
    BENCH_ISOLATE: "0",
  });
  const p5 = res.workloads[0]!.node.pickle.p5!;
  expect(isStats(p5.oursNatural) && p5.oursNatural.processes).toBe(undefined);
  expect(isStats(p5.dumpsFaithful)).toBe(true);
  expect(p5.identicalFaithful).toBe(true);
  expect(res.meta.isolation).toBe(0);
  expect(readFileSync(join(dir, "smoke-inproc.md"), "utf8")).toContain("inside the bench process");
});
