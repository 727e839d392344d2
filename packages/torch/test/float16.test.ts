/**
 * float16/bfloat16 converters against numpy and torch: every one of the 65,536 half bit
 * patterns to float32, and float32 → half/bfloat16 rounding on values chosen to hit ties,
 * subnormals, overflow and the exponent carry.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from "../src/index.js";

let py: PythonOracle;

beforeAll(async () => {
  py = await startPython(["torch"]);
  await py.exec("import numpy as np, torch");
});

afterAll(async () => {
  await py?.close();
});

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);

/** float32 values as their bits, with every NaN as one pattern (payloads differ between libraries). */
function bits(f: Float32Array): Uint32Array {
  const u = new Uint32Array(f.length);
  const view = new Uint32Array(f.buffer, f.byteOffset, f.length);
  for (let i = 0; i < f.length; i++) u[i] = Number.isNaN(f[i]) ? 0x7fc00000 : view[i]!;
  return u;
}

function asF32(b: Uint8Array): Float32Array {
  return new Float32Array(b.slice().buffer);
}

/** Probes: powers of two and their neighbours, halfway points, random values. */
function probes(): Float32Array {
  const out: number[] = [
    0,
    -0,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    65504,
    65519.99,
    65520,
    1e-8,
    5.96e-8,
    2.98e-8,
    2.99e-8,
  ];
  for (let e = -30; e <= 17; e++) {
    const p = 2 ** e;
    for (const m of [
      1,
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      1 + 2 ** -10,
      1.5,
      2 - 2 ** -11,
      1 + 2 ** -8,
      1 + 3 * 2 ** -8,
    ]) {
      out.push(p * m, -p * m);
    }
  }
  let x = 7;
  for (let i = 0; i < 5000; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(((x / 2 ** 32) * 2 - 1) * 2 ** ((x % 40) - 20));
  }
  return Float32Array.from(out);
}

test("every float16 bit pattern converts as numpy's astype(float32)", async () => {
  const expected = await py.eval<Uint8Array>(
    "np.arange(65536, dtype=np.uint16).view(np.float16).astype(np.float32).tobytes()",
  );
  expect(bits(float16ToFloat32(ALL))).toEqual(bits(asF32(expected)));
});

test("every bfloat16 bit pattern converts as torch's .float()", async () => {
  const expected = await py.eval<Uint8Array>(
    "torch.arange(65536, dtype=torch.int32).to(torch.int16).view(torch.bfloat16).float().numpy().tobytes()",
  );
  expect(bits(bfloat16ToFloat32(ALL))).toEqual(bits(asF32(expected)));
});

test("float32 → float16 rounds as numpy; float32 → bfloat16 as torch", async () => {
  const values = probes();
  const raw = new Uint8Array(values.buffer);
  const half = await py.eval<Uint8Array>("np.frombuffer(b, np.float32).astype(np.float16).tobytes()", {
    b: raw,
  });
  const nan16 = (u: Uint16Array) => Array.from(u, (h) => ((h & 0x7c00) === 0x7c00 && h & 0x3ff ? -1 : h));
  expect(nan16(float32ToFloat16(values))).toEqual(nan16(new Uint16Array(half.slice().buffer)));
  const bf = await py.eval<Uint8Array>(
    "torch.from_numpy(np.frombuffer(b, np.float32).copy()).to(torch.bfloat16).view(torch.int16).numpy().tobytes()",
    { b: raw },
  );
  const nanBf = (u: Uint16Array) => Array.from(u, (h) => ((h & 0x7f80) === 0x7f80 && h & 0x7f ? -1 : h));
  expect(nanBf(float32ToBfloat16(values))).toEqual(nanBf(new Uint16Array(bf.slice().buffer)));
});
