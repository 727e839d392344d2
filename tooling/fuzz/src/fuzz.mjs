// `pnpm fuzz`: mutation + structure-aware fuzzing of every reader, each input in a worker with
// a time and heap budget; every new finding is saved under corpus/findings (commit them: the
// replay test runs them). Env: FUZZ_SECONDS (default 60), FUZZ_SEED (default: time).
import { createHash } from "node:crypto";
import { DEFAULT_BUDGET, Harness, loadFindings, loadSeeds, saveFinding } from "./harness.mjs";
import { generatePickle, mutate, Rng } from "./mutate.mjs";

/**
 * Fuzzes for `seconds`; returns { runs, findings: [{ name, kind, problems }] }. Findings with
 * the same signature (kind, target, first error line) as a saved or earlier one are not saved
 * again.
 */
export async function fuzz({ seconds = 60, seed = Date.now(), log = console.log, save = true } = {}) {
  const rng = new Rng(seed);
  const seeds = loadSeeds();
  const harness = new Harness(DEFAULT_BUDGET);
  const confirm = new Harness({ ...DEFAULT_BUDGET, timeMs: DEFAULT_BUDGET.timeMs * 4 });
  const known = new Set(loadFindings().flatMap((f) => f.problems.map(signature)));
  const found = [];
  const pool = { pickle: [...seeds.pickle], json: [...seeds.json] };
  const deadline = Date.now() + seconds * 1000;
  let runs = 0;
  // Seeds first, as they are.
  const queue = [...seeds.pickle.map((d) => ["pickle", d]), ...seeds.json.map((d) => ["json", d])];
  try {
    while (Date.now() < deadline) {
      let kind;
      let data;
      if (queue.length > 0) [kind, data] = queue.shift();
      else {
        kind = rng.chance(0.75) ? "pickle" : "json";
        const base = kind === "pickle" && rng.chance(0.3) ? generatePickle(rng) : rng.pick(pool[kind]);
        data = base;
        for (let i = 1 + rng.int(4); i > 0; i--) data = mutate(rng, data, rng.pick(pool[kind]));
        if (data.length > 1 << 20) data = data.subarray(0, 1 << 20);
      }
      runs++;
      let problems = await harness.run(kind, data);
      // A hang on a loaded machine is confirmed with a 4x budget before it counts.
      if (problems.some((p) => p.kind === "hang")) problems = await confirm.run(kind, data);
      if (problems.length === 0) {
        if (pool[kind].length < 4000 && rng.chance(0.05)) pool[kind].push(data);
        continue;
      }
      const fresh = problems.filter((p) => !known.has(signature(p)));
      if (fresh.length === 0) continue;
      for (const p of fresh) known.add(signature(p));
      const name = save
        ? saveFinding(kind, data, problems)
        : createHash("sha256").update(data).digest("hex").slice(0, 16);
      found.push({ name, kind, problems });
      log(`finding ${name}: ${fresh.map((p) => `${p.target} ${p.kind} ${p.error}`).join(" | ")}`);
    }
  } finally {
    await harness.close();
    await confirm.close();
  }
  return { runs, findings: found };
}

/** Findings with one signature are one bug: the kind, the target and the error's first line. */
export function signature(p) {
  const msg = (p.error ?? "").replace(/\d+/g, "N").slice(0, 80);
  return `${p.kind}|${p.target}|${msg}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 0x7fffffff);
  console.log(`fuzzing for ${seconds} s, seed ${seed}`);
  const { runs, findings } = await fuzz({ seconds, seed });
  console.log(`${runs} inputs, ${findings.length} new findings`);
}
