/**
 * Sources and the pickles API: Blob/File (async only), descriptors, bytes; the legacy format's
 * pickles longer than the first read window; `readCheckpointPickles` (what a scanner reads)
 * against Python's zipfile and pickle; plain pickles of tensors (`_load_from_bytes`).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  readCheckpointPicklesSync as readPicklesBytesSync,
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
    return [[n, z.read(n)] for n in z.namelist() if n.endswith(".pkl") or n.endswith(".debug_pkl")]
def rezip_deflated(src, dst, bomb=False):
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for i in a.infolist():
            data = a.read(i.filename)
            if i.filename.endswith("data.pkl") and bomb:
                data = data + bytes(1000000)
            b.writestr(i.filename, data, zipfile.ZIP_DEFLATED if i.filename.endswith(".pkl") else zipfile.ZIP_STORED)

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
  // torch deflates the .debug_pkl members: they are inflated (node:zlib sync, DecompressionStream async).
  const expected = await py.call<[string, Uint8Array][]>("zip_pickles", path);
  const sync = picklesOfPath(path).pickles;
  expect(sync.some((p) => p.compressed)).toBe(true);
  expect(sync.map((p) => [p.name, p.bytes]).sort()).toEqual(expected.sort());
  const async = (await readCheckpointPickles(new Blob([readFileSync(path)]))).pickles;
  expect(async.map((p) => [p.name, p.bytes]).sort()).toEqual(expected.sort());
  // The main entry's sync reader has no inflater: it says so.
  expect(() => readPicklesBytesSync(readFileSync(path))).toThrow(/is compressed: read it asynchronously/);
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

test("a re-zipped checkpoint with a deflated data.pkl: scanned, refused by the lazy loader; a deflate bomb is caught", async () => {
  const src = join(dir, "rezip-src.pt");
  await py.call("save", "grad", src, false);
  const deflated = join(dir, "rezip.pt");
  await py.call("rezip_deflated", src, deflated);
  const expected = await py.call<[string, Uint8Array][]>("zip_pickles", deflated);
  expect(picklesOfPath(deflated).pickles.map((p) => [p.name, p.bytes])).toEqual(expected);
  expect(() => loadNodeSync(deflated)).toThrow(/is compressed \(method 8\)/);
  // The member declares its true size; its deflate data is truncated: an error, not a short pickle.
  const file = new Uint8Array(readFileSync(deflated));
  const bad = join(dir, "bad-deflate.pt");
  await py.call("rezip_deflated", src, bad, true);
  const bomb = new Uint8Array(readFileSync(bad));
  const p = picklesOfPath(bad).pickles.find((q) => q.name.endsWith("data.pkl"))!;
  expect(p.bytes.length).toBeGreaterThan(1000000); // declared and inflated sizes agree: fine
  // Shrink the declared size in the central directory: inflating past it is refused.
  const cd = Buffer.from(bomb).lastIndexOf(Buffer.from("PK\x01\x02"));
  const first = Buffer.from(bomb).indexOf(Buffer.from("PK\x01\x02"));
  expect(cd).toBeGreaterThan(0);
  new DataView(bomb.buffer, bomb.byteOffset).setUint32(first + 24, 100, true);
  const shrunk = join(dir, "shrunk.pt");
  writeFileSync(shrunk, bomb);
  expect(() => picklesOfPath(shrunk)).toThrow(CheckpointError);
  await expect(readCheckpointPickles(new Blob([bomb]))).rejects.toThrow(/inflates to more than 100 bytes/);
  expect(file.length).toBeGreaterThan(0);
});
