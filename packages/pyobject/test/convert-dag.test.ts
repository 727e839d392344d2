import { describe, expect, test } from "vitest";
import { PyFrozenSet, type PySet, type PyTuple, toFaithful } from "../src/index.js";
import { growthOverSize, growthRatios } from "./support/complexity.js";

/** A chain of `depth` arrays, each holding the previous one twice: 2**depth leaves, depth objects. */
function sharedDag(depth: number): unknown[] {
  let t: unknown[] = [0];
  for (let i = 0; i < depth; i++) t = [t, t];
  return t;
}

describe("toFaithful over shared keys", () => {
  test("a DAG of shared tuples inside a Set converts in time linear in its distinct objects", () => {
    const run = (n: number) => {
      const s = toFaithful(new Set([sharedDag(n)])) as PySet;
      if (s.size !== 1) throw new Error("lost the member");
    };
    const ratios = growthRatios(run, [1000, 2000, 4000, 8000]);
    expect(growthOverSize(ratios), `ratios ${ratios}`).toBeLessThan(8);
  }, 120_000);

  test("shared members stay shared: one tuple object per source array", () => {
    const s = toFaithful(new Set([sharedDag(20)])) as PySet;
    const top = [...s][0] as PyTuple;
    expect(top.items[0]).toBe(top.items[1]);
    expect(((top.items[0] as PyTuple).items[0] as PyTuple).items.length).toBe(2);
  });

  test("a shared Set inside Map keys becomes one frozenset", () => {
    const inner = new Set([1, 2]);
    const d = toFaithful(new Map([[[inner, inner], "x"]])) as Map<unknown, unknown>;
    const key = [...(d as unknown as Iterable<[PyTuple, unknown]>)][0]![0];
    expect(key.items[0]).toBeInstanceOf(PyFrozenSet);
    expect(key.items[0]).toBe(key.items[1]);
  });
});
