/**
 * The sample pickles kept in the repo are exactly what make_samples.py writes with CPython,
 * and each holds the pickles it claims (the main job and the CLI tests rely on them).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PYTHON } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { iterLoadSync } from "../src/node/index.js";
import { byteDiff } from "./support/bytes.js";

const samplesDir = fileURLToPath(new URL("../samples/", import.meta.url));
let fresh: string;

beforeAll(() => {
  fresh = mkdtempSync(join(tmpdir(), "pickle-samples-"));
  const r = spawnSync(PYTHON, [join(samplesDir, "make_samples.py"), fresh], { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`python3 make_samples.py failed: ${r.error ?? r.stderr}`);
});
afterAll(() => {
  rmSync(fresh, { recursive: true, force: true });
});

test("the committed samples are what CPython writes today", () => {
  const committed = readdirSync(samplesDir)
    .filter((f) => f.endsWith(".pickle"))
    .sort();
  const regenerated = readdirSync(fresh)
    .filter((f) => f.endsWith(".pickle"))
    .sort();
  expect(committed).toEqual(regenerated);
  for (const f of committed) {
    expect([f, byteDiff(readFileSync(join(samplesDir, f)), readFileSync(join(fresh, f)))]).toEqual([
      f,
      "same",
    ]);
  }
});

test("each sample loads here, with the number of pickles it holds", () => {
  const counts: Record<string, number> = {};
  for (const f of readdirSync(samplesDir).filter((x) => x.endsWith(".pickle"))) {
    counts[f] = [...iterLoadSync(join(samplesDir, f), { model: "faithful" })].length;
  }
  for (const [f, n] of Object.entries(counts))
    expect([f, n]).toEqual([f, f === "three-pickles.pickle" ? 3 : 1]);
});
