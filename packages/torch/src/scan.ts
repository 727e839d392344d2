/**
 * `scanCheckpoint`: the scanner of `@x/pickle-io` over every pickle a checkpoint holds (each
 * `.pkl` member of the zip format, the five pickles of the legacy format), without loading
 * anything. Offsets in each member's report are relative to that pickle; `offset` says where
 * it starts in the file.
 */
import { type ScanOptions, type ScanReport, scan, type Verdict, worse } from "@x/pickle-io";
import type { CheckpointPickles } from "./pickles.js";
import { type ReadPicklesSyncOptions, readCheckpointPickles, readCheckpointPicklesSync } from "./pickles.js";
import type { CheckpointSource } from "./source.js";

/** The report of one pickle of a checkpoint. */
export interface CheckpointPickleReport {
  /** The zip member name, or the legacy pickle's role. */
  readonly name: string;
  /** Byte offset of the pickle in the file. */
  readonly offset: number;
  readonly report: ScanReport;
}

/** What `scanCheckpoint` returns: the worst verdict, and one report per pickle. */
export interface CheckpointScanReport {
  readonly format: "zip" | "legacy";
  /** The worst verdict over every pickle (`dangerous` also when one could not be read through). */
  readonly verdict: Verdict;
  readonly pickles: readonly CheckpointPickleReport[];
}

function scanAll(found: CheckpointPickles, options: ScanOptions): CheckpointScanReport {
  let verdict: Verdict = "safe";
  const pickles = found.pickles.map((p) => {
    const report = scan(p.bytes, options);
    verdict = worse(verdict, report.verdict);
    return { name: p.name, offset: p.offset, report };
  });
  return { format: found.format, verdict, pickles };
}

/**
 * Scans every pickle of a `torch.save` file (zip or legacy format) with `scan` from
 * `@x/pickle-io`: the globals each would resolve and the calls it would make, graded by the
 * scanner's allow-list (torch's tensor-rebuilding globals are known). Nothing is loaded.
 * @throws CheckpointError when the file is not a readable checkpoint.
 */
export async function scanCheckpoint(
  source: CheckpointSource,
  options: ScanOptions = {},
): Promise<CheckpointScanReport> {
  return scanAll(await readCheckpointPickles(source), options);
}

/** As {@link scanCheckpoint}, synchronously (bytes; Node files through `@x/torch/node`). */
export function scanCheckpointSync(
  source: CheckpointSource,
  options: ScanOptions & ReadPicklesSyncOptions = {},
): CheckpointScanReport {
  return scanAll(readCheckpointPicklesSync(source, options), options);
}

/** Scans already-read pickles (what `@x/torch/node` uses after reading a file). */
export function scanCheckpointPickles(
  found: CheckpointPickles,
  options: ScanOptions = {},
): CheckpointScanReport {
  return scanAll(found, options);
}
