#!/usr/bin/env node
/**
 * `torch-pickle FILE.pt...`: prints what `torch.load` would return, with Python's repr
 * (tensors as `<tensor dtype=... shape=...>`), then one line per tensor: its path, dtype,
 * shape, stride, storage key and offset. Nothing the file names is imported or run; tensor
 * data is not read. `--tensors` prints the tensor lines only. Errors: one line on stderr, exit 1.
 * `--scan` (with `--json`) scans every pickle of each file instead, as `pickle --scan` does,
 * with its exit statuses: 0 safe, 1 unknown globals, 2 dangerous, 3 unreadable.
 */
import {
  formatScanReport,
  SCAN_EXIT_SAFE,
  SCAN_EXIT_UNREADABLE,
  scanExitStatus,
  worseScanExitStatus,
} from "@x/pickle-io";
import { pformat } from "@x/pyobject";
import { openCheckpointSync, scanCheckpointSync } from "../node/index.js";
import { findTensors } from "../walk.js";

const USAGE = `usage: torch-pickle [-h] [--tensors] [--scan] [--json] checkpoint_file [checkpoint_file ...]

display the contents of torch.save files (zip or legacy format), safely

options:
  -h, --help   show this help message and exit
  --tensors    print only the tensor summary
  --scan       scan every pickle of each file (exit 0 safe, 1 unknown, 2 dangerous, 3 unreadable)
  --json       with --scan: print the reports as JSON
`;

/** `--scan`: one report per pickle member, the worst exit status over all files. */
function scanFiles(files: readonly string[], json: boolean): number {
  let status = SCAN_EXIT_SAFE;
  const all: unknown[] = [];
  for (const file of files) {
    try {
      const r = scanCheckpointSync(file);
      if (json) all.push({ file, ...r });
      else process.stdout.write(`${file}: ${r.verdict.toUpperCase()} (${r.format} format)\n`);
      for (const p of r.pickles) {
        status = worseScanExitStatus(status, scanExitStatus(p.report));
        if (!json) process.stdout.write(formatScanReport(`  ${p.name} @${p.offset}`, p.report));
      }
    } catch (e) {
      status = worseScanExitStatus(status, SCAN_EXIT_UNREADABLE);
      if (json) all.push({ file, error: e instanceof Error ? e.message : String(e) });
      else process.stderr.write(`${file}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
  return status;
}

/** Python's tuple text: `(2,)`, `(2, 3)`, `()`. */
function tuple(xs: readonly number[]): string {
  return `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`;
}

function main(argv: string[]): number {
  const files: string[] = [];
  let tensorsOnly = false;
  let scanMode = false;
  let json = false;
  let optionsDone = false;
  for (const a of argv) {
    if (optionsDone) {
      files.push(a);
      continue;
    }
    if (a === "--") {
      optionsDone = true;
      continue;
    }
    if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE);
      return 0;
    }
    if (a === "--tensors") tensorsOnly = true;
    else if (a === "--scan") scanMode = true;
    else if (a === "--json") json = true;
    else if (a.startsWith("-") && a !== "-") {
      process.stderr.write(`${USAGE}torch-pickle: error: unrecognized argument: ${a}\n`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    process.stderr.write(`${USAGE}torch-pickle: error: a checkpoint file is required\n`);
    return 2;
  }
  if (scanMode) return scanFiles(files, json);
  let status = 0;
  for (const file of files) {
    try {
      const ckpt = openCheckpointSync(file, { model: "faithful" });
      if (files.length > 1) process.stdout.write(`${file}:\n`);
      if (!tensorsOnly) process.stdout.write(`${pformat(ckpt.object)}\n`);
      const found = findTensors(ckpt.object);
      if (!tensorsOnly)
        process.stdout.write(
          `${found.length} tensors, ${ckpt.storages.size} storages (${ckpt.format} format)\n`,
        );
      for (const { path, tensor: t } of found) {
        process.stdout.write(
          `${path}\t${t.isParameter ? "Parameter " : ""}${t.dtype}\t${tuple(t.shape)}\tstride ${tuple(t.stride)}\tstorage '${t.storage.key}' offset ${t.storageOffset}${t.requiresGrad ? "\trequires_grad" : ""}\n`,
        );
      }
    } catch (e) {
      process.stderr.write(`${file}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
      status = 1;
    }
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
