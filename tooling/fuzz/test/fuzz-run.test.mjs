import { expect, test } from "vitest";
import { fuzz } from "../src/fuzz.mjs";

// A bounded fuzz run as part of `pnpm test`: FUZZ_TEST_SECONDS (default 40) from a fixed seed
// (FUZZ_TEST_SEED to vary it). Signatures already in the saved corpus are known; anything new
// is saved under corpus/findings and fails the run.
test("bounded fuzz run finds nothing new", async () => {
  const seconds = Number(process.env.FUZZ_TEST_SECONDS ?? 40);
  const seed = Number(process.env.FUZZ_TEST_SEED ?? 20261203);
  const { runs, findings } = await fuzz({ seconds, seed, log: () => {} });
  expect(runs).toBeGreaterThan(0);
  expect(
    findings.map(
      (f) => `${f.name}: ${f.problems.map((p) => `${p.target} ${p.kind} ${p.error}`).join(" | ")}`,
    ),
  ).toEqual([]);
}, 600_000);
