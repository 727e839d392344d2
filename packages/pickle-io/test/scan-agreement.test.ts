/**
 * The scanner agrees with the loader by construction: on thousands of random opcode
 * sequences and of mutated real pickles, the globals `scan` reports are exactly the globals a
 * real load asks `findClass` for, and both stop at the same opcode when the input is bad
 * (same prefix). The loader here is the library's Unpickler with recording overrides whose
 * values stay inert (as the scanner's do): findClass records and returns a reference,
 * persistentLoad returns a reference (torch's module ids: the class), buffers are given.
 */
import { PickleError } from "@x/pickle-core";
import { isPyGlobal, PyGlobal } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { scan, Unpickler } from "../src/index.js";
import { asm, type Part, su } from "./support/pickle-asm.js";

class RecordingUnpickler extends Unpickler {
  readonly seen = new Set<string>();
  override findClass(module: string, name: string): unknown {
    this.seen.add(`${module}.${name}`);
    // a name no builtin loader or registration matches: every call stays inert
    return new PyGlobal(`recorded:${module}`, name);
  }
  override persistentLoad(pid: unknown): unknown {
    if (Array.isArray(pid) && pid[0] === "module" && isPyGlobal(pid[1])) return pid[1];
    return new PyGlobal("recorded:persistent", "id");
  }
}

const buffers: Iterable<unknown> = {
  *[Symbol.iterator]() {
    for (;;) yield new Uint8Array(0);
  },
};

/** Loads the first pickle; returns the globals findClass saw and where it failed (or null). */
function load(data: Uint8Array): { globals: string[]; failedAt: number | null | "eof" } {
  const u = new RecordingUnpickler(data, { buffers });
  let failedAt: number | null | "eof" = null;
  try {
    u.load();
  } catch (e) {
    if (!PickleError.isInstance(e)) throw e;
    failedAt = e.name === "EOFError" && e.offset === 0 ? "eof" : (e.offset ?? -1);
  }
  return { globals: [...u.seen].sort(), failedAt };
}

function agree(data: Uint8Array): void {
  const loaded = load(data);
  const r = scan(data, { maxPickles: 1 });
  const scanned = [...new Set(r.globals.map((g) => `${g.module}.${g.name}`))].sort();
  const hex = Buffer.from(data).toString("hex");
  expect(scanned, hex).toEqual(loaded.globals);
  const scanFailedAt =
    r.error === null
      ? null
      : r.error.offset === 0 && /EOFError/.test(r.error.message)
        ? "eof"
        : (r.error.offset ?? -1);
  expect(scanFailedAt, hex).toEqual(loaded.failedAt);
}

const NAMES = [
  "os",
  "system",
  "builtins",
  "set",
  "getattr",
  "a.b",
  "x",
  "__builtin__",
  "torch._utils",
  "module",
  "storage",
];

/** One opcode (with its argument) from a vocabulary that exercises globals, memo and calls. */
const opcode: fc.Arbitrary<Part> = fc.oneof(
  fc.constantFrom<Part>(
    "(",
    ")",
    "]",
    "}",
    "N",
    "\x88",
    "t",
    "l",
    "d",
    "\x85",
    "\x86",
    "\x87",
    "R",
    "\x81",
    "\x92",
    "b",
    "s",
    "u",
    "a",
    "e",
    "0",
    "1",
    "2",
    "\x94",
    "\x93",
    "o",
    "Q",
    "\x8f",
    "\x90",
    "\x91",
    "\x97",
    "\x98",
    "\x82\x01",
    "Pid\n",
    ["\x80", 2],
    ["\x80", 4],
  ),
  fc.constantFrom(...NAMES).map((n) => su(n)),
  fc
    .tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES))
    .map(([m, n]): Part => ["c", m, "\n", n, "\n"]),
  fc
    .tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES))
    .map(([m, n]): Part => ["i", m, "\n", n, "\n"]),
  fc.integer({ min: 0, max: 6 }).map((n): Part => ["q", n]),
  fc.integer({ min: 0, max: 6 }).map((n): Part => ["h", n]),
  fc.integer({ min: 0, max: 255 }).map((n): Part => ["K", n]),
);

let seeds: Uint8Array[] = [];
let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  seeds = await py.eval<
    Uint8Array[]
  >(`(lambda pickle, collections, datetime, decimal, fractions: [pickle.dumps(v, p) for p in range(6) for v in [
      {'a': [1, 2.5, None, 'x', b'y', (1, 2), {3}, frozenset([4]), bytearray(b'z')]},
      collections.OrderedDict(a=1), collections.deque([1]), collections.Counter('ab'), datetime.datetime(2020, 1, 2, 3, 4, 5),
      decimal.Decimal('1.5'), fractions.Fraction(1, 3), [set(), {1: 2}, range(3), slice(1, 2), 1j, NotImplemented, Ellipsis],
  ]])(__import__('pickle'), __import__('collections'), __import__('datetime'), __import__('decimal'), __import__('fractions'))`);
});
afterAll(async () => {
  await py?.close();
});

test("random opcode sequences: same globals, same failure offset", () => {
  fc.assert(
    fc.property(fc.array(opcode, { maxLength: 40 }), fc.boolean(), (ops, stop) => {
      agree(asm(...ops, stop ? "." : ""));
    }),
    { numRuns: 3000, seed: 16 },
  );
});

test("mutated real pickles (byte flips, truncation, inserted opcodes): same globals, same failure offset", () => {
  expect(seeds.length).toBeGreaterThan(40);
  fc.assert(
    fc.property(
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.option(fc.nat()),
      fc.option(fc.tuple(fc.nat(), opcode)),
      (which, flips, cut, insert) => {
        let data: Uint8Array = (seeds[which % seeds.length] as Uint8Array).slice();
        for (const [at, b] of flips) data[at % data.length] = b;
        if (insert !== null) {
          const at = insert[0] % (data.length + 1);
          data = asm(data.subarray(0, at), insert[1], data.subarray(at));
        }
        if (cut !== null) data = data.subarray(0, cut % (data.length + 1));
        agree(data);
      },
    ),
    { numRuns: 3000, seed: 16 },
  );
});

test("the generated inputs reach globals and failures (the property is not vacuous)", () => {
  let withGlobals = 0;
  let failed = 0;
  fc.assert(
    fc.property(fc.array(opcode, { maxLength: 40 }), (ops) => {
      const r = load(asm(...ops, "."));
      if (r.globals.length > 0) withGlobals++;
      if (r.failedAt !== null) failed++;
    }),
    { numRuns: 1000, seed: 16 },
  );
  expect(withGlobals).toBeGreaterThan(100);
  expect(failed).toBeGreaterThan(100);
  expect(failed).toBeLessThan(1000);
});
