// Runs one input at a time in a worker with a deadline and a heap limit: a hang or an OOM
// kills only the worker, which is replaced, and becomes a finding.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FINDINGS = join(ROOT, "corpus", "findings");

/** Per-input budgets: wall time for all targets of one input, and the worker's heap. */
export const DEFAULT_BUDGET = { timeMs: 5000, heapMb: 512 };

export class Harness {
  constructor(budget = DEFAULT_BUDGET) {
    this.budget = budget;
    this.worker = undefined;
    this.nextId = 1;
  }

  /** A fresh worker, once it has loaded the library (startup is not charged to an input). */
  spawn() {
    const worker = new Worker(new URL("./worker.mjs", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.budget.heapMb, stackSizeMb: 4 },
    });
    worker.unref();
    return new Promise((resolve, reject) => {
      const onReady = (m) => {
        if (m?.ready !== true) return;
        worker.off("message", onReady);
        worker.off("error", reject);
        resolve(worker);
      };
      worker.on("message", onReady);
      worker.once("error", reject);
    });
  }

  /** Runs `data` on every target of `kind`; resolves to the list of problems (empty: fine). */
  async run(kind, data) {
    this.worker ??= await this.spawn();
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (problems, kill) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (kill) {
          this.worker = undefined;
          void worker.terminate();
        }
        resolve(problems);
      };
      let at = "*"; // the target running, for hangs and crashes
      const onMessage = (m) => {
        if (m.id !== id) return;
        if (m.at !== undefined) at = m.at;
        else finish(m.problems, false);
      };
      const onError = (e) =>
        finish(
          [
            {
              target: at,
              kind: e?.code === "ERR_WORKER_OUT_OF_MEMORY" ? "oom" : "worker-crash",
              error: String(e?.message ?? e).slice(0, 300),
            },
          ],
          true,
        );
      const onExit = (code) => finish([{ target: at, kind: "worker-exit", error: `exit ${code}` }], true);
      const timer = setTimeout(
        () =>
          finish([{ target: at, kind: "hang", error: `no result within ${this.budget.timeMs} ms` }], true),
        this.budget.timeMs,
      );
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      const copy = data.slice();
      worker.postMessage({ id, kind, data: copy.buffer }, [copy.buffer]);
    });
  }

  async close() {
    if (this.worker !== undefined) await this.worker.terminate();
    this.worker = undefined;
  }
}

/** Saves a finding (input + metadata) under corpus/findings, named by the input's hash. */
export function saveFinding(kind, data, problems, status = "open") {
  mkdirSync(FINDINGS, { recursive: true });
  const hash = createHash("sha256").update(data).digest("hex").slice(0, 16);
  const name = `${kind}-${problems[0]?.kind ?? "x"}-${hash}`;
  writeFileSync(join(FINDINGS, `${name}.bin`), data);
  writeFileSync(
    join(FINDINGS, `${name}.json`),
    `${JSON.stringify({ kind, status, problems: problems.map(({ stack, ...p }) => p), stack: problems[0]?.stack ?? "" }, null, 2)}\n`,
  );
  return name;
}

/** The saved findings: { name, kind, status, data, problems }. */
export function loadFindings() {
  let files;
  try {
    files = readdirSync(FINDINGS);
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const meta = JSON.parse(readFileSync(join(FINDINGS, f), "utf8"));
      const name = f.slice(0, -5);
      return { name, ...meta, data: new Uint8Array(readFileSync(join(FINDINGS, `${name}.bin`))) };
    });
}

/** Seed inputs: CPython pickles (every protocol) and JSON documents, from seeds/. */
export function loadSeeds() {
  const out = { pickle: [], json: [] };
  for (const kind of ["pickle", "json"]) {
    const dir = join(ROOT, "seeds", kind);
    for (const f of readdirSync(dir).sort()) out[kind].push(new Uint8Array(readFileSync(join(dir, f))));
  }
  return out;
}
