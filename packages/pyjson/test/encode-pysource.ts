/**
 * Test helper: the Python source text of a JS value as the encoder reads it, so CPython can
 * rebuild the same value (`eval`) and be asked for its `json.dumps`. Strings go code point by
 * code point (a JS surrogate pair is one astral character, a lone surrogate stays one), numbers
 * follow the model (natural: integral -> int, else float; faithful: every number a float).
 */
import { brandOf, floatRepr, type PyDict, type PyTuple } from "@x/pyobject";

/** What a dumps call gave: its text, or the Python type and message of its error. */
export type Outcome = ["ok", string] | ["err", string, string];

/** The outcome of a call of ours; a raw JS error is a bug, never an expected outcome: rethrown. */
export function jsOutcome(f: () => string): Outcome {
  try {
    return ["ok", f()];
  } catch (e) {
    const err = e as { pyType?: string; message: string };
    if (err.pyType === undefined) throw e;
    return ["err", err.pyType, err.message];
  }
}

export function pyStr(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) as number;
    i += cp > 0xffff ? 2 : 1;
    if (cp >= 0x20 && cp < 0x7f && cp !== 0x27 && cp !== 0x5c) out += String.fromCharCode(cp);
    else if (cp > 0xffff) out += `\\U${cp.toString(16).padStart(8, "0")}`;
    else out += `\\u${cp.toString(16).padStart(4, "0")}`;
  }
  return `${out}'`;
}

function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (x === Infinity) return "float('inf')";
  if (x === -Infinity) return "float('-inf')";
  return floatRepr(x);
}

export function pySource(v: unknown, faithful = false): string {
  switch (typeof v) {
    case "string":
      return pyStr(v);
    case "number":
      if (!faithful && Number.isInteger(v) && !Object.is(v, -0)) return BigInt(v).toString();
      return pyFloat(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "True" : "False";
    case "undefined":
      return "None";
  }
  if (v === null) return "None";
  const rec = (x: unknown): string => pySource(x, faithful);
  if (Array.isArray(v)) return `[${v.map(rec).join(", ")}]`;
  if (v instanceof Uint8Array) return `bytes.fromhex('${Buffer.from(v).toString("hex")}')`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${rec(k)}: ${rec(x)}`).join(", ")}}`;
  if (v instanceof Set) return v.size === 0 ? "set()" : `{${[...v].map(rec).join(", ")}}`;
  switch (brandOf(v)) {
    case "tuple": {
      const items = (v as PyTuple).items;
      return items.length === 1 ? `(${rec(items[0])},)` : `(${items.map(rec).join(", ")})`;
    }
    case "dict":
      return `{${[...(v as PyDict)].map(([k, x]) => `${rec(k)}: ${rec(x)}`).join(", ")}}`;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    return `{${Object.keys(v as object)
      .map((k) => `${pyStr(k)}: ${rec((v as Record<string, unknown>)[k])}`)
      .join(", ")}}`;
  }
  throw new Error(`no Python source for ${String(v)}`);
}

/** Python keyword arguments for json.dumps from the camelCase options. */
export function pyKwargs(o: Record<string, unknown>): string {
  const parts: string[] = [];
  const names: Record<string, string> = {
    skipkeys: "skipkeys",
    ensureAscii: "ensure_ascii",
    checkCircular: "check_circular",
    allowNan: "allow_nan",
    sortKeys: "sort_keys",
    indent: "indent",
    separators: "separators",
  };
  for (const [k, v] of Object.entries(o)) {
    const name = names[k];
    if (name === undefined || v === undefined) continue;
    if (k === "separators" && v !== null) {
      const [a, b] = v as [string, string];
      parts.push(`separators=(${pyStr(a)}, ${pyStr(b)})`);
    } else parts.push(`${name}=${pySource(v)}`);
  }
  return parts.join(", ");
}

/** Python helpers: run many cases in one round trip, report text or (type, message). */
export const PY_HELPERS = `
import json
def _outcome(f):
    try:
        return ["ok", f()]
    except Exception as e:
        return ["err", type(e).__name__, str(e)]
def dumps_cases(cases):
    return [_outcome(lambda: json.dumps(eval(src), **eval("dict(" + kw + ")"))) for src, kw in cases]
def iter_cases(cases):
    out = []
    for src, kw in cases:
        chunks = []
        def run():
            for c in json.JSONEncoder(**eval("dict(" + kw + ")")).iterencode(eval(src)):
                chunks.append(c)
            return None
        r = _outcome(run)
        out.append([chunks, r[1:] if r[0] == "err" else None])
    return out
`;
