/**
 * The `torch-pickle` command on checkpoints torch wrote: prints the object (Python's repr, with
 * tensors summarized) and one line per tensor; never imports what the file names; errors are
 * one line on stderr with exit status 1.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { TORCH_HELPERS } from "./support/torch-py.js";

const BIN = fileURLToPath(new URL("../dist/cli/torch-pickle.js", import.meta.url));
let py: PythonOracle;
let dir: string;

beforeAll(async () => {
  py = await startPython(["torch"]);
  await py.exec(TORCH_HELPERS);
  dir = mkdtempSync(join(tmpdir(), "torch-cli-"));
});

afterAll(async () => {
  await py?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

test("prints the object and a line per tensor, for both formats", async () => {
  for (const legacy of [false, true]) {
    const path = join(dir, `grad-${legacy}.pt`);
    await py.call("save", "grad", path, legacy);
    const r = run(path);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("'plain': <tensor dtype=torch.float32 shape=(2,)>");
    expect(r.stdout).toContain("'p': <Parameter dtype=torch.float32 shape=(2,) requires_grad=True>");
    expect(r.stdout).toContain("'size': [2, 3]");
    expect(r.stdout).toMatch(
      /^\['w'\]\tfloat32\t\(3, 2\)\tstride \(2, 1\)\tstorage '\w+' offset 0\trequires_grad$/m,
    );
    expect(r.stdout).toContain(`4 tensors, 4 storages (${legacy ? "legacy" : "zip"} format)`);
    const only = run("--tensors", path);
    expect(only.stdout.trim().split("\n")).toHaveLength(4);
  }
});

test("errors: one line on stderr, exit 1; bad usage exits 2", () => {
  const junk = join(dir, "junk.pt");
  writeFileSync(junk, "not a checkpoint");
  const r = run(junk);
  expect(r.status).toBe(1);
  expect(r.stderr).toBe(
    `${junk}: CheckpointError: not a torch checkpoint (neither a zip archive nor a pickle)\n`,
  );
  expect(run("--bogus").status).toBe(2);
  expect(run().status).toBe(2);
});
