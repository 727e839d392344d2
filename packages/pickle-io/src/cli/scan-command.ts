/**
 * `pickle --scan FILE...`: what loading each file would import and call, graded by the
 * scanner's allow-list, as a readable report or JSON (`--json`). Exit status: 0 safe (or
 * only known globals), 1 unknown globals, 2 dangerous, 3 unreadable (missing file, not a
 * complete pickle); the worst over all files, dangerous first. Suitable as a CI step.
 */
import { readFileSync } from "node:fs";
import { GlobalPolicy } from "../scan/allow-list.js";
import { EXIT_SAFE, EXIT_UNREADABLE, exitStatusOf, formatReport, worseStatus } from "../scan/format.js";
import type { ScanReport } from "../scan/report.js";
import { scan } from "../scan/scan.js";
import { readStdin } from "./read-stdin.js";

export const SCAN_USAGE = `usage: pickle --scan [-h] [--json] [--allow MODULE:NAME] [--known MODULE:NAME] [--dangerous MODULE:NAME] [--] file ...

report the globals, calls and persistent ids loading each pickle would make, graded by an allow-list

positional arguments:
  file                  a pickle, several pickles back to back, or a .npy file ('-' reads stdin)

options:
  -h, --help            show this help message and exit
  --json                print the reports as JSON
  --allow MODULE:NAME   grade this global safe (MODULE:* for a whole module); repeatable
  --known MODULE:NAME   grade this global known; repeatable
  --dangerous MODULE:NAME
                        grade this global dangerous; repeatable

exit status: 0 safe, 1 unknown globals, 2 dangerous, 3 unreadable
`;

/**
 * Runs `pickle --scan` over `argv` (the arguments after `--scan` is removed); returns the
 * exit status.
 */
export function scanMain(
  argv: readonly string[],
  write: (s: string) => void,
  writeErr: (s: string) => void,
): number {
  let json = false;
  const allow: string[] = [];
  const known: string[] = [];
  const dangerous: string[] = [];
  const files: string[] = [];
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (onlyFiles || a === "-" || !a.startsWith("-")) files.push(a);
    else if (a === "--") onlyFiles = true;
    else if (a === "-h" || a === "--help") {
      write(SCAN_USAGE);
      return 0;
    } else if (a === "--json") json = true;
    else if (a === "--allow" || a === "--known" || a === "--dangerous") {
      const v = argv[++i];
      if (v === undefined) {
        writeErr(`${SCAN_USAGE.split("\n\n")[0]}\npickle: error: argument ${a}: expected one argument\n`);
        return 2;
      }
      (a === "--allow" ? allow : a === "--known" ? known : dangerous).push(v);
    } else {
      writeErr(`${SCAN_USAGE.split("\n\n")[0]}\npickle: error: unrecognized arguments: ${a}\n`);
      return 2;
    }
  }
  if (files.length === 0) {
    writeErr(`${SCAN_USAGE.split("\n\n")[0]}\npickle: error: --scan needs at least one file\n`);
    return 2;
  }
  let policy: GlobalPolicy;
  try {
    policy = new GlobalPolicy({ allow, known, dangerous });
  } catch (e) {
    writeErr(`pickle: error: ${(e as Error).message}\n`);
    return 2;
  }
  let status = EXIT_SAFE;
  const out: { file: string; report: ScanReport | null; error: string | null }[] = [];
  for (const file of files) {
    const shown = file === "-" ? "<stdin>" : file;
    let bytes: Uint8Array;
    try {
      bytes = file === "-" ? readStdin() : new Uint8Array(readFileSync(file));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      status = worseStatus(status, EXIT_UNREADABLE);
      if (json) out.push({ file: shown, report: null, error: message });
      else writeErr(`pickle: ${shown}: ${message}\n`);
      continue;
    }
    const report = scan(bytes, { policy });
    status = worseStatus(status, exitStatusOf(report));
    if (json) out.push({ file: shown, report, error: null });
    else write(formatReport(shown, report));
  }
  if (json) write(`${JSON.stringify(out, null, 2)}\n`);
  return status;
}
