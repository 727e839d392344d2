/**
 * Long str whose first bytes are mostly the UTF-8 of U+0080-U+00FF (how protocols 0-2 write
 * bytes: `_codecs.encode(str, 'latin1')`, numpy's array data) take a decoder of their own,
 * which hands anything else (a code point beyond U+00FF, a surrogate, invalid UTF-8) to the
 * general one: each case against CPython's load of the same bytes, in both models.
 */
import { readFileSync } from "node:fs";
import { PickleError } from "@x/pickle-core";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loads } from "../src/index.js";
import { type Desc, describe, fromHex, normalize } from "./unpickle-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(readFileSync(new URL("./data/unpickle/mirror.py", import.meta.url), "utf8"));
  await py.exec(`
def load_error(h):
    try:
        __import__('pickle').loads(bytes.fromhex(h))
    except Exception as e:
        return [type(e).__name__, str(e)]
    return None
`);
});
afterAll(async () => {
  await py?.close();
});

type Case = [protocol: number, pickleHex: string, desc: Desc];

const L1 = "''.join(chr(128 + (i * 7) % 128) if i % 3 else chr(65 + i % 26) for i in range({n}))";

test.each([
  "bytes(range(256)) * 300",
  "__import__('random').Random(3).randbytes(70000)",
  "[__import__('random').Random(i).randbytes(100 + i) for i in range(40)]",
  L1.replace("{n}", "5000"),
  `${L1.replace("{n}", "5000")} + '\\u20ac'`,
  `${L1.replace("{n}", "5000")} + '\\U0001f600' + 'x' * 10`,
  `${L1.replace("{n}", "3000")} + '\\ud800' + ${L1.replace("{n}", "100")}`,
  `'\\u20ac' + ${L1.replace("{n}", "5000")}`,
  `${L1.replace("{n}", "65")}`,
  "'\\xe9' * 16 + 'a' * 48 + '\\xff' * 1000",
  "'\\xe9' * 15 + 'a' * 49 + '\\xff' * 1000",
])("str and bytes load as CPython's: %s", async (src) => {
  const cases = await py.call<Case[]>("cases_for", src);
  for (const [protocol, h, desc] of cases) {
    const data = fromHex(h);
    expect(normalize(describe(loads(data, { model: "faithful" }))), `p${protocol}`).toEqual(normalize(desc));
    const fromPy = await py.eval<string>(
      `(lambda v: v.hex() if isinstance(v, bytes) else [x.hex() for x in v] if isinstance(v, list) else v.encode('utf-16-le', 'surrogatepass').hex())(__import__('pickle').loads(bytes.fromhex('${h}')))`,
    );
    const natural = loads(data);
    const ours =
      natural instanceof Uint8Array
        ? Buffer.from(natural).toString("hex")
        : Array.isArray(natural)
          ? natural.map((b) => Buffer.from(b as Uint8Array).toString("hex"))
          : utf16Hex(natural as string);
    expect(ours, `natural p${protocol}`).toEqual(fromPy);
  }
});

function utf16Hex(s: string): string {
  let h = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h += (c & 0xff).toString(16).padStart(2, "0") + (c >> 8).toString(16).padStart(2, "0");
  }
  return h;
}

// BINUNICODE of 200 bytes: mostly C3 xx pairs, with one bad sequence at `at`.
test.each([
  ["a lead byte without its continuation", 100, "c341"],
  ["a continuation byte alone", 101, "a9"],
  ["a cut pair at the end", 198, "41c3"],
  ["an overlong pair", 50, "c1a9"],
  ["a lead byte of a longer sequence, cut", 120, "e282"],
  ["an encoded surrogate (surrogatepass)", 60, "eda080"],
])("invalid UTF-8 after latin-1 text fails as CPython's: %s", async (_, at, bad) => {
  const body = new Uint8Array(200);
  for (let i = 0; i < 200; i += 2) body.set([0xc3, 0xa9], i);
  const b = fromHex(bad);
  body.set(b, at);
  const bodyHex = Buffer.from(body).toString("hex");
  // PROTO 4, BINUNICODE of 200 bytes, MEMOIZE (0x94: a continuation byte, must not be read), STOP
  const h = `800458c8000000${bodyHex}942e`;
  const theirs = await py.call<[string, string] | null>("load_error", h);
  let mine: [string, string] | null = null;
  let value: unknown;
  try {
    value = loads(fromHex(h));
  } catch (e) {
    if (!PickleError.isInstance(e)) throw e;
    mine = [e.pyType ?? "", e.message];
  }
  if (theirs === null) {
    expect(mine).toBeNull();
    const s = await py.eval<string>(
      `__import__('pickle').loads(bytes.fromhex('${h}')).encode('utf-16-le', 'surrogatepass').hex()`,
    );
    expect(utf16Hex(value as string)).toBe(s);
  } else {
    expect(mine?.[0]).toBe(theirs[0]);
    expect(mine?.[1].startsWith(theirs[1]), `${mine?.[1]} vs ${theirs[1]}`).toBe(true);
  }
});
