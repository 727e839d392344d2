/**
 * Checkpoints written by torch 1.13 (Debian's python3-torch), in both formats, loaded here and
 * compared tensor by tensor with what torch.load gives: dtype, shape, stride, offset,
 * requires_grad, Parameter-ness, storage sharing, and every element's bytes.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PyOrderedDict } from "@x/pickle-io";
import { isPyInstance, PyGlobal } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { float16ToFloat32, openCheckpoint, openCheckpointSync, Tensor } from "../src/index.js";
import { openCheckpointSync as openPathSync } from "../src/node/index.js";
import { findTensors } from "../src/walk.js";
import { compare } from "./support/compare.js";
import { type PyTensor, TORCH_HELPERS } from "./support/torch-py.js";

let py: PythonOracle;
let dir: string;

beforeAll(async () => {
  py = await startPython(["torch"]);
  await py.exec(TORCH_HELPERS);
  dir = mkdtempSync(join(tmpdir(), "torch-load-"));
});

afterAll(async () => {
  await py?.close();
  rmSync(dir, { recursive: true, force: true });
});

const KINDS = ["dtypes", "state_dict", "model", "views", "grad"] as const;

describe.each([
  ["zip", false],
  ["legacy", true],
] as const)("%s format", (format, legacy) => {
  test.each(KINDS)("%s: every tensor as torch.load has it", async (kind) => {
    const path = join(dir, `${kind}-${format}.pt`);
    const expected = await py.call<PyTensor[]>("save", kind, path, legacy);
    expect(expected.length).toBeGreaterThan(0);
    const fromPath = openPathSync(path);
    expect(fromPath.format).toBe(format);
    compare(fromPath, expected);
    compare(openCheckpointSync(readFileSync(path)), expected);
    // The async path over a Blob reads the same.
    const viaBlob = await openCheckpoint(new Blob([readFileSync(path)]));
    const found = findTensors(viaBlob.object);
    expect(found.length).toBe(expected.length);
    for (const [i, { tensor }] of found.entries()) {
      const d = await tensor.data();
      expect(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).toEqual(expected[i]!.bytes);
    }
  });

  test("a state dict is a PyOrderedDict in torch's key order, with its _metadata", async () => {
    const path = join(dir, `sd-order-${format}.pt`);
    await py.call("save", "state_dict", path, legacy);
    const keys = await py.eval<string[]>("list(torch.load(p).keys())", { p: path });
    const sd = openPathSync(path).object;
    expect(sd).toBeInstanceOf(PyOrderedDict);
    const entries = (sd as PyOrderedDict).entries();
    expect(entries.map(([k]) => k)).toEqual(keys);
    expect(entries.every(([, v]) => v instanceof Tensor)).toBe(true);
    const meta = await py.eval<string[]>("list(torch.load(p)._metadata.keys())", { p: path });
    const state = (sd as PyOrderedDict).state as Record<string, unknown>;
    expect((state._metadata as PyOrderedDict).entries().map(([k]) => k)).toEqual(meta);
  });

  test("a whole model loads as inert data with its tensors inside", async () => {
    const path = join(dir, `model-${format}.pt`);
    await py.call("save", "model", path, legacy);
    const model = openPathSync(path).object;
    expect(isPyInstance(model)).toBe(true);
    if (!isPyInstance(model)) return;
    expect(model.cls).toEqual(new PyGlobal("torch.nn.modules.container", "Sequential"));
    const weights = findTensors(model).filter((f) => f.tensor.isParameter);
    expect(weights.length).toBe(await py.eval<number>("len(list(torch.load(p).parameters()))", { p: path }));
  });

  test("torch.Size loads as its sizes; shared storages share memory", async () => {
    const path = join(dir, `grad-${format}.pt`);
    await py.call("save", "grad", path, legacy);
    expect((openPathSync(path).object as Record<string, unknown>).size).toEqual([2, 3]);
    const vpath = join(dir, `views2-${format}.pt`);
    await py.call("save", "views", vpath, legacy);
    const v = openPathSync(vpath).object as Record<string, Tensor>;
    const row = v.row!.dataSync() as Float32Array;
    const base = v.base!.dataSync() as Float32Array;
    expect(row.buffer).toBe(base.buffer); // both views of one storage's memory
    row[0] = -1;
    expect(base[20]).toBe(-1);
    expect(v.transposed!.isContiguous()).toBe(false);
    expect(v.row!.isContiguous()).toBe(true);
    expect(float16ToFloat32(v.half_view!.dataSync() as Uint16Array)).toEqual(
      Float32Array.from({ length: 19 }, (_, i) => i + 5),
    );
  });
});
