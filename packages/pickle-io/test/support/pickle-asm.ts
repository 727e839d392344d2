/**
 * A tiny pickle assembler for hand-made hostile pickles: strings are written as latin-1
 * bytes, numbers as single bytes, Uint8Arrays as they are.
 */
export type Part = string | number | Uint8Array | readonly Part[];

export function asm(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  const put = (p: Part): void => {
    if (typeof p === "number") out.push(p & 0xff);
    else if (typeof p === "string") for (let i = 0; i < p.length; i++) out.push(p.charCodeAt(i) & 0xff);
    else if (p instanceof Uint8Array) for (const b of p) out.push(b);
    else for (const q of p) put(q);
  };
  for (const p of parts) put(p);
  return new Uint8Array(out);
}

/** SHORT_BINUNICODE of an ASCII string. */
export const su = (s: string): Part => ["\x8c", s.length, s];
/** PROTO n. */
export const proto = (n: number): Part => ["\x80", n];
/** BINPUT n / BINGET n / MEMOIZE. */
export const binput = (n: number): Part => ["q", n];
export const binget = (n: number): Part => ["h", n];
export const MEMOIZE = "\x94";
export const STACK_GLOBAL = "\x93";
export const REDUCE = "R";
export const BUILD = "b";
export const STOP = ".";
export const MARK = "(";
export const TUPLE1 = "\x85";
export const TUPLE2 = "\x86";
export const EMPTY_TUPLE = ")";
export const EMPTY_DICT = "}";
/** GLOBAL module name (protocol 0 text form). */
export const global = (module: string, name: string): Part => ["c", module, "\n", name, "\n"];
