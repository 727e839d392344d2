/**
 * @x/torch/node: checkpoints from Node paths and file descriptors (read lazily, by position),
 * and `saveCheckpointFile`, which streams the archive to a file.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import type { ScanOptions } from "@x/pickle-io";
import {
  type Checkpoint,
  type LoadCheckpointOptions,
  loadCheckpoint as loadAny,
  loadCheckpointSync as loadAnySync,
  openCheckpoint as openAny,
  openCheckpointSync as openAnySync,
} from "../load.js";
import {
  type CheckpointPickles,
  readCheckpointPickles as picklesAny,
  readCheckpointPicklesSync as picklesAnySync,
} from "../pickles.js";
import { type SaveCheckpointOptions, writeCheckpoint } from "../save.js";
import { type CheckpointScanReport, scanCheckpointPickles } from "../scan.js";
import type { CheckpointSource } from "../source.js";
import { fdSource, pathSource } from "./file-source.js";

export { fdSource, pathSource } from "./file-source.js";

/** A path, a file descriptor (a number), or any source the main entry takes. */
export type NodeCheckpointSource = string | URL | number | CheckpointSource;

function toSource(source: NodeCheckpointSource): CheckpointSource {
  if (typeof source === "string") return pathSource(source);
  if (source instanceof URL) return pathSource(source.pathname);
  if (typeof source === "number") return fdSource(source);
  return source;
}

/**
 * `torch.load(path)`: the object, with tensors read from the file only when touched (sync or
 * async). From a path, each storage read opens and closes the file; from a descriptor, keep it
 * open while tensors are read.
 * @throws CheckpointError (and UnpicklingError) as the main entry's `loadCheckpoint`; Node's
 *   file errors (ENOENT...).
 */
export function loadCheckpointSync(source: NodeCheckpointSource, options?: LoadCheckpointOptions): unknown {
  return loadAnySync(toSource(source), options);
}

/** As {@link loadCheckpointSync}, reading asynchronously. */
export function loadCheckpoint(
  source: NodeCheckpointSource,
  options?: LoadCheckpointOptions,
): Promise<unknown> {
  return loadAny(toSource(source), options);
}

/** As {@link loadCheckpointSync}, returning the whole {@link Checkpoint}. */
export function openCheckpointSync(
  source: NodeCheckpointSource,
  options?: LoadCheckpointOptions,
): Checkpoint {
  return openAnySync(toSource(source), options);
}

/** As {@link loadCheckpoint}, returning the whole {@link Checkpoint}. */
export function openCheckpoint(
  source: NodeCheckpointSource,
  options?: LoadCheckpointOptions,
): Promise<Checkpoint> {
  return openAny(toSource(source), options);
}

/**
 * The pickles of a checkpoint file (for scanning), see the main entry's `readCheckpointPickles`;
 * deflated members are inflated with node:zlib (capped at their declared size).
 */
export function readCheckpointPicklesSync(source: NodeCheckpointSource): CheckpointPickles {
  return picklesAnySync(toSource(source), {
    // A plain Uint8Array copy: zlib returns a Buffer, possibly a view of Node's shared pool.
    inflateRaw: (data, size) => new Uint8Array(inflateRawSync(data, { maxOutputLength: Math.max(size, 1) })),
  });
}

/** As {@link readCheckpointPicklesSync}, reading asynchronously. */
export function readCheckpointPickles(source: NodeCheckpointSource): Promise<CheckpointPickles> {
  return picklesAny(toSource(source));
}

/**
 * Scans every pickle of a checkpoint file (see the main entry's `scanCheckpoint`); nothing is
 * loaded, and storages are never read.
 * @throws CheckpointError when the file is not a readable checkpoint; Node's file errors.
 */
export function scanCheckpointSync(
  source: NodeCheckpointSource,
  options?: ScanOptions,
): CheckpointScanReport {
  return scanCheckpointPickles(readCheckpointPicklesSync(source), options);
}

/** As {@link scanCheckpointSync}, reading asynchronously. */
export async function scanCheckpoint(
  source: NodeCheckpointSource,
  options?: ScanOptions,
): Promise<CheckpointScanReport> {
  return scanCheckpointPickles(await readCheckpointPickles(source), options);
}

/**
 * `torch.save(obj, path)`: writes the zip-format checkpoint to a file, chunk by chunk (storage
 * bytes are written from the tensors' own memory, never gathered into one buffer).
 * @throws as `saveCheckpoint`; Node's file errors.
 */
export function saveCheckpointFile(obj: unknown, path: string, options?: SaveCheckpointOptions): void {
  const fd = openSync(path, "w");
  try {
    writeCheckpoint(
      obj,
      (chunk) => {
        let done = 0;
        while (done < chunk.length)
          done += writeSync(fd, chunk, done, Math.min(chunk.length - done, 1 << 30));
      },
      options,
    );
  } finally {
    closeSync(fd);
  }
}
