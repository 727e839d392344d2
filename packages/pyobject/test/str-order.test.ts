import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PyDict, pformat, strLess } from "../src/index.js";
import { pySource } from "./support/py-source.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec("import pprint");
});
afterAll(async () => {
  await py.close();
});

// Units where UTF-16 order and code point order part ways: ASCII, the last unit below the
// surrogates, high and low surrogates (paired or lone), U+E000-U+FFFF.
const UNITS = [0x41, 0x7a, 0xd7ff, 0xd800, 0xd83d, 0xdbff, 0xdc00, 0xde00, 0xdfff, 0xe000, 0xfffd, 0xffff];
const unitString = fc
  .array(fc.constantFrom(...UNITS), { maxLength: 5 })
  .map((us) => String.fromCharCode(...us));

/** CPython's `sorted` of the strings, as the permutation of their indices. */
async function pythonOrder(xs: readonly string[]): Promise<number[]> {
  return py.eval<number[]>(
    `(lambda xs: sorted(range(len(xs)), key=xs.__getitem__))([${xs.map(pySource).join(",")}])`,
  );
}

function ourOrder(xs: readonly string[]): number[] {
  return xs.map((_, i) => i).sort((i, j) => (strLess(xs[i]!, xs[j]!) ? -1 : strLess(xs[j]!, xs[i]!) ? 1 : 0));
}

test("the cases where a pair meets U+E000-U+FFFF or a lone surrogate sort as CPython's str", async () => {
  const xs = [
    "\u{1F600}",
    "\ud83d\ue000",
    "\ud83d",
    "\ude00",
    "\ud83d\ud83d",
    "\ud83d\ud800\udc00",
    "\ud83d\uffff",
    "\uffff",
    "\ue000",
    "\u{10000}",
    "\udbff\udfff",
    "\ud7ff",
    "a\u{1F600}",
    "a\ue000",
  ];
  expect(ourOrder(xs)).toEqual(await pythonOrder(xs));
});

test("random strings of surrogates, pairs and high BMP units sort as CPython's str", async () => {
  const lists = fc.sample(fc.array(unitString, { minLength: 2, maxLength: 12 }), {
    numRuns: 300,
    seed: 20261203,
  });
  for (const xs of lists) expect(ourOrder(xs)).toEqual(await pythonOrder(xs));
});

test("pformat sorts dict keys in code point order", async () => {
  const keys = ["\u{1F600}", "\ud83d\ue000", "\ue000", "\udc00", "b"];
  const d = new PyDict(keys.map((k, i) => [k, i]));
  const cpython = await py.eval<string>(`pprint.pformat(${pySource(d)})`);
  expect(pformat(d)).toBe(cpython);
});
