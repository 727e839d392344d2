/**
 * Child process for one memory measurement (run with --expose-gc --trace-gc):
 *
 *     node --expose-gc --trace-gc dist/memory-probe.js KIND FILE
 *
 * Prints "@@BEGIN" and "@@END" around the operation, so the parent can read the heap sizes of the
 * GCs that ran inside it from --trace-gc's lines, then "@@RESULT {json}".
 */
import { createReadStream, readFileSync, writeFileSync, writeSync } from "node:fs";
import { loadImplementations } from "./implementations.js";

export interface ProbeResult {
  kind: string;
  error?: string;
  /** heapUsed after two full GCs, before the operation. */
  heapBefore?: number;
  /** heapUsed right after the operation, before any forced GC. */
  heapEnd?: number;
  /** (heapUsed + arrayBuffers) growth after two full GCs, with the result still referenced. */
  retained?: number;
  /** arrayBuffers growth (Uint8Array stores live outside the V8 heap). */
  externalGrowth?: number;
  /** VmHWM (reset before the operation) minus VmRSS before it. */
  rssPeakGrowth?: number | null;
  /** Streaming: objects read, and heapUsed after full GCs at evenly spaced points. */
  count?: number;
  heapSamples?: number[];
}

const gc = (globalThis as { gc?: () => void }).gc;

function fullGc(): void {
  if (!gc) throw new Error("memory-probe needs --expose-gc");
  gc();
  gc();
}

function vmKiB(field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Resets the kernel's peak-RSS mark (Linux: "5" to clear_refs); false where unsupported. */
function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

const mark = (s: string): void => {
  writeSync(1, `${s}\n`);
};

async function main(): Promise<void> {
  const [kind = "", file = ""] = process.argv.slice(2);
  const impl = await loadImplementations();
  const result: ProbeResult = { kind };
  let run: (() => unknown) | null = null;
  let stream = false;
  // A plain Uint8Array view of the file's own buffer: no copy whose freeing would skew the numbers.
  const buf = kind === "json-parse" || kind === "pyjson" ? null : readFileSync(file);
  const bytes = buf ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : null;
  const text = bytes ? null : readFileSync(file, "utf8");
  const { pickleLoads, pickleDumps, pickleparser, jsonLoads, iterLoad } = impl;
  switch (kind) {
    case "ours-natural":
      if (pickleLoads && bytes) run = () => pickleLoads(bytes, "natural");
      break;
    case "ours-faithful":
      if (pickleLoads && bytes) run = () => pickleLoads(bytes, "faithful");
      break;
    case "pickleparser":
      if (pickleparser && bytes) run = () => pickleparser(bytes);
      break;
    case "ours-dumps":
      if (pickleLoads && pickleDumps && bytes) {
        const value = pickleLoads(bytes, "faithful");
        const protocol = bytes[0] === 0x80 ? bytes[1]! : 0;
        run = () => pickleDumps(value, protocol, "faithful");
      }
      break;
    case "pyjson":
      if (jsonLoads && text !== null) run = () => jsonLoads(text, "natural");
      break;
    case "json-parse":
      if (text !== null) run = () => JSON.parse(text);
      break;
    case "ours-stream":
      stream = iterLoad !== null;
      break;
    default:
      throw new Error(`unknown probe kind ${kind}`);
  }
  if (!run && !stream) {
    result.error = "n/a";
    mark(`@@RESULT ${JSON.stringify(result)}`);
    return;
  }
  fullGc();
  const m0 = process.memoryUsage();
  const rss0 = vmKiB("VmRSS");
  const canReset = resetPeakRss();
  let kept: unknown;
  mark("@@BEGIN");
  try {
    if (stream && iterLoad) {
      const total = Number(process.argv[4] ?? "0");
      const every = Math.max(1, Math.floor(total / 10));
      const heapSamples: number[] = [];
      let count = 0;
      for await (const obj of iterLoad(createReadStream(file, { highWaterMark: 64 * 1024 }))) {
        kept = obj;
        if (++count % every === 0) {
          gc!();
          heapSamples.push(process.memoryUsage().heapUsed - m0.heapUsed);
        }
      }
      result.count = count;
      result.heapSamples = heapSamples;
    } else {
      kept = run!();
    }
  } catch (e) {
    result.error = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split("\n")[0]!.slice(0, 200);
  }
  const heapEnd = process.memoryUsage().heapUsed;
  mark("@@END");
  const hwm = vmKiB("VmHWM");
  fullGc();
  const m1 = process.memoryUsage();
  result.heapBefore = m0.heapUsed;
  result.heapEnd = heapEnd;
  result.externalGrowth = m1.arrayBuffers - m0.arrayBuffers;
  // What a dumps call keeps is its output; the heap around the (already loaded) input can only
  // shrink while it runs, which would make a heap difference meaningless.
  result.retained =
    kind === "ours-dumps" && kept instanceof Uint8Array
      ? kept.byteLength
      : m1.heapUsed - m0.heapUsed + result.externalGrowth;
  result.rssPeakGrowth = canReset && hwm !== null && rss0 !== null ? (hwm - rss0) * 1024 : null;
  mark(`@@RESULT ${JSON.stringify(result)}`);
  // The result must be alive at the last measurement above.
  if (kept === Symbol.for("never")) mark("");
}

main().catch((e: unknown) => {
  mark(`@@RESULT ${JSON.stringify({ kind: process.argv[2], error: String(e) })}`);
  process.exitCode = 1;
});
