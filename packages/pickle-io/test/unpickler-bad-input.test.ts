/**
 * Malformed input: CPython's own AbstractUnpickleTests lists (bad stack, bad mark,
 * truncations, bad quoting), read from CPython's test source, plus more hand-written cases;
 * each must raise this library's errors (UnpicklingError, or PickleEOFError where CPython
 * raises EOFError) with CPython's message where CPython raises UnpicklingError, and the
 * byte offset and opcode.
 */
import { readFileSync } from "node:fs";
import { PickleEOFError, PickleError, UnpicklingError } from "@x/pickle-core";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loads } from "../src/index.js";
import { fromHex } from "./unpickle-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(readFileSync(new URL("./data/unpickle/mirror.py", import.meta.url), "utf8"));
});
afterAll(async () => {
  await py?.close();
});

function errorOf(data: Uint8Array, options: Parameters<typeof loads>[1] = {}): unknown {
  try {
    loads(data, options);
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Our error must be the counterpart of CPython's [type, message]. */
function checkAgainst(data: Uint8Array, cpython: [string, string] | null, label: string): void {
  const e = errorOf(data);
  if (cpython === null) {
    // CPython loads it; so must we (with the default, inert globals)
    expect(e, label).toBeUndefined();
    return;
  }
  expect(PickleError.isInstance(e), `${label}: ${String(e)}`).toBe(true);
  const err = e as PickleError;
  const [type, message] = cpython;
  if (type === "EOFError") {
    expect(PickleEOFError.isInstance(err), `${label}: ${err.message}`).toBe(true);
    expect(err.message).toBe("Ran out of input");
    return;
  }
  expect(UnpicklingError.isInstance(err), `${label}: ${err.message}`).toBe(true);
  expect(err.offset, label).toBeTypeOf("number");
  expect(err.message, label).toMatch(/\(at byte \d+, opcode 0x[0-9a-f]{2}/);
  if (type === "UnpicklingError") expect(err.message.replace(/ \(at byte .*\)$/s, ""), label).toBe(message);
}

test("AbstractUnpickleTests' bad pickles fail as in CPython", async () => {
  const lists = await py.call<Record<string, [string, [string, string] | null][]>>("pickletester_lists");
  expect(Object.keys(lists).sort()).toEqual(
    ["test_bad_mark", "test_bad_stack", "test_badly_quoted_string", "test_truncated_data"].sort(),
  );
  let n = 0;
  for (const [name, cases] of Object.entries(lists)) {
    for (const [h, cpython] of cases) {
      checkAgainst(fromHex(h), cpython, `${name} ${h}`);
      n++;
    }
  }
  expect(n).toBeGreaterThan(150);
});

const MORE: string[] = [
  "",
  "80",
  "8004",
  "4e",
  "2e",
  "302e",
  "312e",
  "282e",
  "612e",
  "4e612e",
  "4e4e612e",
  "284e612e",
  "68002e",
  "6a000000002e",
  "67300a2e",
  "4e70300a67310a2e",
  "ff2e",
  "80064e2e",
  "4931327a0a2e",
  "49780a2e",
  "46780a2e",
  "4631653939390a2e",
  "5327616263 0a2e",
  "536162630a2e",
  "53276127 0a2e",
  "54ffffffff2e",
  "58ffffffff2e",
  "5801000000802e",
  "8e00000000000000102e",
  "9500000000000000102e",
  "7d4e612e",
  "5d4e4e732e",
  "4e4e902e",
  "4e29522e",
  "4e4e522e",
  "4e29812e",
  "5d4e812e",
  "630a2e",
  "63666f6f0a2e",
  "82012e",
  "972e",
  "4e982e",
  "506162630a2e",
  "4e512e",
  "4e932e",
  "4e4e932e",
  "8bffffffff2e",
  "4c0a2e",
  "490a2e",
  "460a2e",
  "46315f300a2e",
  "565c7531320a2e",
  "565c55303031313030303030300a2e",
  "8a00 2e",
  "8c02c3282e",
  "8c03eda0802e",
  "8c03eda080 2e",
  "70 2d310a2e",
  "4e28932e",
  "4e2831",
  "8202",
  "830000",
  "8400000000",
  "7d28 4b014b02 4b03 752e",
  "28 4b01 4b02 4b03 642e",
  "4e4e4e922e",
  "4e28 5d 29 7d 922e",
  "4e28 29 4e 922e",
  "4e 29 7d 922e",
];

test("more hand-written bad pickles fail as in CPython", async () => {
  for (const raw of MORE) {
    const h = raw.replace(/ /g, "");
    const cpython = await py.call<[string, string] | null>("error_of", h);
    checkAgainst(fromHex(h), cpython, h);
  }
});

test("errors name the opcode and the byte offset", () => {
  const e = errorOf(fromHex("80024e4e612e")) as UnpicklingError;
  expect(UnpicklingError.isInstance(e)).toBe(true);
  expect(e.offset).toBe(4);
  expect(e.opcode).toBe(0x61);
  expect(e.message).toBe("'NoneType' object has no attribute 'append' (at byte 4, opcode 0x61 APPEND)");
  const eof = errorOf(new Uint8Array(0)) as PickleEOFError;
  expect(PickleEOFError.isInstance(eof)).toBe(true);
  expect(UnpicklingError.isInstance(eof)).toBe(false);
  expect(eof.message).toBe("Ran out of input");
});

test("STRING escapes and quoting as CPython", async () => {
  for (const [h, expected] of [
    ["532727 0a2e", ""],
    ["532222 0a2e", ""],
    ["53225c6e22 0a2e", "\n"],
    ["53275c6e27 0a2e", "\n"],
    ["53275c7830305c3337375c615c27 27 0a2e", null],
  ] as const) {
    const data = fromHex(h.replace(/ /g, ""));
    const desc = await py.call<unknown>("error_of", h.replace(/ /g, ""));
    if (expected !== null) {
      expect(loads(data)).toBe(expected);
      expect(desc).toBeNull();
    } else {
      // non-ASCII after escapes: an error with the default ASCII codec, bytes with "bytes"
      expect(UnpicklingError.isInstance(errorOf(data))).toBe(true);
      expect(loads(data, { encoding: "bytes" })).toEqual(new Uint8Array([0, 0xff, 7, 0x27]));
    }
  }
});

// Strings up to 64 bytes are decoded by hand (longer ones by TextDecoder): text of every width,
// encoded surrogates (surrogatepass) and invalid bytes at each position, as CPython does.
test("BINUNICODE of 3-156 bytes, valid and invalid UTF-8, loads or fails as in CPython", async () => {
  const cases = await py.eval<[string, string | null, string | null][]>(`(lambda r: [
    (lambda d: (lambda res: [d.hex()] + res)(
      (lambda: [pickle.loads(d), None])() if error_of(d.hex()) is None else [None, error_of(d.hex())[1]]))(
      b'\\x80\\x04\\x8c' + bytes([len(b)]) + b + b'.')
    for n in range(3, 40, 2)
    for pool in ('a\\xe9\\u20ac\\U0001f600', 'ab\\xe9', 'a\\u20ac\\ud800\\udfff')
    for base in [''.join(r.choice(pool) for _ in range(n)).encode('utf-8', 'surrogatepass')]
    for b in [base] + [base[:i] + bytes([x]) + base[i + 1:] for i in (0, len(base) // 2, len(base) - 1) for x in (0x80, 0xc0, 0xed, 0xf5, 0xe2)]
  ])(__import__('random').Random(3))`);
  expect(cases.length).toBe(19 * 3 * 16);
  let failures = 0;
  for (const [h, value, message] of cases) {
    const data = fromHex(h);
    if (message === null) expect(loads(data), h).toBe(value);
    else {
      failures++;
      const e = errorOf(data) as UnpicklingError;
      expect(UnpicklingError.isInstance(e), h).toBe(true);
      expect(e.message.replace(/ \(at byte .*\)$/s, ""), h).toBe(message);
    }
  }
  expect(failures).toBeGreaterThan(100);
});

// MARK's fast path for a list's batch of numbers must fail as the ordinary path does.
test("bad batches of numbers fail as in CPython", async () => {
  const run = "4b01".repeat(40);
  for (const raw of [
    `80025d28 28${run} 652e`, // two marks: APPENDS finds the inner one
    `80025d28 28${run} 65 6c2e`, // the same, with LIST taking the outer mark after
    `80024e 28${run} 652e`, // APPENDS on None
    `80027d 28${run} 652e`, // APPENDS on a dict
    `8002 28${run} 652e`, // APPENDS with nothing below the mark
    `80025d 28${run}`, // cut before APPENDS
    `80025d 28${run}8a09ff`, // cut inside a LONG1
    `80025d 28${run} 658a09`, // cut after APPENDS
  ]) {
    const h = raw.replace(/ /g, "");
    const cpython = await py.call<[string, string] | null>("error_of", h);
    checkAgainst(fromHex(h), cpython, h);
  }
});
