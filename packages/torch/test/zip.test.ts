/**
 * The zip layer beyond what small torch files exercise: zip64 extra fields in local and central
 * headers (torch writes them only past 4 GB; here forced on small members), read by our reader,
 * by Python's zipfile (which checks CRCs) and by torch.load; and archive/byteorder "big" (torch
 * 2 on big-endian machines), whose storages are swapped to this machine's order.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openCheckpointSync, Storage, saveCheckpoint, Tensor } from "../src/index.js";
import { readMember } from "../src/load.js";
import { bytesSource, runSync } from "../src/source.js";
import { readZipDirectory } from "../src/zip-reader.js";
import { ZipWriter } from "../src/zip-writer.js";
import { compare } from "./support/compare.js";
import { type PyTensor, TORCH_HELPERS } from "./support/torch-py.js";

let py: PythonOracle;
let dir: string;

beforeAll(async () => {
  py = await startPython(["torch"]);
  await py.exec(TORCH_HELPERS);
  await py.exec(`
import zipfile
def zip_info(path):
    z = zipfile.ZipFile(path)
    return [z.testzip(), [[i.filename, i.file_size, len(i.extra)] for i in z.infolist()]]
`);
  dir = mkdtempSync(join(tmpdir(), "torch-zip-"));
});

afterAll(async () => {
  await py?.close();
  rmSync(dir, { recursive: true, force: true });
});

function members(file: Uint8Array): [string, Uint8Array][] {
  const src = bytesSource(file);
  return runSync(readZipDirectory(src), src).map((e) => [e.name, runSync(readMember(src, e), src)]);
}

function rezip(list: [string, Uint8Array][], zip64From?: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new ZipWriter((c) => chunks.push(c), zip64From);
  for (const [n, d] of list) w.add(n, d);
  w.finish();
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const sample = () => {
  const s = Storage.fromBytes(new Uint8Array(new Float64Array([1.5, -2, 3.25, 4, 5, 6]).buffer), "float64");
  return {
    m: new Tensor(s, 0, [2, 3], [3, 1]),
    t: new Tensor(s, 0, [3, 2], [1, 3]),
    i: Tensor.from(new Int16Array([1, -2, 300])),
    c: Tensor.from(new Float32Array([1, 2, 3, 4]), { dtype: "complex64" }),
  };
};

test("zip64 fields everywhere are read here, by zipfile and by torch.load", async () => {
  const obj = sample();
  const file = rezip(members(saveCheckpoint(obj)), 0);
  const path = join(dir, "zip64.pt");
  writeFileSync(path, file);
  const [bad, infos] = await py.call<[null, [string, number, number][]]>("zip_info", path);
  expect(bad).toBeNull();
  expect(infos.every(([, , extra]) => extra > 0)).toBe(true);
  compare(openCheckpointSync(file), await py.call<PyTensor[]>("describe_file", path));
  compare({ object: obj }, await py.call<PyTensor[]>("describe_file", path));
});

test("a big-endian archive's storages are swapped to this machine's order", () => {
  const obj = sample();
  const list = members(saveCheckpoint(obj)).map(([name, data]): [string, Uint8Array] => {
    if (name.endsWith("/byteorder")) return [name, new TextEncoder().encode("big")];
    const m = /\/data\/(\d+)$/.exec(name);
    if (!m) return [name, data];
    // storage 0 is float64 (8-byte scalars), 1 int16, 2 complex64 (4-byte parts)
    const width = [8, 2, 4][Number(m[1])]!;
    const swapped = data.slice();
    for (let i = 0; i < swapped.length; i += width) swapped.subarray(i, i + width).reverse();
    return [name, swapped];
  });
  const loaded = openCheckpointSync(rezip(list)).object as typeof obj;
  expect(openCheckpointSync(rezip(list)).byteOrder).toBe("big");
  expect(loaded.t.dataSync()).toEqual(new Float64Array([1.5, 4, -2, 5, 3.25, 6]));
  expect(loaded.i.dataSync()).toEqual(new Int16Array([1, -2, 300]));
  expect(loaded.c.dataSync()).toEqual(new Float32Array([1, 2, 3, 4]));
});
