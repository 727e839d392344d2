/**
 * `pnpm bench` (vitest bench). Each group has a plain-JS baseline so the numbers mean
 * something on a loaded machine: compare ratios, not absolute times.
 */
import { bench, describe } from "vitest";
import { PyDict, PyTuple, pyEquals, pyHash, pyRepr, strRepr, toFaithful, toNatural } from "../src/index.js";

const rows = Array.from(
  { length: 10_000 },
  (_, i) =>
    new PyDict<string, unknown>([
      ["id", BigInt(i)],
      ["name", `user${i}`],
      ["score", i * 0.5],
      ["tags", new PyTuple(["a", "b"])],
    ]),
);
const natural = toNatural(rows);
const text = "héllo wörld 中文 😀\n".repeat(50_000);
const tupleKeys = Array.from({ length: 10_000 }, (_, i) => new PyTuple([BigInt(i), "x"]));
const strKeys = Array.from({ length: 10_000 }, (_, i) => `key-${i}-suffix`);

describe("repr of 10k dict rows", () => {
  bench("pyRepr", () => {
    pyRepr(rows);
  });
  bench("baseline: JSON.stringify of the natural view", () => {
    JSON.stringify(natural, (_, v) => (typeof v === "bigint" ? String(v) : v));
  });
});

describe("repr of 1 MB of mixed text", () => {
  bench("strRepr", () => {
    strRepr(text);
  });
  bench("baseline: JSON.stringify", () => {
    JSON.stringify(text);
  });
});

describe("hash 10k keys", () => {
  bench("pyHash (int, str) tuples", () => {
    for (const k of tupleKeys) pyHash(k);
  });
  bench("pyHash short str", () => {
    for (const s of strKeys) pyHash(s);
  });
});

describe("dict inserts, 10k keys", () => {
  bench("PyDict tuple keys", () => {
    const d = new PyDict();
    for (const k of tupleKeys) d.set(k, 1);
  });
  bench("PyDict str keys", () => {
    const d = new PyDict();
    for (const s of strKeys) d.set(s, 1);
  });
  bench("baseline: Map str keys", () => {
    const m = new Map();
    for (const s of strKeys) m.set(s, 1);
  });
});

describe("conversions and equality, 10k rows", () => {
  bench("toNatural", () => {
    toNatural(rows);
  });
  bench("toFaithful", () => {
    toFaithful(natural);
  });
  bench("pyEquals", () => {
    pyEquals(rows, rows.slice());
  });
  bench("baseline: structuredClone of the natural view", () => {
    structuredClone(natural);
  });
});
