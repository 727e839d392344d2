import { describe, expect, test } from "vitest";
import { dis, genops, MAX_DIS_TEXT, PickletoolsError } from "../src/pickletools/index.js";

/**
 * Complexity attacks on pickletools: the same input at 4 doubling sizes. Times are the best of
 * a few runs after a warm-up; a linear cost doubles per step, a quadratic one quadruples.
 */
function growthRatios(run: (n: number) => void, sizes: readonly number[], repeats = 5): number[] {
  run(sizes[sizes.length - 1]!);
  const times = sizes.map((n) => {
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      run(n);
      best = Math.min(best, performance.now() - t0);
    }
    return Math.max(best, 0.05);
  });
  return times.slice(1).map((t, i) => t / times[i]!);
}
const overSize = (ratios: readonly number[]) => ratios.reduce((a, b) => a * b, 1) / 2 ** ratios.length;

function marks(n: number): Uint8Array {
  const data = new Uint8Array(n + 1).fill(0x28); // MARK * n
  data[n] = 0x2e; // STOP
  return data;
}

function catchError(f: () => unknown): PickletoolsError {
  try {
    f();
  } catch (e) {
    if (PickletoolsError.isInstance(e)) return e;
    throw e;
  }
  throw new Error("no error");
}

describe("dis streams its output", () => {
  test("MARK bytes with an output sink: memory stays flat while the text grows quadratically", () => {
    // n MARKs print n lines indented 4 * depth: about 2 n**2 characters (CPython's text too).
    const run = (n: number) => {
      let chars = 0;
      let lines = 0;
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      const e = catchError(() =>
        dis(marks(n), {
          out: (t: string) => {
            chars += t.length;
            for (let i = t.indexOf("\n"); i >= 0; i = t.indexOf("\n", i + 1)) lines++;
            if ((lines & 255) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
          },
        }),
      );
      expect(e.message).toMatch(/^stack not empty after STOP/);
      expect(e.output).toBe("");
      return { chars, lines, peak };
    };
    const big = run(16_000);
    expect(big.lines).toBe(16_002);
    expect(big.chars).toBeGreaterThan(2 * 16_000 ** 2 * 0.9);
    // 500 M characters written; the heap holds a chunk at a time.
    expect(big.peak).toBeLessThan(64 * 2 ** 20);
  }, 120_000);

  test("time grows with the text written, not faster", () => {
    let chars = 0;
    const sink = (t: string) => {
      chars += t.length;
    };
    const perChar: number[] = [];
    for (const n of [1000, 2000, 4000, 8000]) {
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < 3; r++) {
        chars = 0;
        const t0 = performance.now();
        catchError(() => dis(marks(n), { out: sink }));
        best = Math.min(best, performance.now() - t0);
      }
      perChar.push(best / chars);
    }
    expect(perChar[3]! / perChar[0]!, `ns per char ${perChar.map((x) => x * 1e6)}`).toBeLessThan(4);
  }, 120_000);

  test("without a sink, a text beyond MAX_DIS_TEXT is a MemoryError before memory runs out", () => {
    const e = catchError(() => dis(marks(50_000)));
    expect(e.name).toBe("MemoryError");
    expect(MAX_DIS_TEXT).toBe(2 ** 26);
  }, 120_000);
});

describe("FLOAT arguments parse in linear time", () => {
  // FLOAT "111...1x\n": CPython's ValueError, found without backtracking.
  const floatOp = (n: number): Uint8Array => {
    const data = new Uint8Array(n + 4);
    data[0] = 0x46; // FLOAT
    data.fill(0x31, 1, n + 1);
    data[n + 1] = 0x78;
    data[n + 2] = 0x0a;
    data[n + 3] = 0x2e;
    return data;
  };

  test("dis and genops on a long invalid number: linear growth, CPython's error", () => {
    const e = catchError(() => dis(floatOp(10)));
    expect(e.name).toBe("ValueError");
    expect(e.message).toBe("could not convert string to float: b'1111111111x'");
    const ratios = growthRatios(
      (n) => {
        const data = floatOp(n);
        catchError(() => dis(data));
        catchError(() => [...genops(data)]);
      },
      [64_000, 128_000, 256_000, 512_000],
    );
    expect(overSize(ratios), `ratios ${ratios}`).toBeLessThan(4);
  }, 120_000);

  test("long valid numbers still parse", () => {
    const digits = "1".repeat(5000);
    const data = new TextEncoder().encode(`F${digits}.5e-4990\n.`);
    expect(dis(data)).toContain("FLOAT      1111111111.1111112\n"); // python3: repr(float("1" * 5000 + ".5e-4990"))
  });
});
