/**
 * One complexity test per attack class of issue #11: the same hostile input at 4 sizes
 * (n, 2n, 4n, 8n), each timed as the minimum of several runs. Linear growth doubles the time
 * per doubling of the size, quadratic growth quadruples it: the median of the three ratios
 * must stay below 3, and the whole 8n/n ratio below 32 (quadratic: 64), which separates them
 * on a noisy shared machine (one GC pause moves one ratio, not the median) without ever
 * comparing absolute times.
 */
import { expect, test } from "vitest";
import { isPyDict, loads, type PyDict } from "../src/index.js";

const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function cat(parts: (Uint8Array | string | number[])[]): Uint8Array {
  const bs = parts.map((p) =>
    typeof p === "string" ? bytesOf(p) : Array.isArray(p) ? Uint8Array.from(p) : p,
  );
  const out = new Uint8Array(bs.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

const u32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];

/** Minimum CPU time (ms) of `runs` calls: CPU time, not wall time, so other processes on a busy machine do not count. */
function minTime(f: () => void, runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    f();
    const d = process.cpuUsage(t);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

/** Asserts that loading `make(n)` grows linearly over n, 2n, 4n, 8n. */
function expectLinear(
  label: string,
  make: (n: number) => Uint8Array,
  n: number,
  run = (d: Uint8Array) => loads(d),
) {
  const sizes = [n, 2 * n, 4 * n, 8 * n];
  const inputs = sizes.map(make);
  for (const d of inputs) run(d); // warm-up (and the input must load)
  const times = inputs.map((d) => minTime(() => run(d), 5)).map((t) => Math.max(t, 0.05));
  const at = (i: number): number => times[i] as number;
  const ratios = [at(1) / at(0), at(2) / at(1), at(3) / at(2)].sort((a, b) => a - b);
  const text = `${label}: ${times.map((t) => t.toFixed(2)).join(" / ")} ms`;
  expect(ratios[1], text).toBeLessThan(3);
  expect(at(3) / at(0), text).toBeLessThan(32);
}

/** n dicts appended to a list, then each fetched by GET and given an int key (Map promotion after escape). */
function promotedAfterGet(n: number, multiPut: boolean): Uint8Array {
  const parts: (Uint8Array | string | number[])[] = ["\x80\x02]q\x00("];
  for (let i = 1; i <= n; i++) {
    parts.push("}r", u32(i));
    if (multiPut) parts.push("r", u32(n + i));
  }
  parts.push("e");
  for (let i = 1; i <= n; i++) parts.push("j", u32(multiPut ? n + i : i), "K\x01K\x02s0");
  parts.push(".");
  return cat(parts);
}

test("dicts that become Maps after GET: linear", () => {
  expectLinear("promotion after GET", (n) => promotedAfterGet(n, false), 1000);
  expectLinear("promotion after GET, two memo ids each", (n) => promotedAfterGet(n, true), 1000);
  const v = loads(promotedAfterGet(3, true)) as Map<unknown, unknown>[];
  expect(v).toHaveLength(3);
  for (const d of v) expect(d.get(1)).toBe(2);
});

test("natural dicts that fall back to PyDict after GET (NaN keys): linear", () => {
  const nan = [0x47, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0];
  expectLinear(
    "PyDict fallback after GET",
    (n) => {
      const parts: (Uint8Array | string | number[])[] = ["\x80\x02]q\x00("];
      for (let i = 1; i <= n; i++) parts.push("}r", u32(i));
      parts.push("e");
      for (let i = 1; i <= n; i++) parts.push("j", u32(i), "(", nan, "K\x01", nan, "K\x02u0");
      parts.push(".");
      return cat(parts);
    },
    1000,
  );
});

test("LONG4 payloads: linear", () => {
  expectLinear(
    "LONG4",
    (n) => {
      const p = new Uint8Array(n);
      for (let i = 0; i < n; i++) p[i] = (i * 7 + 3) & 255;
      return cat(["\x80\x02\x8b", u32(n), p, "."]);
    },
    16 * 1024,
  );
});

test("FLOAT text with long invalid digit runs: linear", () => {
  expectLinear(
    "FLOAT",
    (n) => bytesOf(`F0.${"1".repeat(n)}x\n.`),
    16000,
    (d) => {
      expect(() => loads(d)).toThrow(/could not convert string to float/);
    },
  );
});

test("protocol 0 STRING escapes and UNICODE backslash runs: linear", () => {
  expectLinear("STRING escapes", (n) => bytesOf(`S'${"\\x41\\n\\101\\\\".repeat(n)}'\n.`), 4000);
  expectLinear("UNICODE backslashes", (n) => bytesOf(`V${"\\".repeat(n)}\n.`), 30000);
  expectLinear("UNICODE escapes", (n) => bytesOf(`V${"\\u00e9a".repeat(n)}\n.`), 10000);
});

test("memo ids far apart: linear", () => {
  expectLinear(
    "sparse memo",
    (n) => {
      const parts: (Uint8Array | string | number[])[] = ["\x80\x02N"];
      for (let i = 0; i < n; i++) parts.push("r", u32(i * 65535));
      parts.push(".");
      return cat(parts);
    },
    2000,
  );
});

/**
 * One dict of n int keys that share their low 64 bits (V8 hashes a BigInt key by them): a
 * natural Map would chain them all in one bucket, so the natural builder falls back to a PyDict,
 * whose keyed hash spreads them. Keys are LONG1 ints `i * 2**64 + 1`.
 */
function collidingIntKeys(n: number): Uint8Array {
  const parts: (Uint8Array | string | number[])[] = ["\x80\x02}q\x00("];
  for (let i = 1; i <= n; i++) {
    // little-endian two's complement: 1 in the low 8 bytes, i above (3 bytes, positive)
    parts.push("\x8a", [11, 1, 0, 0, 0, 0, 0, 0, 0, i & 255, (i >>> 8) & 255, (i >>> 16) & 127], "K\x01");
  }
  parts.push("u.");
  return cat(parts);
}

test("int dict keys sharing their low 64 bits (hash flooding): linear, natural and faithful", () => {
  expectLinear("colliding int keys, natural", (n) => collidingIntKeys(n), 2000);
  expectLinear(
    "colliding int keys, faithful",
    (n) => collidingIntKeys(n),
    2000,
    (d) => loads(d, { model: "faithful" }),
  );
  const v = loads(collidingIntKeys(40));
  // a natural Map cannot hold so many colliding bigints cheaply: the dict comes back as a PyDict
  expect(isPyDict(v)).toBe(true);
  expect((v as PyDict).size).toBe(40);
  expect((v as PyDict).get(2n ** 64n * 7n + 1n)).toBe(1);
});
