/**
 * Lazy loading keeps memory small: a checkpoint of a few hundred MB (written by torch, both
 * formats; TORCH_MEMORY_TEST_MB sets the size, default 384) is opened from a path in a fresh
 * Node process, which reports its RSS and heap before, after loading, after touching a small
 * tensor, and after touching the big one. Loading and touching the small tensor must stay
 * under 40 MB of growth; touching the big tensor must then cost about its size (proving the
 * measurement sees storage reads at all).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.TORCH_MEMORY_TEST_MB ?? 384);
const cwd = fileURLToPath(new URL("..", import.meta.url));

let py: PythonOracle;
let dir: string;

beforeAll(async () => {
  py = await startPython(["torch"]);
  dir = mkdtempSync(join(tmpdir(), "torch-memory-"));
  await py.exec(`
import torch
def write_big(path, n, legacy):
    # torch.empty: the pages are never written, so this Python process stays small too.
    obj = {"big": torch.empty(n, dtype=torch.float32), "small": torch.arange(10.0),
           "many": [torch.full((256,), float(i)) for i in range(300)]}
    torch.save(obj, path, _use_new_zipfile_serialization=not legacy)
`);
});

afterAll(async () => {
  await py?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs in a fresh node with --expose-gc; prints the four measurements as JSON. */
const PROBE = `
import { openCheckpointSync, openCheckpoint } from "@x/torch/node";
const [path, mode] = process.argv.slice(1);
const m = () => { globalThis.gc(); const u = process.memoryUsage(); return { rss: u.rss, heap: u.heapUsed, external: u.arrayBuffers }; };
const before = m();
const ckpt = mode === "async" ? await openCheckpoint(path) : openCheckpointSync(path);
const loaded = m();
const small = mode === "async" ? await ckpt.object.small.data() : ckpt.object.small.dataSync();
const touchedSmall = m();
const big = mode === "async" ? await ckpt.object.big.data() : ckpt.object.big.dataSync();
const touchedBig = m();
console.log(JSON.stringify({ before, loaded, touchedSmall, touchedBig, n: small.length + big.length }));
`;

interface Usage {
  rss: number;
  heap: number;
  external: number;
}

describe.each([
  ["zip", false],
  ["legacy", true],
] as const)("%s format", (format, legacy) => {
  test.each(["sync", "async"])(
    "a %s load from a path reads only what it needs",
    async (mode) => {
      const path = join(dir, `big-${format}.pt`);
      const n = Math.floor((SIZE_MB * MB) / 4);
      try {
        statSync(path);
      } catch {
        await py.call("write_big", path, n, legacy);
      }
      const size = statSync(path).size;
      expect(size).toBeGreaterThan(SIZE_MB * MB);
      const out = execFileSync(
        process.execPath,
        ["--expose-gc", "--input-type=module", "-e", PROBE, path, mode],
        {
          cwd,
          encoding: "utf8",
          maxBuffer: 1 << 20,
        },
      );
      const r = JSON.parse(out) as Record<"before" | "loaded" | "touchedSmall" | "touchedBig", Usage> & {
        n: number;
      };
      const grow = (u: Usage) => ({
        rss: (u.rss - r.before.rss) / MB,
        heap: (u.heap - r.before.heap) / MB,
        external: (u.external - r.before.external) / MB,
      });
      const loaded = grow(r.loaded);
      const small = grow(r.touchedSmall);
      const big = grow(r.touchedBig);
      console.log(
        `${format} ${mode}, file ${(size / MB).toFixed(0)} MB: growth after load rss ${loaded.rss.toFixed(1)} MB heap ${loaded.heap.toFixed(1)} MB; after small tensor rss ${small.rss.toFixed(1)} MB; after big tensor rss ${big.rss.toFixed(1)} MB array buffers ${big.external.toFixed(1)} MB; process rss after load ${(r.loaded.rss / MB).toFixed(1)} MB`,
      );
      expect(r.n).toBe(n + 10);
      expect(loaded.rss).toBeLessThan(40);
      expect(loaded.heap).toBeLessThan(20);
      expect(small.rss).toBeLessThan(40);
      expect(big.external).toBeGreaterThan((n * 4 * 0.95) / MB);
      expect(big.rss).toBeGreaterThan((n * 4 * 0.9) / MB);
    },
    600_000,
  );
});
