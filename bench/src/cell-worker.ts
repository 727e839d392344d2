/**
 * A fresh process for one cell (see cells.ts): `node --expose-gc dist/cell-worker.js '<json>'`
 * with `{ op, path, protocol, budget, cap }`; prints the CellRun as one JSON line. The
 * implementations come from the same environment as the bench's (BENCH_PICKLE_IO, BENCH_PYJSON).
 */
import { type CellSpec, runCell } from "./cells.js";
import { loadImplementations, type Part } from "./implementations.js";

const arg = JSON.parse(process.argv[2] ?? "{}") as CellSpec & { budget: number; cap: number };
// Only the module this cell times (json-parse/json-stringify need none; json-dumps needs
// pyjson's loads too, for the identity check; pickle dumps needs pickle-io's loads).
const part: Part = arg.op.startsWith("json-")
  ? "json"
  : arg.op === "pickleparser"
    ? "pickleparser"
    : "pickle";
const impl = await loadImplementations(process.env, new Set<Part>([part]));
const result = runCell(impl, arg, arg.budget, arg.cap);
process.stdout.write(`${JSON.stringify(result)}\n`);
