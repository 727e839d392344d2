/**
 * saveCheckpoint writes what torch.load (torch 1.13) reads: tensors built in JS of every dtype,
 * views sharing a storage with offsets and strides, parameters and requires_grad, state dicts;
 * and torch-written checkpoints of both formats, loaded here and saved again, read back by
 * torch with every tensor (values, layout, sharing) as it was.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PyOrderedDict } from "@x/pickle-io";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  DTYPES,
  type DType,
  float32ToBfloat16,
  float32ToFloat16,
  openCheckpointSync,
  Storage,
  saveCheckpoint,
  Tensor,
  type TensorData,
} from "../src/index.js";
import { openCheckpointSync as openPathSync, saveCheckpointFile } from "../src/node/index.js";
import { compare } from "./support/compare.js";
import { type PyTensor, TORCH_HELPERS } from "./support/torch-py.js";

let py: PythonOracle;
let dir: string;

beforeAll(async () => {
  py = await startPython(["torch"]);
  await py.exec(TORCH_HELPERS);
  dir = mkdtempSync(join(tmpdir(), "torch-save-"));
});

afterAll(async () => {
  await py?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Deterministic pseudo-random bytes. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function values(dtype: DType, n: number, seed: number): TensorData {
  const info = DTYPES.get(dtype)!;
  if (dtype === "bool") return noise(n, seed).map((b) => b & 1);
  if (dtype === "float16")
    return float32ToFloat16(Float32Array.from({ length: n }, (_, i) => (i - 3) * 1.7 + seed));
  if (dtype === "bfloat16")
    return float32ToBfloat16(Float32Array.from({ length: n }, (_, i) => (i - 3) * 1.7 + seed));
  if (dtype.startsWith("float") || dtype.startsWith("complex")) {
    const f = new info.array(n * info.lanes) as Float32Array;
    for (let i = 0; i < f.length; i++) f[i] = (i - 5) * 0.37 + seed;
    return f;
  }
  const raw = noise(n * info.itemSize, seed);
  return new info.array(raw.buffer, 0, n);
}

async function torchSees(path: string): Promise<PyTensor[]> {
  return py.call<PyTensor[]>("describe_file", path);
}

const SAVED_DTYPES: DType[] = [
  "bool",
  "uint8",
  "int8",
  "int16",
  "int32",
  "int64",
  "float16",
  "bfloat16",
  "float32",
  "float64",
  "complex64",
  "complex128",
];

test("tensors of every dtype built in JS load in torch with the same values", async () => {
  const obj: Record<string, Tensor> = {};
  for (const [i, dtype] of SAVED_DTYPES.entries())
    obj[dtype] = Tensor.from(values(dtype, 6, i), { dtype, shape: [2, 3] });
  const path = join(dir, "dtypes.pt");
  writeFileSync(path, saveCheckpoint(obj));
  compare({ object: obj }, await torchSees(path));
  expect(await py.eval("sorted(str(v.dtype) for v in torch.load(p).values())", { p: path })).toEqual(
    SAVED_DTYPES.map((d) => `torch.${d}`).sort(),
  );
});

test("views sharing one storage stay shared in torch, with their offsets and strides", async () => {
  const storage = Storage.fromBytes(
    new Uint8Array(new Float32Array(Array.from({ length: 24 }, (_, i) => i)).buffer),
    "float32",
  );
  const base = new Tensor(storage, 0, [4, 6], [6, 1]);
  const obj = {
    base,
    transposed: new Tensor(storage, 0, [6, 4], [1, 6]),
    window: new Tensor(storage, 7, [2, 2], [6, 2]),
    tail: new Tensor(storage, 20, [4], [1]),
    scalar: new Tensor(storage, 5, [], []),
    list: [base, new Tensor(storage, 1, [3], [8])],
  };
  const path = join(dir, "views.pt");
  saveCheckpointFile(obj, path);
  const seen = await torchSees(path);
  compare({ object: obj }, seen);
  expect(new Set(seen.map((t) => t.storage)).size).toBe(1);
  expect(await py.eval("torch.load(p)['transposed'].is_contiguous()", { p: path })).toBe(false);
  // torch 1.13 does not check CRCs; Python's zipfile does, and every member's data is 64-byte aligned.
  await py.exec(`
import zipfile, struct
def zip_check(path):
    z = zipfile.ZipFile(path)
    raw = open(path, "rb").read()
    offsets = []
    for i in z.infolist():
        n, e = struct.unpack("<HH", raw[i.header_offset + 26:i.header_offset + 30])
        offsets.append((i.header_offset + 30 + n + e) % 64)
    return [z.testzip(), [i.compress_type for i in z.infolist()], offsets, z.namelist()]
`);
  expect(await py.call("zip_check", path)).toEqual([
    null,
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    ["archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/version"],
  ]);
});

test("parameters, requires_grad and OrderedDict state dicts come back as torch types", async () => {
  const w = Tensor.from(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
  const sd = new PyOrderedDict([
    ["fc.weight", w.withParameter(true, true)],
    ["fc.bias", Tensor.from(new Float32Array([0.5, -0.5])).withParameter(true, false)],
    ["grad", Tensor.from(new Float64Array([1]), { requiresGrad: true })],
    ["steps", Tensor.from(new BigInt64Array([7n]), { shape: [] })],
  ]);
  const path = join(dir, "sd.pt");
  writeFileSync(path, saveCheckpoint(sd, { archiveName: "sd" }));
  compare({ object: sd }, await torchSees(path));
  expect(await py.eval("type(torch.load(p)).__name__", { p: path })).toBe("OrderedDict");
  expect(await py.eval("list(torch.load(p).keys())", { p: path })).toEqual([
    "fc.weight",
    "fc.bias",
    "grad",
    "steps",
  ]);
  expect(await py.eval("type(torch.load(p)['fc.weight']).__name__", { p: path })).toBe("Parameter");
  // torch.load's result loads here too, the same.
  compare(openPathSync(path), await torchSees(path));
});

describe.each([
  ["zip", false],
  ["legacy", true],
] as const)("torch-written %s checkpoints saved again", (format, legacy) => {
  test.each(["dtypes", "state_dict", "model", "views", "grad"])("%s", async (kind) => {
    const src = join(dir, `${kind}-${format}-src.pt`);
    const original = await py.call<PyTensor[]>("save", kind, src, legacy);
    const again = join(dir, `${kind}-${format}-again.pt`);
    writeFileSync(again, saveCheckpoint(openPathSync(src).object));
    const reread = await torchSees(again);
    // Same tensors, layout and bytes; storages shared exactly where they were.
    const strip = (ts: PyTensor[]) => ts.map(({ storage: _, ...rest }) => rest);
    expect(strip(reread)).toEqual(strip(original));
    const groups = (ts: PyTensor[]) => ts.map((t) => ts.findIndex((u) => u.storage === t.storage));
    expect(groups(reread)).toEqual(groups(original));
    // And our own reader agrees with torch on what we wrote.
    compare(openCheckpointSync(saveCheckpoint(openPathSync(src).object)), original);
  });
});
