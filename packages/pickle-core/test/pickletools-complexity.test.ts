import { describe, expect, test } from "vitest";
import { dis, genops, MAX_DIS_TEXT, PickletoolsError } from "../src/pickletools/index.js";

/**
 * Complexity attacks on pickletools, each at 4 doubling sizes, measured in ways a busy machine
 * does not disturb: heap use and characters written for dis's streaming, and for FLOAT
 * parsing the time of an invalid number against a valid one of the same length.
 */
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
    for (const n of [2_000, 4_000, 8_000, 16_000]) {
      const r = run(n);
      expect(r.lines).toBe(n + 2);
      expect(r.chars).toBeGreaterThan(2 * n ** 2 * 0.9);
      // Up to 500 M characters written; the heap holds a chunk at a time.
      expect(r.peak, `n=${n}`).toBeLessThan(64 * 2 ** 20);
    }
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

  test("dis and genops on a long invalid number cost what a valid one of the same length does", () => {
    const e = catchError(() => dis(floatOp(10)));
    expect(e.name).toBe("ValueError");
    expect(e.message).toBe("could not convert string to float: b'1111111111x'");
    // Against a same-length valid FLOAT (linear work) timed alternately in the same process, so
    // machine load slows both alike: backtracking made the invalid one ~n times slower.
    const valid = (n: number): Uint8Array => {
      const data = floatOp(n);
      data[n + 1] = 0x30; // "111...10\n" parses
      return data;
    };
    const quietly = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        if (!PickletoolsError.isInstance(e)) throw e;
      }
    };
    const work = (data: Uint8Array) => () => {
      quietly(() => dis(data));
      quietly(() => [...genops(data)]);
    };
    for (const n of [16_000, 32_000, 64_000, 128_000]) {
      const bad = work(floatOp(n));
      const good = work(valid(n));
      let tBad = Number.POSITIVE_INFINITY;
      let tGood = Number.POSITIVE_INFINITY;
      for (let r = 0; r < 7; r++) {
        let t0 = performance.now();
        bad();
        tBad = Math.min(tBad, performance.now() - t0);
        t0 = performance.now();
        good();
        tGood = Math.min(tGood, performance.now() - t0);
      }
      expect(tBad, `n=${n}: invalid ${tBad} ms, valid ${tGood} ms`).toBeLessThan(10 * tGood + 5);
    }
  }, 120_000);

  test("long valid numbers still parse", () => {
    const digits = "1".repeat(5000);
    const data = new TextEncoder().encode(`F${digits}.5e-4990\n.`);
    expect(dis(data)).toContain("FLOAT      1111111111.1111112\n"); // python3: repr(float("1" * 5000 + ".5e-4990"))
  });
});
