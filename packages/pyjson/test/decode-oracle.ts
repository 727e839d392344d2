/**
 * Shared by the decode tests: the outcome of `json.loads` in CPython and in this package, in
 * one tagged form (ints and floats told apart, dicts as pair lists, error fields), so results
 * and errors compare with a single `toEqual`.
 */
import { floatRepr, isPyDict, type PyDict, PyError } from "@x/pyobject";
import type { PythonOracle } from "@x/python-oracle";
import { JSONDecodeError, type LoadsOptions, loads, UnicodeDecodeError } from "../src/index.js";

export type Outcome =
  | { ok: unknown }
  | { err: "JSONDecodeError"; msg: string; pos: number; lineno: number; colno: number; str: string }
  | { err: string; str: string };

export const PY_OUTCOME = `
import json, sys, threading
def _tag(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return {"$i": str(v)}
    if isinstance(v, float):
        return {"$f": repr(v)}
    if isinstance(v, list):
        return [_tag(x) for x in v]
    if isinstance(v, dict):
        return {"$d": [[k, _tag(x)] for k, x in v.items()]}
    raise TypeError(type(v))
def _deep(fn):
    # Runs fn in a thread with a big C stack and a lifted recursion limit (deep results).
    res = {}
    def run():
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(10**6)
        try:
            res["v"] = fn()
        finally:
            sys.setrecursionlimit(old)
    threading.stack_size(1 << 29)
    try:
        t = threading.Thread(target=run); t.start(); t.join()
    finally:
        threading.stack_size(0)
    return res["v"]
def _loads(s, opts):
    kw = {}
    if opts.get("strict") is False:
        kw["strict"] = False
    try:
        v = json.loads(s, **kw)
    except json.JSONDecodeError as e:
        return {"err": "JSONDecodeError", "msg": e.msg, "pos": e.pos, "lineno": e.lineno, "colno": e.colno, "str": str(e)}
    except (ValueError, RecursionError) as e:
        return {"err": type(e).__name__, "str": str(e)}
    return {"ok": v}
def _outcome(s, opts):
    r = _loads(s, opts)
    if r.get("err") == "RecursionError":
        # CPython's limit, not the grammar, stopped it: the answer with the limit lifted.
        r = _deep(lambda: _loads(s, opts))
        r["deep"] = True
    if "ok" in r:
        r["ok"] = _deep(lambda: _tag(r["ok"]))
    return r
def outcomes(docs, opts=None):
    return _deep(lambda: json.dumps([_outcome(d, opts or {}) for d in docs]))
def outcome(s, opts=None):
    return _deep(lambda: json.dumps(_outcome(s, opts or {})))
`;

/** The tagged form of a faithful-model value. */
export function tag(v: unknown): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "bigint") return { $i: v.toString() };
  if (typeof v === "number") return { $f: floatRepr(v) };
  if (Array.isArray(v)) return v.map(tag);
  if (isPyDict(v)) return { $d: [...(v as PyDict<string, unknown>).entries()].map(([k, x]) => [k, tag(x)]) };
  throw new Error(`unexpected value ${String(v)}`);
}

/** This package's outcome for the faithful model (so ints and floats stay apart). */
export function ourOutcome(s: string | Uint8Array, options: LoadsOptions = {}): Outcome {
  try {
    return { ok: tag(loads(s, { ...options, model: "faithful" })) };
  } catch (e) {
    if (JSONDecodeError.isInstance(e))
      return {
        err: "JSONDecodeError",
        msg: e.msg,
        pos: e.pos,
        lineno: e.lineno,
        colno: e.colno,
        str: e.message,
      };
    if (UnicodeDecodeError.isInstance(e)) return { err: "UnicodeDecodeError", str: e.message };
    if (PyError.isInstance(e)) return { err: e.pyType, str: e.message };
    throw e;
  }
}

/** CPython's outcome; `deep` is set when CPython needed its recursion limit lifted. */
export async function pyOutcome(
  py: PythonOracle,
  doc: string | Uint8Array,
): Promise<Outcome & { deep?: boolean }> {
  return JSON.parse(await py.call<string>("outcome", doc)) as Outcome & { deep?: boolean };
}

export async function pyOutcomes(
  py: PythonOracle,
  docs: ReadonlyArray<string | Uint8Array>,
  opts: { strict?: boolean } = {},
): Promise<Outcome[]> {
  return JSON.parse(await py.call<string>("outcomes", docs, opts)) as Outcome[];
}
