/**
 * numpy 2's `repr` of arrays, scalars and dtypes (numpy's default print options: precision 8,
 * floatmode 'maxprec', line width 75, summary with 3 edge items above 1,000 elements), ported
 * from `numpy/_core/arrayprint.py`. numpy 1.x prints scalars bare (`1.5`, not
 * `np.float64(1.5)`) and summarized arrays without `shape=`: this follows numpy 2.
 */
import { pyRepr } from "@x/pyobject";
import type { NumpyDType } from "./dtype.js";
import { exponentText, floatScalarText, positionalParts, scientificParts } from "./float-text.js";

/** The element view numpy's formatters need: one value per flat C-order index. */
export interface ArrayLike {
  readonly dtype: NumpyDType;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
  readonly order: "C" | "F";
  readonly objects: unknown[] | null;
}

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 75;
const PRECISION = 8;
/** numpy refuses more dimensions than this; deeper "shapes" print without recursing. */
const MAX_DIMS = 64;

type Value = boolean | number | bigint | [number, number] | unknown;

/** A reader of element `offset` (in items, memory order), or null for dtypes not printed here. */
function reader(a: ArrayLike): ((i: number) => Value) | null {
  if (a.objects !== null) {
    const objs = a.objects;
    return (i) => objs[i];
  }
  const dt = a.dtype;
  const view = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const le = dt.byteorder !== ">";
  const size = dt.itemsize;
  switch (dt.name) {
    case "b1":
      return (i) => view.getUint8(i) !== 0;
    case "i1":
      return (i) => view.getInt8(i);
    case "u1":
      return (i) => view.getUint8(i);
    case "i2":
      return (i) => view.getInt16(i * 2, le);
    case "u2":
      return (i) => view.getUint16(i * 2, le);
    case "i4":
      return (i) => view.getInt32(i * 4, le);
    case "u4":
      return (i) => view.getUint32(i * 4, le);
    case "i8":
      return (i) => view.getBigInt64(i * 8, le);
    case "u8":
      return (i) => view.getBigUint64(i * 8, le);
    case "f2":
      return (i) => halfToNumber(view.getUint16(i * 2, le));
    case "f4":
      return (i) => view.getFloat32(i * 4, le);
    case "f8":
      return (i) => view.getFloat64(i * 8, le);
    case "c8":
      return (i) => [view.getFloat32(i * 8, le), view.getFloat32(i * 8 + 4, le)];
    case "c16":
      return (i) => [view.getFloat64(i * 16, le), view.getFloat64(i * 16 + 8, le)];
  }
  if (dt.kind === "S") {
    return (i) => {
      const b = a.data.subarray(i * size, (i + 1) * size);
      let n = b.length;
      while (n > 0 && b[n - 1] === 0) n--;
      return b.slice(0, n);
    };
  }
  if (dt.kind === "U") {
    return (i) => {
      let s = "";
      for (let k = 0; k < size; k += 4) {
        const c = view.getUint32(i * size + k, le);
        if (c > 0x10ffff) return s;
        s += String.fromCodePoint(c);
      }
      return s.replace(/\0+$/, "");
    };
  }
  return null;
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : sign * Infinity;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

/** Formats one element; built from the (summarized) values as numpy's format classes are. */
type Formatter = (v: Value) => string;

function intFormatter(values: readonly Value[]): Formatter {
  let width = 0;
  for (const v of values) width = Math.max(width, String(v).length);
  return (v) => String(v).padStart(width, " ");
}

function boolFormatter(zeroD: boolean): Formatter {
  const t = zeroD ? "True" : " True";
  return (v) => (v ? t : "False");
}

/** numpy's FloatingFormat (floatmode 'maxprec', sign '-' or '+'). */
function floatFormatter(values: readonly number[], width: number, sign: "-" | "+"): Formatter {
  const finite = values.filter((x) => Number.isFinite(x));
  const nonZero = finite.filter((x) => x !== 0).map(Math.abs);
  let expFormat = false;
  if (nonZero.length > 0) {
    let max = 0;
    let min = Infinity;
    for (const x of nonZero) {
      if (x > max) max = x;
      if (x < min) min = x;
    }
    const cutoff = 10 ** Math.min(8, width === 2 ? 3 : width === 4 ? 6 : 15);
    expFormat = max >= cutoff || min < 0.0001 || max / min > 1000;
  }
  const plus = (s: string) => (sign === "+" && !s.startsWith("-") ? `+${s}` : s);
  let padLeft = 0;
  let padRight = 0;
  let precision = PRECISION;
  let expSize = -1;
  if (finite.length > 0 && expFormat) {
    let fracMax = 0;
    for (const x of finite) {
      const [i, f, e] = scientificParts(x, width, PRECISION);
      padLeft = Math.max(padLeft, plus(i).length);
      fracMax = Math.max(fracMax, f.length);
      expSize = Math.max(expSize, String(Math.abs(e)).padStart(2, "0").length);
    }
    precision = fracMax;
    padRight = expSize + 2 + precision;
  } else if (finite.length > 0) {
    for (const x of finite) {
      const [i, f] = positionalParts(x, width, PRECISION);
      padLeft = Math.max(padLeft, plus(i).length);
      padRight = Math.max(padRight, f.length);
    }
  }
  if (finite.length !== values.length) {
    const neginf = sign !== "-" || values.some((x) => x === -Infinity) ? 1 : 0;
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + neginf - offset);
  }
  return (v) => {
    const x = v as number;
    if (!Number.isFinite(x)) {
      const ret = Number.isNaN(x)
        ? `${sign === "+" ? "+" : ""}nan`
        : `${x < 0 ? "-" : sign === "+" ? "+" : ""}inf`;
      return ret.padStart(padLeft + padRight + 1, " ");
    }
    if (expFormat) {
      // min_digits = precision: digits of the exact value past the shortest ones, not zeros.
      const [i, f, e] = scientificParts(x, width, precision, true);
      return `${plus(i).padStart(padLeft, " ")}.${f.padEnd(precision, "0")}${exponentText(e, expSize)}`;
    }
    const [i, f] = positionalParts(x, width, PRECISION);
    return `${plus(i).padStart(padLeft, " ")}.${f.padEnd(padRight, " ")}`;
  };
}

function complexFormatter(values: readonly Value[], width: number): Formatter {
  const re = floatFormatter(
    values.map((v) => (v as [number, number])[0]),
    width,
    "-",
  );
  const im = floatFormatter(
    values.map((v) => (v as [number, number])[1]),
    width,
    "+",
  );
  return (v) => {
    const [r, i] = v as [number, number];
    const is = im(i);
    const end = is.trimEnd().length;
    return `${re(r)}${is.slice(0, end)}j${is.slice(end)}`;
  };
}

function objectFormatter(v: Value): string {
  return Array.isArray(v) ? `list(${pyRepr(v)})` : pyRepr(v);
}

function formatterFor(a: ArrayLike, values: readonly Value[]): Formatter {
  const dt = a.dtype;
  if (a.objects !== null) return objectFormatter;
  switch (dt.kind) {
    case "b":
      return boolFormatter(a.shape.length === 0);
    case "i":
    case "u":
      return intFormatter(values);
    case "f":
      return floatFormatter(values as number[], dt.itemsize, "-");
    case "c":
      return complexFormatter(values, dt.itemsize / 2);
  }
  return (v) => pyRepr(v);
}

/** numpy's `dtype.name` for the fixed-size kinds, else null. */
function typeName(dt: NumpyDType): string | null {
  const bits = dt.itemsize * 8;
  switch (dt.kind) {
    case "b":
      return "bool";
    case "i":
      return `int${bits}`;
    case "u":
      return `uint${bits}`;
    case "f":
      return `float${bits}`;
    case "c":
      return `complex${bits}`;
    case "O":
      return "object";
  }
  return null;
}

/** Whether numpy reads the dtype from the values alone (no `dtype=` suffix). */
function dtypeIsImplied(dt: NumpyDType): boolean {
  if (dt.names !== null || dt.byteorder === ">") return false;
  return ["b1", "i8", "f8", "c16"].includes(dt.name);
}

/** `dtype_short_repr`: `int32`, `'>i4'`, `'<U2'`, `object`. */
function dtypeShortRepr(dt: NumpyDType): string {
  const name = typeName(dt);
  if (name === null || dt.byteorder === ">") return `'${dt.str}'`;
  return name;
}

/** `repr(dtype)`: `dtype('float64')`, `dtype('>i4')`, `dtype('<U3')`, `dtype('S5')`, `dtype('O')`. */
export function dtypeRepr(dt: NumpyDType): string {
  const name = typeName(dt);
  if (dt.kind === "O") return "dtype('O')";
  if (name !== null && dt.byteorder !== ">") return `dtype('${name}')`;
  if (dt.kind === "S") return `dtype('S${dt.itemsize}')`;
  return `dtype('${dt.str}')`;
}

/** numpy 2's scalar repr: `np.float64(1.5)`, `np.int8(-3)`, `np.True_`, `np.complex128(1+2j)`. */
export function scalarRepr(dt: NumpyDType, value: Value): string | null {
  const name = typeName(dt);
  if (name === null || dt.kind === "O") return null;
  if (dt.kind === "b") return value ? "np.True_" : "np.False_";
  if (dt.kind === "i" || dt.kind === "u") return `np.${name}(${String(value)})`;
  if (dt.kind === "f") return `np.${name}(${floatScalarText(value as number, dt.itemsize)})`;
  const [r, i] = value as [number, number];
  const w = dt.itemsize / 2;
  // Complex parts print as Python's complex repr does: no ".0" on integral values.
  const part = (x: number) => floatScalarText(x, w).replace(/\.0$/, "");
  const im = part(i);
  if (r === 0 && !Object.is(r, -0)) return `np.${name}(${im}j)`;
  const imText = im.startsWith("-") ? im : `+${im}`;
  return `np.${name}(${part(r)}${imText}j)`;
}

/** Memory offsets (in items) of each C-order index, per axis. */
function strides(a: ArrayLike): number[] {
  const n = a.shape.length;
  const out = new Array<number>(n).fill(1);
  const fortran = a.order === "F" && a.objects === null;
  if (fortran) for (let k = 1; k < n; k++) out[k] = (out[k - 1] ?? 1) * (a.shape[k - 1] ?? 1);
  else for (let k = n - 2; k >= 0; k--) out[k] = (out[k + 1] ?? 1) * (a.shape[k + 1] ?? 1);
  return out;
}

function extendLine(s: string, line: string, word: string, width: number, prefix: string): [string, string] {
  let needsWrap = line.length + word.length > width;
  if (line.length <= prefix.length) needsWrap = false;
  if (needsWrap) {
    s += `${line.trimEnd()}\n`;
    line = prefix;
  }
  return [s, line + word];
}

function extendLinePretty(
  s: string,
  line: string,
  word: string,
  width: number,
  prefix: string,
): [string, string] {
  const words = word.split("\n");
  if (words.length === 1) return extendLine(s, line, word, width, prefix);
  const maxLen = Math.max(...words.map((w) => w.length));
  let indent: string;
  if (line.length + maxLen > width && line.length > prefix.length) {
    s += `${line.trimEnd()}\n`;
    line = prefix + words[0];
    indent = prefix;
  } else {
    indent = " ".repeat(line.length);
    line += words[0];
  }
  for (const w of words.slice(1)) {
    s += `${line.trimEnd()}\n`;
    line = indent + w;
  }
  return [s, line + " ".repeat(maxLen - (words[words.length - 1] ?? "").length)];
}

/** numpy's `_formatArray`: nested brackets, wrapping at `lineWidth`, `...` for summarized axes. */
function formatArray(
  a: ArrayLike,
  at: (offset: number) => Value,
  fmt: Formatter,
  lineWidth: number,
  nextLinePrefix: string,
  summary: boolean,
): string {
  const shape = a.shape;
  const st = strides(a);
  const sep = ", ";
  const recurse = (axis: number, offset: number, hanging: string, width: number): string => {
    if (axis === shape.length) return fmt(at(offset));
    const nextHanging = `${hanging} `;
    const nextWidth = width - 1;
    const len = shape[axis] ?? 0;
    const stride = st[axis] ?? 1;
    const showSummary = summary && 2 * EDGE_ITEMS < len;
    const leading = showSummary ? EDGE_ITEMS : 0;
    const trailing = showSummary ? EDGE_ITEMS : len;
    let s = "";
    if (shape.length - axis === 1) {
      const elemWidth = width - 1;
      let line = hanging;
      for (let i = 0; i < leading; i++) {
        [s, line] = extendLinePretty(
          s,
          line,
          recurse(axis + 1, offset + i * stride, nextHanging, nextWidth),
          elemWidth,
          hanging,
        );
        line += sep;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, "...", elemWidth, hanging);
        line += sep;
      }
      for (let i = trailing; i > 1; i--) {
        const word = recurse(axis + 1, offset + (len - i) * stride, nextHanging, nextWidth);
        [s, line] = extendLinePretty(s, line, word, elemWidth, hanging);
        line += sep;
      }
      const last = recurse(axis + 1, offset + (len - 1) * stride, nextHanging, nextWidth);
      [s, line] = extendLinePretty(s, line, last, elemWidth, hanging);
      s += line;
    } else {
      const lineSep = `,${"\n".repeat(shape.length - axis - 1)}`;
      for (let i = 0; i < leading; i++) {
        s += hanging + recurse(axis + 1, offset + i * stride, nextHanging, nextWidth) + lineSep;
      }
      if (showSummary) s += `${hanging}...${lineSep}`;
      for (let i = trailing; i > 1; i--) {
        s += hanging + recurse(axis + 1, offset + (len - i) * stride, nextHanging, nextWidth) + lineSep;
      }
      s += hanging + recurse(axis + 1, offset + (len - 1) * stride, nextHanging, nextWidth);
    }
    return `[${s.slice(hanging.length)}]`;
  };
  return recurse(0, 0, nextLinePrefix, lineWidth);
}

/** The values numpy formats widths from: all of them, or the edge items of each summarized axis. */
function sampledValues(a: ArrayLike, at: (offset: number) => Value, summary: boolean): Value[] {
  const st = strides(a);
  const out: Value[] = [];
  const walk = (axis: number, offset: number): void => {
    if (axis === a.shape.length) {
      out.push(at(offset));
      return;
    }
    const len = a.shape[axis] ?? 0;
    const stride = st[axis] ?? 1;
    if (summary && len > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) walk(axis + 1, offset + i * stride);
      for (let i = len - EDGE_ITEMS; i < len; i++) walk(axis + 1, offset + i * stride);
    } else {
      for (let i = 0; i < len; i++) walk(axis + 1, offset + i * stride);
    }
  };
  walk(0, 0);
  return out;
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Arrays being printed: an object array holding itself prints `...` there, as numpy's guard does. */
const printing = new Set<ArrayLike>();

/** `repr(arr)` as numpy 2 prints it. */
export function arrayRepr(a: ArrayLike): string {
  if (printing.has(a)) return "...";
  printing.add(a);
  try {
    return arrayReprOf(a);
  } finally {
    printing.delete(a);
  }
}

function arrayReprOf(a: ArrayLike): string {
  const size = a.shape.reduce((x, y) => x * y, 1);
  const at = reader(a);
  const prefix = "array(";
  if (at === null || a.shape.length > MAX_DIMS) {
    return `${prefix}<${size} items of dtype ${a.dtype.str}>, shape=${shapeText(a.shape)})`;
  }
  // The object list is in C order: read it with C strides whatever `order` says.
  let body: string;
  const summary = size > THRESHOLD;
  if (size === 0) {
    body = "[]";
  } else {
    const values = sampledValues(a, at, summary);
    const fmt = formatterFor(a, values);
    body = formatArray(a, at, fmt, LINE_WIDTH - 1, " ".repeat(prefix.length + 1), summary);
  }
  const extras: string[] = [];
  if ((size === 0 && !(a.shape.length === 1 && a.shape[0] === 0)) || summary)
    extras.push(`shape=${shapeText(a.shape)}`);
  if (!dtypeIsImplied(a.dtype) || size === 0) extras.push(`dtype=${dtypeShortRepr(a.dtype)}`);
  if (extras.length === 0) return `${prefix + body})`;
  const arrStr = `${prefix + body},`;
  const extraStr = `${extras.join(", ")})`;
  const lastLineLen = arrStr.length - (arrStr.lastIndexOf("\n") + 1);
  const spacer = lastLineLen + extraStr.length + 1 > LINE_WIDTH ? `\n${" ".repeat(prefix.length)}` : " ";
  return arrStr + spacer + extraStr;
}

/** The scalar's value for `scalarRepr` (an array of one element read the same way). */
export function scalarValue(dt: NumpyDType, data: Uint8Array): Value {
  const at = reader({ dtype: dt, shape: [], data, order: "C", objects: null });
  return at === null ? undefined : at(0);
}
