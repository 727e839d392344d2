/**
 * Python source text for a model value, written independently of pyRepr (every str char as
 * an escape, floats through float(), bytes as bytes([...])), so tests that compare pyRepr to
 * CPython's repr(eval(source)) do not check pyRepr against itself.
 */
import {
  brandOf,
  type PyByteArray,
  type PyComplex,
  type PyDict,
  type PyFrozenSet,
  type PySet,
  type PyTuple,
} from "../../src/index.js";

function floatSource(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (x === Infinity) return "float('inf')";
  if (x === -Infinity) return "float('-inf')";
  if (Object.is(x, -0)) return "float('-0.0')";
  return `float('${String(x)}')`;
}

function strSource(s: string): string {
  let out = "'";
  for (const ch of s) {
    // for..of yields code points (pairs joined); lone surrogates stay single units
    const cp = ch.codePointAt(0)!;
    out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return `${out}'`;
}

export function pySource(v: unknown): string {
  switch (typeof v) {
    case "string":
      return strSource(v);
    case "number":
      return floatSource(v);
    case "bigint":
      return `(${v.toString()})`;
    case "boolean":
      return v ? "True" : "False";
  }
  if (v === null || v === undefined) return "None";
  if (v instanceof Uint8Array) return `bytes([${[...v].join(",")}])`;
  if (Array.isArray(v)) return `[${v.map(pySource).join(", ")}]`;
  switch (brandOf(v)) {
    case "tuple": {
      const items = (v as PyTuple).items;
      return `(${items.map(pySource).join(", ")}${items.length === 1 ? "," : ""})`;
    }
    case "dict":
      return `{${[...(v as PyDict)].map(([k, x]) => `${pySource(k)}: ${pySource(x)}`).join(", ")}}`;
    case "set":
      return `set([${[...(v as PySet)].map(pySource).join(", ")}])`;
    case "frozenset":
      return `frozenset([${[...(v as PyFrozenSet)].map(pySource).join(", ")}])`;
    case "bytearray":
      return `bytearray([${[...(v as PyByteArray).bytes].join(",")}])`;
    case "complex": {
      const c = v as PyComplex;
      return `complex(${floatSource(c.real)}, ${floatSource(c.imag)})`;
    }
    case "ellipsis":
      return "Ellipsis";
    case "notimplemented":
      return "NotImplemented";
  }
  throw new Error(`no python source for ${String(v)}`);
}
