import { expect } from "vitest";
import type { Tensor } from "../../src/index.js";
import { findTensors } from "../../src/walk.js";
import type { PyTensor } from "./torch-py.js";

export function bytesOf(t: Tensor): Uint8Array {
  const d = t.dataSync();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Compares every tensor JS found with Python's description, in order. */
export function compare(ckpt: { readonly object: unknown }, expected: PyTensor[]): void {
  const found = findTensors(ckpt.object);
  expect(found.map((f) => f.path)).toEqual(expected.map((e) => e.path));
  const storageOf = new Map<number, unknown>();
  for (const [i, { tensor: t }] of found.entries()) {
    const e = expected[i]!;
    expect({ dtype: t.dtype, shape: t.shape, stride: t.stride, offset: t.storageOffset }).toEqual({
      dtype: e.dtype,
      shape: e.shape,
      stride: e.stride,
      offset: e.offset,
    });
    expect(t.requiresGrad).toBe(e.requires_grad);
    expect(t.isParameter).toBe(e.parameter);
    expect(bytesOf(t)).toEqual(e.bytes);
    // Tensors over one storage in torch share one Storage here, and only those.
    if (e.storage !== -1) {
      const known = storageOf.get(e.storage);
      if (known === undefined) storageOf.set(e.storage, t.storage);
      else expect(t.storage).toBe(known);
    }
  }
  expect(new Set(storageOf.values()).size).toBe(storageOf.size);
}
