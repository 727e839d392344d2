/**
 * The scan report as text, and the exit status it calls for: what `pickle --scan` prints,
 * shared with other commands that scan pickles (e.g. `torch-pickle --scan`).
 */
import type { ScanReport } from "./report.js";

/** Exit statuses, as documented. */
export const EXIT_SAFE = 0;
export const EXIT_UNKNOWN = 1;
export const EXIT_DANGEROUS = 2;
export const EXIT_UNREADABLE = 3;

/** The exit status one report calls for. */
export function exitStatusOf(report: ScanReport): number {
  if (report.verdict === "dangerous") return EXIT_DANGEROUS;
  if (report.error !== null) return EXIT_UNREADABLE;
  if (report.verdict === "unknown") return EXIT_UNKNOWN;
  return EXIT_SAFE;
}

const RANK = [EXIT_SAFE, EXIT_UNKNOWN, EXIT_UNREADABLE, EXIT_DANGEROUS];
export function worseStatus(a: number, b: number): number {
  return RANK.indexOf(a) >= RANK.indexOf(b) ? a : b;
}

/** The readable report of one file. */
export function formatReport(file: string, r: ScanReport): string {
  const lines: string[] = [];
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;
  lines.push(
    `${file}: ${r.verdict.toUpperCase()}${r.error ? " (incomplete)" : ""} — ${plural(r.pickles, "pickle")}${
      r.format === "npy" ? " in a .npy file" : ""
    }, ${plural(r.globals.length, "global")}, ${plural(r.calls.length + r.callsOmitted, "call")}, ${plural(r.persistentIds.length, "persistent id")}`,
  );
  const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length));
  for (const g of r.globals) {
    const name = `${g.module}.${g.name}${g.resolved ? ` (= ${g.resolved})` : ""}`;
    lines.push(
      `  ${pad(g.verdict, 9)} ${pad(g.opcode, 12)} @${pad(String(g.offset), 8)} ${name}  [${g.reason}]`,
    );
  }
  for (const c of r.calls) {
    if (c.verdict === "safe" || c.verdict === "known") continue;
    const args = c.args.map((a) => a.repr).join(", ");
    lines.push(
      `  ${pad(c.verdict, 9)} ${pad(c.opcode, 12)} @${pad(String(c.offset), 8)} ${c.callable}(${args})  [${c.reason}]`,
    );
    if (c.nested) {
      // the pickle this call would load, indented under it
      for (const line of formatReport("nested pickle", c.nested).trimEnd().split("\n"))
        lines.push(`      ${line}`);
    }
  }
  for (const p of r.persistentIds) {
    lines.push(`  ${pad(p.verdict, 9)} ${pad("PERSID", 12)} @${pad(String(p.offset), 8)} ${p.repr}`);
  }
  for (const n of r.notes) {
    lines.push(
      `  ${pad(n.verdict, 9)} ${pad("note", 12)} @${pad(n.offset === null ? "-" : String(n.offset), 8)} ${n.message}`,
    );
  }
  if (r.error)
    lines.push(`  error: pickle #${r.error.pickle} at byte ${r.error.offset ?? "?"}: ${r.error.message}`);
  return `${lines.join("\n")}\n`;
}
