// Python-backed mode (`pnpm --filter @x/fuzz differential`, needs python3): mutated pickles
// loaded by CPython (restricted, see scripts/cpython-load.py) and here; where CPython loads an
// input, this library must load it too and print the same repr. Mismatches are printed, not
// saved under corpus/differential (input + both reprs) for a person to read: some are expected
// differences of the inert model, others bugs to file.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loads } from "@x/pickle-io";
import { pyRepr } from "@x/pyobject";
import { loadSeeds, ROOT } from "./harness.mjs";
import { mutate, Rng } from "./mutate.mjs";

const count = Number(process.env.FUZZ_DIFF_INPUTS ?? 2000);
const rng = new Rng(Number(process.env.FUZZ_SEED ?? 99));
const seeds = loadSeeds().pickle;
const inputs = [...seeds];
while (inputs.length < count) {
  let d = rng.pick(seeds);
  for (let i = 1 + rng.int(3); i > 0; i--) d = mutate(rng, d, rng.pick(seeds));
  if (d.length < 1 << 16) inputs.push(d);
}
const py = spawn(process.env.PYTHON ?? "python3", [join(ROOT, "scripts", "cpython-load.py")], {
  stdio: ["pipe", "pipe", "inherit"],
});
const lines = createInterface({ input: py.stdout });
const results = [];
lines.on("line", (l) => results.push(JSON.parse(l)));
for (const d of inputs) {
  const head = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, d.length, true);
  py.stdin.write(head);
  py.stdin.write(d);
}
py.stdin.end();
await new Promise((r) => py.on("close", r));
let compared = 0;
let mismatches = 0;
inputs.forEach((d, i) => {
  const theirs = results[i];
  if (theirs?.ok === undefined) return;
  compared++;
  let ours;
  try {
    ours = pyRepr(loads(d, { model: "faithful" }));
  } catch (e) {
    ours = `<${e?.name}: ${e?.message}>`;
  }
  if (ours !== theirs.ok) {
    mismatches++;
    const dir = join(ROOT, "corpus", "differential");
    mkdirSync(dir, { recursive: true });
    const name = createHash("sha256").update(d).digest("hex").slice(0, 16);
    writeFileSync(join(dir, `${name}.bin`), d);
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ cpython: theirs.ok, ours }, null, 2)}\n`);
    if (mismatches <= 20)
      console.log(
        `#${i} ${Buffer.from(d).toString("hex").slice(0, 120)}\n  CPython: ${theirs.ok.slice(0, 200)}\n  ours:    ${ours.slice(0, 200)}`,
      );
  }
});
console.log(
  `${inputs.length} inputs, ${results.length} answered by CPython, ${compared} loaded by CPython, ${mismatches} mismatches`,
);
