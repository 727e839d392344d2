/**
 * JSONTestSuite (github.com/nst/JSONTestSuite, MIT, see data/JSONTestSuite/LICENSE): every
 * parsing and transform case, as bytes, gives exactly CPython's `json.loads` outcome: the same
 * value (ints and floats apart, dict order), or the same error type and message, with the same
 * msg/pos/lineno/colno for JSONDecodeError.
 *
 * CPython raises RecursionError on the two 50,000+-level files; this decoder is iterative and
 * does not. For those the expected outcome is CPython's with the recursion limit lifted (run in
 * a thread with a large stack), which is the answer the grammar gives.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ourOutcome, PY_OUTCOME, pyOutcome } from "./decode-oracle.js";

const ROOT = fileURLToPath(new URL("./data/JSONTestSuite/", import.meta.url));
const PYTHON_ACCEPTS = new Set([
  "n_number_NaN.json",
  "n_number_infinity.json",
  "n_number_minus_infinity.json",
]);

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(PY_OUTCOME);
});
afterAll(async () => {
  await py.close();
});

function cases(dir: string): string[] {
  return readdirSync(`${ROOT}${dir}/`)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

describe.each(["test_parsing", "test_transform"])("JSONTestSuite %s", (dir) => {
  const files = cases(dir);
  test("has the suite's files", () => {
    expect(files.length).toBeGreaterThan(dir === "test_parsing" ? 300 : 20);
  });
  test.each(files)("%s", async (file) => {
    const bytes = new Uint8Array(readFileSync(`${ROOT}${dir}/${file}`));
    const expected = await pyOutcome(py, bytes);
    const { deep, ...want } = expected;
    expect(ourOutcome(bytes)).toEqual(want);
    if (deep) expect(want).toHaveProperty("err", "JSONDecodeError");
    // The suite's verdicts, as CPython reads them.
    if (file.startsWith("y_")) expect(want).toHaveProperty("ok");
    if (file.startsWith("n_")) {
      if (PYTHON_ACCEPTS.has(file)) expect(want).toHaveProperty("ok");
      else expect(want).toHaveProperty("err");
    }
  });
});
