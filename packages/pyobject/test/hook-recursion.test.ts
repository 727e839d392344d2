import { describe, expect, test } from "vitest";
import {
  equalPairs,
  MAX_HOOK_NESTING,
  PY_EQ,
  PY_REPR,
  type PyEqualPairs,
  PyError,
  type PyReprParts,
  pformat,
  pyEquals,
  pyRepr,
  reprParts,
} from "../src/index.js";

/** A slice-like hook type: no cycle marker of its own, as CPython's slice. */
class Slice {
  constructor(
    public start: unknown,
    public stop: unknown,
    public step: unknown,
  ) {}
  [PY_REPR](): PyReprParts {
    return reprParts`slice(${this.start}, ${this.stop}, ${this.step})`;
  }
  [PY_EQ](other: unknown): PyEqualPairs | undefined {
    if (!(other instanceof Slice)) return undefined;
    return equalPairs(this.start, other.start, this.stop, other.stop, this.step, other.step);
  }
}

/** A namespace-like hook type with CPython's Py_ReprEnter marker. */
class Ns {
  constructor(public x: unknown) {}
  [PY_REPR](): PyReprParts {
    return { parts: ["namespace(x=", this.x, ")"], recursive: "namespace(...)" };
  }
  [PY_EQ](other: unknown): PyEqualPairs | undefined {
    return other instanceof Ns ? equalPairs(this.x, other.x) : undefined;
  }
}

/** A hook written the old way: it calls pyRepr/pyEquals itself. */
class Legacy {
  constructor(public inner: unknown) {}
  [PY_REPR](): string {
    return `Legacy(${pyRepr(this.inner)})`;
  }
  [PY_EQ](other: unknown): boolean | undefined {
    return other instanceof Legacy ? pyEquals(this.inner, other.inner) : undefined;
  }
}

describe("hooks recurse through the guarded walkers", () => {
  test("a list holding slice(None, <the list>, None) prints and compares as CPython", () => {
    const l: unknown[] = [];
    l.push(new Slice(null, l, null));
    expect(pyRepr(l)).toBe("[slice(None, [...], None)]");
    expect(pformat(l)).toBe("[slice(None, [slice(None, [...], None)], None)]");
    expect(pyEquals(l, l)).toBe(true);
    expect(pyEquals([new Slice(null, l, null)], l)).toBe(true);
    // Two distinct cycles of the same shape: bounded (CPython raises RecursionError here).
    const m: unknown[] = [];
    m.push(new Slice(null, m, null));
    expect(pyEquals(l, m)).toBe(true);
    const k: unknown[] = [];
    k.push(new Slice(null, k, 1n));
    expect(pyEquals(l, k)).toBe(false);
  });

  test("a namespace holding itself prints namespace(x=namespace(...))", () => {
    const n = new Ns(null);
    n.x = n;
    expect(pyRepr(n)).toBe("namespace(x=namespace(...))");
    expect(pformat(n)).toBe("namespace(x=namespace(...))");
    expect(pyEquals(n, n)).toBe(true);
    const m = new Ns(null);
    m.x = [1n, m];
    expect(pyRepr(m)).toBe("namespace(x=[1, namespace(...)])");
    expect(pformat([m])).toBe("[namespace(x=[1, namespace(...)])]");
  });

  test("100,000 levels of nesting through hooks print, pformat and compare without a stack overflow", () => {
    const build = () => {
      let v: unknown = 0n;
      for (let i = 0; i < 100_000; i++) v = i % 2 ? new Ns([v]) : new Slice(null, v, null);
      return v;
    };
    const a = build();
    const text = pyRepr(a);
    expect(text.startsWith("namespace(x=[slice(None, namespace(x=[")).toBe(true);
    expect(text.length).toBeGreaterThan(100_000 * 10);
    expect(pyEquals(a, build())).toBe(true);
    expect(pformat(a)).toBe(text);
  });

  test("a cycle only through hooks without a marker ends in RecursionError, not a hang", () => {
    const s = new Slice(null, null, null);
    s.stop = s;
    expect(() => pyRepr(s)).toThrow(PyError);
    expect(() => pyRepr(s)).toThrow(/RecursionError|recursion/);
  });

  test("hooks that call pyRepr/pyEquals themselves share the cycle markers and stop with RecursionError", () => {
    const l: unknown[] = [];
    l.push(new Legacy(l));
    expect(pyRepr(l)).toBe("[Legacy([...])]");
    let deep: unknown = 0n;
    for (let i = 0; i < 100_000; i++) deep = new Legacy(deep);
    let error: unknown;
    try {
      pyRepr(deep);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PyError);
    expect((error as PyError).pyType).toBe("RecursionError");
    let deep2: unknown = 0n;
    for (let i = 0; i < 100_000; i++) deep2 = new Legacy(deep2);
    expect(() => pyEquals(deep, deep2)).toThrow(PyError);
    // Below the limit, nested calls work, and the guard is released after a throw.
    let shallow: unknown = 0n;
    for (let i = 0; i < MAX_HOOK_NESTING - 5; i++) shallow = new Legacy(shallow);
    expect(pyRepr(shallow).startsWith("Legacy(Legacy(")).toBe(true);
    expect(pyEquals(shallow, shallow)).toBe(true);
  });

  test("distinct cyclic lists compare in bounded time (a = [a] against b = [b])", () => {
    const a: unknown[] = [];
    a.push(a);
    const b: unknown[] = [];
    b.push(b);
    expect(pyEquals(a, b)).toBe(true);
    const c: unknown[] = [1n];
    c.push(c);
    const d: unknown[] = [2n];
    d.push(d);
    expect(pyEquals(c, d)).toBe(false);
  });
});
