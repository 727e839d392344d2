import { expect, test } from "vitest";
import { parseProbe } from "../src/memory.js";
import { topSelfTime } from "../src/profile-summary.js";
import { formatBytes, formatTime, ratio } from "../src/report.js";
import { quantile, summarize } from "../src/stats.js";

test("quantiles interpolate and summaries are per operation", () => {
  expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  expect(quantile([5], 0.75)).toBe(5);
  const s = summarize([4, 1, 3, 2], 10);
  expect(s).toEqual({ median: 2.5, p25: 1.75, p75: 3.25, min: 1, max: 4, n: 4, iters: 10 });
});

test("ratios need two measurements", () => {
  const a = summarize([2], 1);
  const b = summarize([4], 1);
  expect(ratio(a, b)).toBe(0.5);
  expect(ratio({ error: "n/a" }, b)).toBeNull();
  expect(ratio(a, undefined)).toBeNull();
});

test("times and sizes print in readable units", () => {
  expect(formatTime(1.5e-7)).toBe("150 ns");
  expect(formatTime(2.346e-5)).toBe("23.5 µs");
  expect(formatTime(0.5)).toBe("500 ms");
  expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MiB");
  expect(formatBytes(null)).toBe("n/a");
});

test("the probe's peak comes from --trace-gc lines between the markers only", () => {
  const MB = 1024 * 1024;
  const out = [
    "[1:0x1]       10 ms: Mark-Compact 90.0 (95.0) -> 3.0 (6.0) MB, 1.2 / 0.0 ms  (average mu = 1.000) testing;",
    "@@BEGIN",
    "[1:0x1]       20 ms: Scavenge 12.5 (14.0) -> 11.0 (20.0) MB, 0.8 / 0.0 ms  (average mu = 1.000) allocation failure;",
    "[1:0x1]       30 ms: Mark-Compact (reduce) 40.0 (50.0) -> 30.0 (45.0) MB, 5.0 / 0.0 ms  (average mu = 0.9) finalize;",
    "@@END",
    `@@RESULT ${JSON.stringify({ kind: "ours-natural", heapBefore: 4 * MB, heapEnd: 35 * MB, retained: 25 * MB, externalGrowth: MB })}`,
  ].join("\n");
  const r = parseProbe(out);
  // Peak heap 40 MB (not the 90 MB before BEGIN) - 4 MB before + 1 MB external.
  expect(r.peakGrowth).toBe(37 * MB);
  expect(r.retained).toBe(25 * MB);
  expect(parseProbe("no result").error).toMatch(/no result/);
});

test("profile self time is summed per function and ranked", () => {
  const frame = (functionName: string, lineNumber: number) => ({
    functionName,
    url: "file:///work/main/packages/pickle-io/dist/loads.js",
    lineNumber,
  });
  const top = topSelfTime({
    startTime: 0,
    endTime: 1,
    nodes: [
      { id: 1, callFrame: frame("(root)", -1), hitCount: 0 },
      { id: 2, callFrame: frame("readFloat", 9), hitCount: 30 },
      { id: 3, callFrame: frame("loads", 1), hitCount: 10 },
      { id: 4, callFrame: frame("readFloat", 9), hitCount: 10 },
    ],
  });
  expect(top).toEqual([
    { fn: "readFloat packages/pickle-io/dist/loads.js:10", share: 0.8 },
    { fn: "loads packages/pickle-io/dist/loads.js:2", share: 0.2 },
  ]);
});
