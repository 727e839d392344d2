#!/usr/bin/env node
/**
 * `pickle FILE...`: prints the object in each pickle file as `python -m pickle` does (with
 * pprint's layout and Python's repr); `-` reads stdin. `--all` prints every pickle of each
 * file (Python prints the first only); `--json` prints the natural JS view as JSON instead.
 * Exit statuses are Python's: 2 for bad usage or a file that cannot be opened, 1 for a pickle
 * that fails to load (one line on stderr).
 */
import { readFileSync } from "node:fs";
import { pformat, strRepr } from "@x/pyobject";
import { iterLoadSync, load } from "../node/load-node.js";
import type { StreamLoadOptions } from "../stream/unpickle-bytes.js";
import { jsonView } from "./json-view.js";
import { readStdin } from "./read-stdin.js";
import { scanMain } from "./scan-command.js";

const USAGE = "usage: pickle [-h] [--json] [-a] [pickle_file ...]\n";

/** argparse's layout for `python -m pickle --help`, with this command's own name and options. */
const HELP = `${USAGE}
display contents of the pickle files

positional arguments:
  pickle_file  the pickle file ('-' reads stdin)

options:
  -h, --help   show this help message and exit
  --json       print the natural JS view as JSON instead of Python's repr
  -a, --all    print every pickle in each file, not only the first
`;

/** Python's text for an OSError: `[Errno 2] No such file or directory: 'nope.pkl'`. */
function osErrorText(e: unknown, file: string): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err.errno !== "number" || err.code === undefined) return String(e);
  const reason = err.message.replace(/^\w+: /, "").replace(/, \w+ .*$/, "");
  return `[Errno ${Math.abs(err.errno)}] ${reason[0]!.toUpperCase()}${reason.slice(1)}: ${strRepr(file)}`;
}

function errorLine(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    // Node's file errors already start with their code ("ENOENT: no such file ...").
    return code !== undefined && e.message.startsWith(code) ? e.message : `${e.name}: ${e.message}`;
  }
  return String(e);
}

/**
 * Runs the CLI over `argv` (without node and script); returns the exit status, as `python -m
 * pickle`'s: 0; 2 for bad usage or a file that cannot be opened (argparse opens every file
 * before loading any); 1 when a pickle fails to load.
 */
export function main(
  argv: readonly string[],
  write: (s: string) => void,
  writeErr: (s: string) => void,
): number {
  const scanAt = argv.indexOf("--scan");
  const end = argv.indexOf("--");
  if (scanAt >= 0 && (end < 0 || scanAt < end)) return scanMain(argv.toSpliced(scanAt, 1), write, writeErr);
  let json = false;
  let all = false;
  const files: string[] = [];
  let onlyFiles = false;
  const usageError = (message: string): number => {
    writeErr(`${USAGE}pickle: error: ${message}\n`);
    return 2;
  };
  for (const a of argv) {
    if (!onlyFiles && a === "--") onlyFiles = true;
    else if (!onlyFiles && (a === "-h" || a === "--help")) {
      write(HELP);
      return 0;
    } else if (!onlyFiles && a === "--json") json = true;
    else if (!onlyFiles && (a === "-a" || a === "--all")) all = true;
    else if (!onlyFiles && a.startsWith("-") && a !== "-") return usageError(`unrecognized arguments: ${a}`);
    else files.push(a);
  }
  if (files.length === 0) {
    write(HELP);
    return 0;
  }
  const sources: (Uint8Array | "-")[] = [];
  for (const file of files) {
    if (file === "-") {
      sources.push("-");
      continue;
    }
    try {
      sources.push(new Uint8Array(readFileSync(file)));
    } catch (e) {
      return usageError(`argument pickle_file: can't open ${strRepr(file)}: ${osErrorText(e, file)}`);
    }
  }
  const options: StreamLoadOptions = { model: json ? "natural" : "faithful" };
  const show = (obj: unknown): void => {
    write(`${json ? jsonView(obj) : pformat(obj)}\n`);
  };
  for (const [i, file] of files.entries()) {
    try {
      // stdin may be a pipe: read it whole, as Python's buffered stdin does.
      const src = sources[i]!;
      const source = src === "-" ? readStdin() : src;
      if (all) for (const obj of iterLoadSync(source, options)) show(obj);
      else show(load(source, options));
    } catch (e) {
      writeErr(`pickle: ${file === "-" ? "<stdin>" : file}: ${errorLine(e)}\n`);
      return 1;
    }
  }
  return 0;
}

// Run when executed as the `pickle` bin (not when imported by tests).
const entry = process.argv[1];
if (entry !== undefined && /[\\/]pickle(\.[cm]?js)?$/.test(entry)) {
  process.exitCode = main(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
}
