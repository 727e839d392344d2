/**
 * Hostile input: whatever the bytes, genops, dis and optimize end with a result or a
 * PickletoolsError — never a RangeError, TypeError or stack overflow — and lengths the data
 * declares are checked against what it holds before anything is allocated.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dis, genops, OPCODES, optimize, PickletoolsError } from "../src/index.js";

function settles(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!PickletoolsError.isInstance(e)) throw e;
  }
}

function allThree(data: Uint8Array): void {
  settles(() => {
    for (const _ of genops(data)) {
      // walk every opcode
    }
  });
  settles(() => dis(data, { annotate: 30 }));
  settles(() => optimize(data));
}

const codes = OPCODES.map((op) => op.code.charCodeAt(0));
// Opcode bytes mixed with small argument bytes and newlines: sequences that get far into
// the stack and memo checks instead of failing on the first byte.
const opcodeSoup = fc
  .array(fc.oneof(fc.constantFrom(...codes), fc.constantFrom(0x00, 0x01, 0x0a, 0x30, 0x31, 0xff)), {
    maxLength: 60,
  })
  .map((a) => new Uint8Array([...a, 0x2e]));

describe("hostile input", () => {
  test("random bytes settle with a result or a PickletoolsError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => allThree(data)),
      { numRuns: 3000, seed: 7 },
    );
  });

  test("random opcode sequences settle with a result or a PickletoolsError", () => {
    fc.assert(
      fc.property(opcodeSoup, (data) => allThree(data)),
      { numRuns: 3000, seed: 11 },
    );
  });

  test("declared lengths far beyond the data fail fast, allocating nothing", () => {
    const huge = [
      [0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], // BINBYTES8 2**63-1
      [0x8d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40], // BINUNICODE8 2**62
      [0x96, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // BYTEARRAY8 2**64-1
      [0x42, 0xff, 0xff, 0xff, 0xff], // BINBYTES 2**32-1
      [0x8b, 0xff, 0xff, 0xff, 0x7f], // LONG4 2**31-1
      [0x54, 0xff, 0xff, 0xff, 0x7f], // BINSTRING 2**31-1
    ];
    for (const bytes of huge) {
      const data = new Uint8Array([...bytes, 0x2e]);
      const started = performance.now();
      expect(() => dis(data)).toThrow(PickletoolsError);
      expect(() => optimize(data)).toThrow(PickletoolsError);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  test("100000 nested MARKs are walked without recursion", () => {
    const data = new Uint8Array(100_001).fill(0x28);
    data[100_000] = 0x2e;
    // indentlevel 0 keeps the text linear; STOP pops one mark and CPython's final check
    // lists the 99999 left.
    let caught: unknown;
    try {
      dis(data, { indentlevel: 0 });
    } catch (e) {
      caught = e;
    }
    expect(PickletoolsError.isInstance(caught)).toBe(true);
    const message = (caught as PickletoolsError).message;
    expect(message.startsWith("stack not empty after STOP: [mark, mark, ")).toBe(true);
    expect(message.length).toBe("stack not empty after STOP: []".length + 99_999 * 6 - 2);
    expect(optimize(data).length).toBe(100_001);
  });
});
