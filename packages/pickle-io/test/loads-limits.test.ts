/**
 * Hostile sizes that CPython loads (or refuses) in linear time: long LONG1/LONG4 payloads,
 * INT/LONG text beyond sys.int_max_str_digits, FLOAT text with long digit runs, protocol 0
 * escapes, UNICODE lines full of backslashes and memo ids chosen far apart. Each result or
 * exception type is compared with CPython's C pickle on the same bytes.
 */
import { PickleError } from "@x/pickle-core";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loads } from "../src/index.js";
import { hex } from "./unpickle-describe.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle
def outcome(h, digits=4300):
    import sys
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(digits)
    try:
        v = pickle.loads(bytes.fromhex(h))
    except Exception as e:
        return ['error', type(e).__name__, str(e)]
    finally:
        sys.set_int_max_str_digits(old)
    if isinstance(v, int) and not isinstance(v, bool):
        return ['int', format(v, 'x')]
    if isinstance(v, float):
        return ['float', v.hex()]
    if isinstance(v, str):
        return ['str', v.encode('utf-8', 'surrogatepass').hex()]
    if isinstance(v, bytes):
        return ['bytes', v.hex()]
    return ['other', repr(v)[:200]]
`);
});
afterAll(async () => {
  await py?.close();
});

const enc = new TextEncoder();
const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const cat = (...parts: (Uint8Array | string)[]): Uint8Array => {
  const bs = parts.map((p) => (typeof p === "string" ? bytesOf(p) : p));
  const out = new Uint8Array(bs.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
};

function floatHex(x: number): string {
  // Python's float.hex for the values these tests produce (finite, inf, nan)
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  return String(x);
}

/** Our outcome in the oracle's shape. */
function ours(data: Uint8Array, intMaxStrDigits?: number): unknown[] {
  let v: unknown;
  try {
    v = loads(
      data,
      intMaxStrDigits === undefined ? { model: "faithful" } : { model: "faithful", intMaxStrDigits },
    );
  } catch (e) {
    if (!PickleError.isInstance(e)) throw e;
    return ["error", e.pyType, e.message.replace(/ \(at byte .*\)$/s, "")];
  }
  if (typeof v === "bigint") return ["int", v < 0n ? `-${(-v).toString(16)}` : v.toString(16)];
  if (typeof v === "number") return ["float", floatHex(v)];
  if (typeof v === "string") return ["str", hex(enc.encode(v))];
  if (v instanceof Uint8Array) return ["bytes", hex(v)];
  if (v === null) return ["other", "None"];
  return ["other", String(v)];
}

async function compare(data: Uint8Array, label: string, digits?: number): Promise<void> {
  const theirs = await py.call<unknown[]>("outcome", hex(data), digits ?? 4300);
  const mine = ours(data, digits);
  if (theirs[0] === "float") {
    // compare by value: parse Python's float.hex
    const t = await py.eval<string>(`repr(float.fromhex(h))`, { h: theirs[1] });
    expect(mine[0], label).toBe("float");
    expect(String(mine[1]).replace("Infinity", "inf"), label).toBe(
      t === "inf" || t === "-inf" || t === "nan" ? t : String(Number(t)),
    );
    return;
  }
  if (theirs[0] === "error") {
    expect(mine[0], `${label}: ${String(mine)}`).toBe("error");
    expect(mine[1], `${label}: ${String(mine[2])} vs ${String(theirs[2])}`).toBe(theirs[1]);
    return;
  }
  expect(mine, label).toEqual(theirs);
}

function long4(payload: Uint8Array): Uint8Array {
  const n = payload.length;
  return cat(
    "\x80\x02\x8b",
    new Uint8Array([n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24]),
    payload,
    ".",
  );
}

test("LONG1/LONG4 payloads of many sizes load as CPython loads them", async () => {
  for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 100, 255, 256, 1000, 4099, 70000]) {
    for (const top of [0x00, 0x7f, 0x80, 0xff]) {
      const p = new Uint8Array(n);
      for (let i = 0; i < n; i++) p[i] = (i * 131 + 7) & 255;
      if (n > 0) p[n - 1] = top;
      await compare(long4(p), `LONG4 n=${n} top=${top}`);
      if (n < 256) await compare(cat("\x80\x02\x8a", new Uint8Array([n]), p, "."), `LONG1 n=${n} top=${top}`);
    }
  }
});

test("INT/LONG text beyond sys.int_max_str_digits raises ValueError, as in CPython 3.11", async () => {
  const cases = [
    `I${"1".repeat(4300)}\n.`,
    `I${"1".repeat(4301)}\n.`,
    `I-${"9".repeat(5000)}\n.`,
    `I${"0".repeat(5000)}1\n.`,
    `L${"1".repeat(4300)}L\n.`,
    `L${"1".repeat(4301)}L\n.`,
    `L${"0".repeat(5000)}L\n.`,
    `L${"1_".repeat(4300)}1L\n.`,
    `L${"1_".repeat(2000)}1L\n.`,
    `L 1${"2".repeat(4300)} \n.`,
    `L0x${"f".repeat(6000)}L\n.`,
    `I0b${"1".repeat(6000)}\n.`,
  ];
  for (const c of cases) await compare(bytesOf(c), c.slice(0, 20));
  // the option lifts or lowers the limit, as sys.set_int_max_str_digits does
  for (const digits of [0, 700, 5000]) {
    for (const c of [`L${"7".repeat(4400)}L\n.`, `I${"3".repeat(750)}\n.`, `L${"3".repeat(699)}\n.`]) {
      await compare(bytesOf(c), `${c.slice(0, 10)} digits=${digits}`, digits);
    }
  }
});

test("FLOAT text: CPython's prefix parse, its exception types, and no backtracking", async () => {
  const cases = [
    "1x",
    " 1.0",
    "1.0 ",
    "inf",
    "-Infinity",
    "nan",
    "+nan",
    "infx",
    "1e",
    "1e+",
    ".",
    ".5",
    "5.",
    "-.5e-3",
    "1_0",
    "0x10",
    "1e999x",
    "1e-999",
    "\t",
    "in",
    "1.5e3",
    "1\r",
    "-",
    "1\x00x",
    "9".repeat(400),
    `${"9".repeat(400)}x`,
    `${"1".repeat(16000)}x`,
    `0.${"1".repeat(16000)}x`,
    `${"1".repeat(300)}.${"0".repeat(16000)}`,
    "1E5",
    "Nan",
    "iNfInItY",
    "infinit",
    "2.5e-324",
  ];
  for (const c of cases) await compare(bytesOf(`F${c}\n.`), JSON.stringify(c.slice(0, 30)));
});

test("protocol 0 STRING escapes and UNICODE backslash runs decode as CPython's", async () => {
  const cases = [
    `S'${"\\\\".repeat(3000)}'\n.`,
    `S'${"\\x41\\n\\101\\'".repeat(2000)}'\n.`,
    `S'${"ab".repeat(5000)}'\n.`,
    `S'\\x1'\n.`,
    `S'\\'\n.`,
    `V${"\\".repeat(200001)}u0041\n.`,
    `V${"\\".repeat(200000)}\n.`,
    `V${"\\u00e9\\\\x".repeat(30000)}\n.`,
    `Vab\\u12\n.`,
    `V\\U00110000\n.`,
  ];
  for (const c of cases) await compare(bytesOf(c), c.slice(0, 20));
});

test("memo ids far apart (LONG_BINPUT 65,535 apart) load with a small memo", async () => {
  const build = (puts: number): Uint8Array => {
    const parts: (string | Uint8Array)[] = ["\x80\x02N"];
    for (let i = 0; i < puts; i++) {
      const id = i * 65535;
      parts.push("r", new Uint8Array([id & 255, (id >> 8) & 255, (id >> 16) & 255, id >>> 24]));
    }
    const last = (puts - 1) * 65535;
    parts.push("0j", new Uint8Array([last & 255, (last >> 8) & 255, (last >> 16) & 255, last >>> 24]), ".");
    return cat(...parts);
  };
  // CPython itself allocates a memo as large as the largest id: compare on a few
  await compare(build(20), "sparse memo");
  expect(loads(build(20))).toBe(null);
  expect(loads(build(1800))).toBe(null);
  expect(loads(build(60000))).toBe(null);
  // ids far apart then dense: every id still found
  const mixed = cat(
    "\x80\x02K\x07r",
    new Uint8Array([0, 0, 4, 0]),
    ...Array.from({ length: 300 }, (_, i) =>
      cat("K", new Uint8Array([i & 255]), "r", new Uint8Array([i & 255, i >> 8, 0, 0]), "0"),
    ),
    "j",
    new Uint8Array([0, 0, 4, 0]),
    ".",
  );
  expect(loads(mixed)).toBe(7);
});
