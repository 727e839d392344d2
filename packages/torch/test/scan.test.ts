/**
 * `scanCheckpoint` and `torch-pickle --scan`: every pickle of a checkpoint scanned with
 * @x/pickle-io's `scan`. Checkpoints torch writes are never graded unknown or dangerous; a
 * checkpoint whose `data.pkl` calls `os.system` (re-zipped by Python's zipfile, so the
 * archive is otherwise torch's own) is dangerous, in both formats and from the CLI.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { scanCheckpoint, scanCheckpointSync } from "../src/index.js";
import { scanCheckpointSync as scanFileSync } from "../src/node/index.js";
import { TORCH_HELPERS } from "./support/torch-py.js";

const BIN = fileURLToPath(new URL("../dist/cli/torch-pickle.js", import.meta.url));
let py: PythonOracle;
let dir: string;

beforeAll(async () => {
  py = await startPython(["torch"]);
  await py.exec(TORCH_HELPERS);
  await py.exec(`
import zipfile, pickle, os
class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))
def poison_zip(src, dst):
    # torch's own archive with data.pkl replaced by a pickle that calls os.system
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith("/data.pkl"):
                data = pickle.dumps({"weights": Evil()}, 2)
            zout.writestr(info, data)
def poison_legacy(dst):
    # the legacy layout: magic number, protocol, sys_info, then the object pickle
    import torch.serialization as ts
    with open(dst, "wb") as f:
        for part in (ts.MAGIC_NUMBER, ts.PROTOCOL_VERSION, {"protocol_version": 1001, "little_endian": True, "type_sizes": {"short": 2, "int": 4, "long": 4}}):
            pickle.dump(part, f, 2)
        pickle.dump(Evil(), f, 2)
        pickle.dump([], f, 2)
`);
  dir = mkdtempSync(join(tmpdir(), "torch-scan-"));
}, 120_000);

afterAll(async () => {
  await py?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

test("checkpoints torch writes scan as safe or known, in both formats, sync and async", async () => {
  for (const legacy of [false, true]) {
    const path = join(dir, `grad-${legacy}.pt`);
    await py.call("save", "grad", path, legacy);
    const bytes = new Uint8Array(readFileSync(path));
    for (const r of [scanCheckpointSync(bytes), await scanCheckpoint(bytes), scanFileSync(path)]) {
      expect(r.format).toBe(legacy ? "legacy" : "zip");
      expect(r.pickles.length).toBeGreaterThan(0);
      expect(["safe", "known"]).toContain(r.verdict);
      for (const p of r.pickles) expect(p.report.error, p.name).toBeNull();
      const names = r.pickles.flatMap((p) => p.report.globals.map((g) => `${g.module}.${g.name}`));
      expect(names).toContain("torch._utils._rebuild_tensor_v2");
    }
    const cli = run("--scan", path);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(legacy ? "(legacy format)" : "(zip format)");
  }
});

test("a checkpoint whose pickle calls os.system is dangerous (exit 2), in both formats", async () => {
  const clean = join(dir, "clean.pt");
  await py.call("save", "grad", clean, false);
  const zipped = join(dir, "evil-zip.pt");
  await py.call("poison_zip", clean, zipped);
  const legacy = join(dir, "evil-legacy.pt");
  await py.call("poison_legacy", legacy);
  for (const path of [zipped, legacy]) {
    const r = scanFileSync(path);
    expect(r.verdict, path).toBe("dangerous");
    const hits = r.pickles.flatMap((p) => p.report.globals.filter((g) => g.verdict === "dangerous"));
    expect(hits.map((g) => `${g.module}.${g.name}`)).toContain("posix.system");
    const cli = run("--scan", path);
    expect(cli.status).toBe(2);
    expect(cli.stdout).toContain("posix.system");
    const json = run("--scan", "--json", path);
    expect(json.status).toBe(2);
    const parsed = JSON.parse(json.stdout) as { file: string; verdict: string }[];
    expect(parsed[0]?.verdict).toBe("dangerous");
  }
});

test("an unreadable file exits 3", () => {
  const r = run("--scan", join(dir, "missing.pt"));
  expect(r.status).toBe(3);
});
