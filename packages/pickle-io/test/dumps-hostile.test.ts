/**
 * Dumps of values built to hurt (issue #11's dumps side): huge ints in linear time with
 * CPython's bytes, CPython's int-text limit at protocols 0-1, JS structures no Python value can
 * be (a Set holding itself), and JS values that cannot be read (detached buffers, revoked
 * proxies) or have no Python form (symbol keys): each a PicklingError naming the path.
 */

import { PicklingError } from "@x/pickle-core";
import { PyTuple, PyValueError } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumps, loads } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle, sys
def py_dumps_ints(texts, protocol, limit):
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(limit)
    try:
        out = []
        for t in texts:
            try:
                out.append(pickle.dumps(int(t, 16), protocol).hex())
            except ValueError as e:
                out.append("ValueError: " + str(e))
        return out
    finally:
        sys.set_int_max_str_digits(old)
`);
});
afterAll(async () => {
  await py.close();
});

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

function ourInts(values: readonly bigint[], protocol: number, limit: number): string[] {
  return values.map((n) => {
    try {
      return hexOf(dumps(n, { protocol, intMaxStrDigits: limit }));
    } catch (e) {
      if (e instanceof PyValueError) return `ValueError: ${e.message}`;
      throw e;
    }
  });
}

/** Ints around every byte boundary up to 40 bytes, both signs, and a few large ones. */
function boundaryInts(): bigint[] {
  const out: bigint[] = [0n, 1n, -1n];
  for (let bits = 7n; bits <= 320n; bits += 1n) {
    const p = 2n ** bits;
    out.push(p - 1n, p, p + 1n, -p + 1n, -p, -p - 1n);
  }
  for (const bits of [2039n, 2040n, 2041n, 2047n, 2048n, 2049n, 65536n, 100003n]) {
    const p = 2n ** bits;
    out.push(p - 1n, p, -p, -p - 1n, p * 3n + 12345n, -(p * 5n) - 999n);
  }
  return out;
}

describe("big ints", () => {
  test("LONG1/LONG4/LONG bytes equal CPython's at every protocol", async () => {
    const values = boundaryInts();
    const texts = values.map((n) => (n < 0n ? `-${(-n).toString(16)}` : n.toString(16)));
    for (let p = 0; p <= 5; p++) {
      const theirs = await py.call<string[]>("py_dumps_ints", texts, p, 0);
      expect(ourInts(values, p, 0)).toEqual(theirs);
    }
  });

  test("protocols 0-1 refuse int text past 4300 digits as CPython does (intMaxStrDigits lifts it)", async () => {
    const values: bigint[] = [];
    for (const digits of [640n, 641n, 4299n, 4300n, 4301n, 5000n, 20000n]) {
      const p = 10n ** (digits - 1n);
      values.push(p, -p, p * 10n - 1n, -(p * 10n - 1n));
    }
    const texts = values.map((n) => (n < 0n ? `-${(-n).toString(16)}` : n.toString(16)));
    for (const limit of [4300, 640, 0]) {
      for (const p of [0, 1]) {
        const theirs = await py.call<string[]>("py_dumps_ints", texts, p, limit);
        expect(ourInts(values, p, limit)).toEqual(theirs);
      }
    }
    expect(() => dumps(1n, { intMaxStrDigits: 100 })).toThrow(PyValueError);
  });

  test("encoding time grows linearly with the int's size", () => {
    // Sizes double; linear growth doubles the time, the old 64-bit shifting loop quadrupled it.
    const sizes = [1n << 20n, 1n << 21n, 1n << 22n, 1n << 23n];
    const times = sizes.map((bits) => {
      const n = 2n ** bits - 3n;
      const m = -(2n ** bits) + 7n;
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        dumps(n, { protocol: 4 });
        dumps(m, { protocol: 2 });
        best = Math.min(best, performance.now() - t);
      }
      return Math.max(best, 0.05);
    });
    // 8x the size: linear is ~8x the time, quadratic ~64x. Allow wide noise on a shared machine.
    expect(times[3]! / times[0]!, `times ${times.join(", ")} ms`).toBeLessThan(32);
  });
});

describe("structures no Python value can be", () => {
  test("a Set holding itself: PicklingError below protocol 4 (set(list) cannot express it), a pickle at 4+", () => {
    const s = new Set<unknown>();
    s.add(s);
    const viaTuple = new Set<unknown>();
    viaTuple.add(new PyTuple([viaTuple]));
    for (const v of [s, viaTuple, [1, { a: s }]]) {
      for (let p = 0; p < 4; p++) {
        expect(() => dumps(v, { protocol: p }), `protocol ${p}`).toThrow(PicklingError);
        expect(() => dumps(v, { protocol: p })).toThrow(/contains itself/);
      }
      for (const p of [4, 5]) expect(dumps(v, { protocol: p }).length).toBeGreaterThan(0);
    }
  });

  test("a Map holding itself as key and value pickles at every protocol and loads back", () => {
    const m = new Map<unknown, unknown>();
    m.set(m, m);
    for (let p = 0; p <= 5; p++) {
      const back = (loads(dumps([m], { protocol: p })) as Map<unknown, unknown>[])[0]!;
      expect(back.get(back)).toBe(back);
    }
  });

  test("sets at protocols 0-3 that reach themselves through an object still pickle (memo growth ends it)", async () => {
    // A set whose element is a list holding the set: Python cannot hash the list, but the
    // recursion ends through the list's memo entry, so no false alarm from the cycle check.
    const s = new Set<unknown>();
    const l: unknown[] = [];
    s.add(l);
    l.push(s);
    for (let p = 0; p < 4; p++) expect(dumps(s, { protocol: p }).length).toBeGreaterThan(0);
  });
});

describe("values that cannot be read or have no Python form", () => {
  test("a typed array over a detached ArrayBuffer: PicklingError naming the path", () => {
    const u8 = new Uint8Array(new ArrayBuffer(8));
    const off = new Uint8Array(new ArrayBuffer(8), 3);
    structuredClone(u8.buffer, { transfer: [u8.buffer] });
    structuredClone(off.buffer, { transfer: [off.buffer] });
    for (const v of [u8, off]) {
      for (let p = 0; p <= 5; p++) {
        expect(() => dumps({ x: [1, v] }, { protocol: p })).toThrow(PicklingError);
        expect(() => dumps({ x: [1, v] }, { protocol: p })).toThrow(/obj\["x"\]\[1\].*detached/);
      }
    }
  });

  test("a revoked Proxy: PicklingError naming the path", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (let p = 0; p <= 5; p++) {
      expect(() => dumps({ a: [proxy] }, { protocol: p })).toThrow(PicklingError);
      expect(() => dumps({ a: [proxy] }, { protocol: p })).toThrow(/obj\["a"\]\[0\].*revoked Proxy/);
    }
  });

  test("a symbol-keyed property is an error naming the path, not silently dropped", () => {
    const inner = { b: 1, [Symbol("s")]: 2 };
    expect(() => dumps({ a: inner })).toThrow(PicklingError);
    expect(() => dumps({ a: inner })).toThrow(/obj\["a"\].*Symbol\(s\)/);
    // Symbol values and Map keys were errors already.
    expect(() => dumps(new Map([[Symbol("k"), 1]]))).toThrow(PicklingError);
  });

  test("after such an error the same pickler state is clean: the next dumps is CPython's", async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => dumps([proxy])).toThrow(PicklingError);
    const ours = hexOf(dumps({ a: [1, 2] }));
    expect(ours).toBe(await py.eval<string>("pickle.dumps({'a': [1, 2]}, 5).hex()"));
  });
});
