/**
 * The CPython conversions pickletools' argument readers use, against CPython on random input:
 * int(bytes), float(bytes), codecs.escape_decode + ascii, raw-unicode-escape, and
 * utf-8/surrogatepass (values and exact error messages), and repr of the decoded str.
 */
import { floatRepr } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PickletoolsError } from "../src/index.js";
import { intRepr, strRepr } from "../src/pickletools/py-repr.js";
import {
  asciiDecode,
  escapeDecode,
  parsePyFloat,
  parsePyInt,
  rawUnicodeEscapeDecode,
  utf8SurrogatepassDecode,
} from "../src/pickletools/py-text.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import codecs
def _try(f):
    try:
        return [f(), None]
    except Exception as e:
        return [None, [type(e).__name__, str(e)]]
def ints(items):
    return [_try(lambda: repr(int(b))) for b in items]
def floats(items):
    return [_try(lambda: repr(float(b))) for b in items]
def escapes(items):
    return [_try(lambda: repr(codecs.escape_decode(b)[0].decode("ascii"))) for b in items]
def raws(items):
    return [_try(lambda: repr(str(b, "raw-unicode-escape"))) for b in items]
def utf8s(items):
    return [_try(lambda: repr(str(b, "utf-8", "surrogatepass"))) for b in items]
`);
});
afterAll(async () => {
  await py?.close();
});

type Result = [string | null, [string, string] | null];

function ours(f: () => string): Result {
  try {
    return [f(), null];
  } catch (e) {
    if (!PickletoolsError.isInstance(e)) throw e;
    return [null, [e.pyType, e.message]];
  }
}

const bytesFrom = (alphabet: number[], maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((a) => new Uint8Array(a));
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

async function compare(fn: string, inputs: Uint8Array[], mine: (b: Uint8Array) => string): Promise<void> {
  const expected = await py.call<Result[]>(fn, inputs);
  inputs.forEach((b, i) => {
    expect(
      ours(() => mine(b)),
      `${fn}(${Array.from(b)})`,
    ).toEqual(expected[i]);
  });
}

const sample = <T>(arb: fc.Arbitrary<T>, n: number): T[] => fc.sample(arb, { numRuns: n, seed: 42 });

test("int(bytes): signs, whitespace, underscores, NUL, the digit limit", async () => {
  const arb = fc.oneof(
    bytesFrom(ascii(" \t\x0b+-_0123456789x\x00"), 12),
    bytesFrom(ascii("0123456789"), 12).map((d) => new Uint8Array([0x20, 0x2d, ...d, 0x20])),
  );
  const inputs = [
    ...sample(arb, 1500),
    new Uint8Array(4300).fill(0x31),
    new Uint8Array(4301).fill(0x31),
    new Uint8Array(300).fill(0xff),
  ];
  await compare("ints", inputs, (b) => intRepr(parsePyInt(b, 0, b.length)));
});

test("float(bytes): exponents, inf/nan spellings, underscores, whitespace", async () => {
  const arb = fc.oneof(
    bytesFrom(ascii(" +-_.0123456789eE\x00"), 10),
    fc
      .tuple(
        fc.constantFrom("", "+", "-", " "),
        fc.constantFrom(
          "inf",
          "INF",
          "Infinity",
          "nan",
          "NaN",
          "infinit",
          "nanx",
          "1e5",
          "1.5e-3",
          ".e1",
          "1e",
        ),
        fc.constantFrom("", " ", "\t"),
      )
      .map(([a, b, c]) => new Uint8Array(ascii(a + b + c))),
    fc.double().map((d) => new Uint8Array(ascii(String(d).replace("Infinity", "inf")))),
  );
  await compare("floats", sample(arb, 1500), (b) => {
    return floatRepr(parsePyFloat(b, 0, b.length));
  });
});

test("escape_decode then ascii (STRING arguments)", async () => {
  const arb = bytesFrom([...ascii("\\'\"abfntrvx01234567ABCDEFq\n"), 0xe9, 0x00], 10);
  await compare("escapes", sample(arb, 1500), (b) => {
    const raw = escapeDecode(b, 0, b.length);
    return strRepr(asciiDecode(raw, 0, raw.length));
  });
});

test("raw-unicode-escape (UNICODE arguments)", async () => {
  const arb = bytesFrom([...ascii("\\uU0123456789abcdefDF'\"x"), 0xe9, 0xff], 14);
  await compare("raws", sample(arb, 1500), (b) => {
    const d = rawUnicodeEscapeDecode(b, 0, b.length);
    return strRepr(d.value, d.codePoints);
  });
});

test("utf-8 with surrogatepass (BINUNICODE arguments)", async () => {
  const lead = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
  const cont = [0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbd, 0xbf];
  const arb = fc.oneof(
    bytesFrom([...lead, ...cont], 8),
    fc
      .array(fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0x10ffff })), {
        maxLength: 4,
      })
      // CESU-style encoding of every code point: surrogates as three bytes each.
      .map((cps) => {
        const out: number[] = [];
        for (const cp of cps) {
          if (cp < 0x80) out.push(cp);
          else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
          else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
          else
            out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
        }
        return new Uint8Array(out);
      }),
  );
  await compare("utf8s", sample(arb, 2000), (b) => {
    const d = utf8SurrogatepassDecode(b, 0, b.length);
    return strRepr(d.value, d.codePoints);
  });
});
