#!/usr/bin/env node
/**
 * The main job: prints every sample pickle in this folder with this library's `pickle` CLI
 * (and `pickletools`, from @x/pickle-core) and with `python3 -m pickle` / `-m pickletools`,
 * and fails when the texts differ. Run after building (`pnpm run main` does both).
 *
 * Two things in CPython's text are not data and are masked on both sides before comparing:
 * object addresses (`<sample_types.Point object at 0x7f...>`) and the ids in pprint's
 * `<Recursion on dict with id=140...>`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const python = process.env.PYTHON ?? "python3";
const pickleCli = join(here, "../dist/cli/pickle.js");

function binOf(pkgDir, name) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.[name];
  return bin ? join(pkgDir, bin) : undefined;
}
const pickletoolsCli = binOf(join(root, "packages/pickle-core"), "pickletools");

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    cwd: here,
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: here, PYTHONIOENCODING: "utf-8", PYTHONHASHSEED: "0" },
  });
  if (r.error) throw r.error;
  return { out: r.stdout, err: r.stderr, status: r.status };
}

const mask = (s) => s.replace(/ at 0x[0-9a-f]+>/g, ">").replace(/ with id=\d+>/g, " with id=N>");

function firstDifference(a, b) {
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i])
      return `line ${i + 1}:\n  ours:   ${JSON.stringify(x[i])}\n  python: ${JSON.stringify(y[i])}`;
  }
  return "";
}

const samples = readdirSync(here)
  .filter((f) => f.endsWith(".pickle"))
  .sort();
if (samples.length === 0) throw new Error(`no samples in ${here}: run python3 make_samples.py`);

const checks = [];
for (const f of samples) {
  checks.push({ what: `pickle ${f}`, ours: ["node", [pickleCli, f]], py: [python, ["-m", "pickle", f]] });
}
// `--all` prints every pickle of a file; CPython's CLI prints the first, so loop in Python.
const loopPy =
  "import pickle, pprint, sys\nwith open(sys.argv[1], 'rb') as f:\n    while True:\n        try:\n            o = pickle.load(f)\n        except EOFError:\n            break\n        pprint.pprint(o)";
checks.push({
  what: "pickle --all three-pickles.pickle",
  ours: ["node", [pickleCli, "--all", "three-pickles.pickle"]],
  py: [python, ["-c", loopPy, "three-pickles.pickle"]],
});
for (const f of samples) {
  for (const flags of [[], ["-a"], ["-m"]]) {
    checks.push({
      what: `pickletools ${[...flags, f].join(" ")}`,
      ours: pickletoolsCli ? ["node", [pickletoolsCli, ...flags, f]] : undefined,
      py: [python, ["-m", "pickletools", ...flags, f]],
    });
  }
}

let failed = 0;
for (const c of checks) {
  if (!c.ours || !existsSync(c.ours[1][0])) {
    failed++;
    console.log(
      `FAIL ${c.what}: CLI not built (${c.ours ? relative(root, c.ours[1][0]) : "no pickletools bin in @x/pickle-core"})`,
    );
    continue;
  }
  const ours = run(...c.ours);
  const py = run(...c.py);
  const a = mask(ours.out);
  const b = mask(py.out);
  if (ours.status === 0 && py.status === 0 && a === b) {
    console.log(`ok   ${c.what}`);
  } else {
    failed++;
    const why =
      ours.status !== 0
        ? `exit ${ours.status}: ${ours.err.trim()}`
        : py.status !== 0
          ? `python3 failed: ${py.err.trim().split("\n").pop()}`
          : firstDifference(a, b);
    console.log(`FAIL ${c.what}: ${why}`);
  }
}
console.log(`\n${checks.length - failed}/${checks.length} outputs identical to CPython's`);
if (failed > 0) process.exitCode = 1;
