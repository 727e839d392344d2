/**
 * The JS twin of test/data/unpickle/mirror.py's `describe`: a typed JSON description of a
 * faithful-model value, with ids for shared mutable objects, so a test compares what we
 * loaded with what CPython loaded, type for type and identity for identity.
 */
import {
  brandOf,
  Ellipsis,
  isPyByteArray,
  isPyComplex,
  isPyDict,
  isPyFrozenSet,
  isPyGlobal,
  isPyInstance,
  isPySet,
  isPyTuple,
  NotImplemented,
  PyComplex,
  PyGlobal,
  PyInstance,
} from "@x/pyobject";

export type Desc = unknown[];

function fhex(x: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, false);
  return Array.from(new Uint8Array(dv.buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function strHex(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += (c & 0xff).toString(16).padStart(2, "0") + (c >> 8).toString(16).padStart(2, "0");
  }
  return out;
}

/** Describes a faithful-model value as mirror.py's describe() describes the Python one. */
export function describe(v: unknown): Desc {
  const ids = new Map<object, number>();
  const d = (x: unknown): Desc => {
    if (x === null) return ["None"];
    switch (typeof x) {
      case "boolean":
        return ["bool", x];
      case "bigint":
        return ["int", x.toString()];
      case "number":
        return ["float", fhex(x)];
      case "string":
        return ["str", strHex(x)];
    }
    if (x instanceof Uint8Array) return ["bytes", hex(x)];
    const b = brandOf(x);
    if (b === "ellipsis") return ["Ellipsis"];
    if (b === "notimplemented") return ["NotImplemented"];
    if (isPyComplex(x)) return ["complex", fhex(x.real), fhex(x.imag)];
    if (isPyTuple(x)) return ["tuple", x.items.map(d)];
    if (isPyFrozenSet(x)) return ["frozenset", [...x].map(d)];
    if (isPyGlobal(x)) return ["global", `${x.module}.${x.name}`];
    const o = x as object;
    const seen = ids.get(o);
    if (seen !== undefined) return ["ref", seen];
    const n = ids.size;
    ids.set(o, n);
    if (isPyByteArray(x)) return ["bytearray", n, hex(x.bytes)];
    if (Array.isArray(x)) return ["list", n, x.map(d)];
    if (isPyDict(x)) return ["dict", n, [...x.entries()].map(([k, y]) => [d(k), d(y)])];
    if (isPySet(x)) return ["set", n, [...x].map(d)];
    if (isPyInstance(x)) {
      const cls = x.cls;
      return [
        "inst",
        n,
        d(cls),
        x.kind === "reduce" ? "reduce" : "new",
        x.args.map(d),
        x.kwargs ? [...x.kwargs.entries()].map(([k, y]) => [d(k), d(y)]) : [],
        x.state === undefined ? ["nostate"] : d(x.state),
        x.listItems === null ? null : x.listItems.map(d),
        x.dictItems === null ? null : x.dictItems.map(([k, y]) => [d(k), d(y)]),
      ];
    }
    throw new Error(`cannot describe ${Object.prototype.toString.call(x)}`);
  };
  return d(v);
}

/** Sorts set and frozenset members (their order is Python's hash order, not meaningful). */
export function normalize(desc: unknown): unknown {
  if (!Array.isArray(desc)) return desc;
  const tag = desc[0];
  if (tag === "set" || tag === "frozenset") {
    const items = (desc[desc.length - 1] as unknown[]).map(normalize);
    items.sort((a, b) =>
      JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0,
    );
    return [...desc.slice(0, -1), items];
  }
  return desc.map(normalize);
}

function floatOf(h: string): number {
  return new DataView(fromHex(h).buffer).getFloat64(0, false);
}
function strOf(h: string): string {
  const b = fromHex(h);
  let s = "";
  for (let i = 0; i < b.length; i += 2)
    s += String.fromCharCode((b[i] as number) | ((b[i + 1] as number) << 8));
  return s;
}

/** The natural view a description maps to (see the README's table). */
export function naturalOf(desc: Desc): unknown {
  const refs = new Map<number, unknown>();
  const n = (x: Desc): unknown => {
    switch (x[0]) {
      case "None":
        return null;
      case "Ellipsis":
        return Ellipsis;
      case "NotImplemented":
        return NotImplemented;
      case "bool":
        return x[1];
      case "int": {
        const v = BigInt(x[1] as string);
        return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      case "float":
        return floatOf(x[1] as string);
      case "complex":
        return new PyComplex(floatOf(x[1] as string), floatOf(x[2] as string));
      case "str":
        return strOf(x[1] as string);
      case "bytes":
        return fromHex(x[1] as string);
      case "bytearray": {
        const b = fromHex(x[2] as string);
        refs.set(x[1] as number, b);
        return b;
      }
      case "tuple":
        return (x[1] as Desc[]).map(n);
      case "frozenset":
        return new Set((x[1] as Desc[]).map(n));
      case "global":
        return new PyGlobal(...(splitGlobal(x[1] as string) as [string, string]));
      case "ref":
        return refs.get(x[1] as number);
      case "list": {
        const a: unknown[] = [];
        refs.set(x[1] as number, a);
        for (const y of x[2] as Desc[]) a.push(n(y));
        return a;
      }
      case "set": {
        const s = new Set<unknown>();
        refs.set(x[1] as number, s);
        for (const y of x[2] as Desc[]) s.add(n(y));
        return s;
      }
      case "dict": {
        const pairs = x[2] as [Desc, Desc][];
        if (pairs.every(([k]) => k[0] === "str")) {
          const o: Record<string, unknown> = {};
          refs.set(x[1] as number, o);
          for (const [k, v] of pairs) {
            Object.defineProperty(o, n(k) as string, {
              value: n(v),
              writable: true,
              enumerable: true,
              configurable: true,
            });
          }
          return o;
        }
        const m = new Map<unknown, unknown>();
        refs.set(x[1] as number, m);
        for (const [k, v] of pairs) m.set(n(k), n(v));
        return m;
      }
      case "inst": {
        const [, id, cls, kind, args] = x as [string, number, Desc, string, Desc[]];
        const inst = new PyInstance(n(cls), [], kind === "reduce" ? "reduce" : "newobj");
        refs.set(id, inst);
        inst.args.push(...args.map(n));
        return inst;
      }
    }
    throw new Error(`no natural view for ${String(x[0])}`);
  };
  return n(desc);
}

function splitGlobal(s: string): [string, string] {
  const i = s.indexOf(".");
  return [s.slice(0, i), s.slice(i + 1)];
}
