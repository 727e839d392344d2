import { afterAll, describe, expect, test } from "vitest";
import { Harness, loadFindings, loadSeeds } from "../src/harness.mjs";

// Every saved finding is replayed under the same budgets. "fixed" ones must stay fixed; "open"
// ones (bugs outside this branch's reach, listed for their owners) must at least still be
// contained by the harness (a report, not a crash of the test run).
const harness = new Harness();
afterAll(() => harness.close());

describe("saved fuzz findings", () => {
  const findings = loadFindings();
  test("the corpus is readable", () => {
    for (const f of findings) expect(["open", "fixed"]).toContain(f.status);
  });
  for (const f of findings) {
    test(`${f.name} (${f.status})`, async () => {
      const problems = await harness.run(f.kind, f.data);
      if (f.status === "fixed") expect(problems).toEqual([]);
      else if (problems.length === 0) console.log(`${f.name} no longer reproduces: mark it fixed`);
    }, 60_000);
  }
});

describe("seed corpus", () => {
  test("every CPython pickle and JSON seed passes every target", async () => {
    const seeds = loadSeeds();
    const bad = [];
    for (const [kind, list] of Object.entries(seeds)) {
      for (const data of list) {
        const problems = await harness.run(kind, data);
        if (problems.length > 0) bad.push(problems);
      }
    }
    expect(bad).toEqual([]);
  }, 240_000);
});
