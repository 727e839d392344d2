/**
 * Sources and the pickles API: Blob/File (async only), descriptors, bytes; the legacy format's
 * pickles longer than the first read window; `readCheckpointPickles` (what a scanner reads)
 * against Python's zipfile and pickle; plain pickles of tensors (`_load_from_bytes`).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CheckpointError,
  loadCheckpoint,
  loadCheckpointSync,
  loadsTorchPickle,
  readCheckpointPickles,
  Tensor,
} from "../src/index.js";
import {
  loadCheckpointSync as loadNodeSync,
  readCheckpointPicklesSync as picklesOfPath,
} from "../src/node/index.js";
import { compare } from "./support/compare.js";
import { type PyTensor, TORCH_HELPERS } from "./support/torch-py.js";

let py: PythonOracle;
let dir: string;

beforeAll(async () => {
  py = await startPython(["torch"]);
  await py.exec(TORCH_HELPERS);
  await py.exec(`
import pickle, zipfile
def save_wide(path, legacy):
    obj = {"k%d" % i: i for i in range(20000)}
    obj["t"] = torch.arange(5, dtype=torch.int32)
    torch.save(obj, path, _use_new_zipfile_serialization=not legacy)
def zip_pickles(path):
    z = zipfile.ZipFile(path)
    return [[n, z.read(n)] for n in z.namelist() if n.endswith(".pkl")]
def storage_bytes(path):
    return [t.storage().untyped().tolist() for t in torch.load(path).values() if isinstance(t, torch.Tensor)]
def save_script(path):
    m = torch.jit.script(torch.nn.Linear(2, 2))
    torch.jit.save(m, path)
`);
  dir = mkdtempSync(join(tmpdir(), "torch-sources-"));
});

afterAll(async () => {
  await py?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ["zip", false],
  ["legacy", true],
] as const)("%s format", (format, legacy) => {
  test("a Blob loads asynchronously; synchronous access is refused with a clear error", async () => {
    const path = join(dir, `wide-${format}.pt`);
    await py.call("save_wide", path, legacy);
    const blob = new Blob([readFileSync(path)]);
    const obj = (await loadCheckpoint(blob)) as Record<string, unknown>;
    expect(Object.keys(obj).length).toBe(20001);
    expect(obj.k19999).toBe(19999);
    const t = obj.t as Tensor;
    expect(await t.data()).toEqual(new Int32Array([0, 1, 2, 3, 4]));
    expect(t.dataSync()).toEqual(new Int32Array([0, 1, 2, 3, 4])); // loaded now: sync works
    const fresh = (await loadCheckpoint(blob)) as Record<string, Tensor>;
    expect(() => fresh.t!.dataSync()).toThrow(CheckpointError);
    expect(() => fresh.t!.dataSync()).toThrow(/only asynchronously/);
    expect(() => loadCheckpointSync(blob)).toThrow(/only asynchronously/);
  });

  test("a file descriptor source reads by position and leaves the descriptor alone", async () => {
    const path = join(dir, `dtypes-${format}.pt`);
    const expected = await py.call<PyTensor[]>("save", "dtypes", path, legacy);
    const fd = openSync(path, "r");
    try {
      compare({ object: loadNodeSync(fd) }, expected);
    } finally {
      closeSync(fd);
    }
  });

  test("readCheckpointPickles gives each pickle's bytes and the storages' bytes", async () => {
    const path = join(dir, `sd-${format}.pt`);
    await py.call("save", "state_dict", path, legacy);
    const p = picklesOfPath(path);
    expect(p.format).toBe(format);
    if (!legacy) {
      const expected = await py.call<[string, Uint8Array][]>("zip_pickles", path);
      expect(p.pickles.map((x) => [x.name, x.bytes])).toEqual(expected);
    } else {
      const file = readFileSync(path);
      expect(p.pickles.map((x) => x.name)).toEqual([
        "magic_number",
        "protocol_version",
        "sys_info",
        "data",
        "storage_keys",
      ]);
      for (const x of p.pickles)
        expect(x.bytes).toEqual(new Uint8Array(file.subarray(x.offset, x.offset + x.bytes.length)));
      // Each is one whole pickle: Python reads it and nothing is left over.
      for (const x of p.pickles.filter((q) => q.name !== "data")) {
        await py.eval("pickle.loads(b)", { b: x.bytes });
      }
    }
    const expectedStorages = await py.call<number[][]>("storage_bytes", path);
    const ours = await Promise.all(p.storageKeys.map((k) => p.storageBytes(k)));
    expect(ours.map((b) => Array.from(b)).sort()).toEqual(
      expectedStorages.map((s) => s.map((v) => v & 0xff)).sort(),
    );
    const viaBlob = await readCheckpointPickles(new Blob([readFileSync(path)]));
    expect(viaBlob.pickles.map((x) => x.bytes)).toEqual(p.pickles.map((x) => x.bytes));
  });
});

test("a TorchScript archive lists its pickles (constants.pkl, data.pkl)", async () => {
  const path = join(dir, "script.pt");
  await py.call("save_script", path);
  const names = picklesOfPath(path).pickles.map((x) => x.name.split("/").slice(1).join("/"));
  expect(names).toEqual(expect.arrayContaining(["data.pkl", "constants.pkl"]));
  expect(names.some((n) => n.endsWith(".debug_pkl"))).toBe(true);
  // Its data.pkl loads like a checkpoint's: the scripted module inert, its tensors inside.
  const { openCheckpointSync } = await import("../src/node/index.js");
  const { findTensors } = await import("../src/index.js");
  expect(findTensors(openCheckpointSync(path).object).map((f) => f.path)).toEqual([
    ".__state__['weight']",
    ".__state__['bias']",
  ]);
});

test("pickle.dumps of tensors (storages through _load_from_bytes) loads with loadsTorchPickle", async () => {
  await py.exec(`
PLAIN = {"t": torch.arange(12.0).reshape(3, 4)[:, 1:], "h": torch.arange(4).half(), "p": torch.nn.Parameter(torch.ones(2))}
`);
  const data = await py.eval<Uint8Array>("pickle.dumps(PLAIN, protocol=4)");
  const expected = await py.eval<PyTensor[]>("describe(PLAIN)");
  compare({ object: loadsTorchPickle(data) }, expected);
  expect(loadsTorchPickle(data)).toHaveProperty("t");
  expect((loadsTorchPickle(data) as { t: Tensor }).t).toBeInstanceOf(Tensor);
});
