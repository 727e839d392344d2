import { brandOf } from "./brand.js";
import type { PyByteArray } from "./bytearray.js";
import type { PyDict } from "./dict.js";
import { pyEquals } from "./equality.js";
import { PyError, PyValueError } from "./errors.js";
import { floatRepr } from "./float-repr.js";
import type { PyGlobal } from "./global.js";
import { PY_REPR, type PyHooks } from "./hooks.js";
import type { PyInstance } from "./instance.js";
import { pyRepr } from "./repr.js";
import type { PyFrozenSet, PySet } from "./set.js";
import { strLess } from "./str-order.js";
import { bytesRepr, strRepr } from "./str-repr.js";
import { PyTuple } from "./tuple.js";

/** Options of {@link pformat}, named as `pprint.PrettyPrinter`'s arguments. */
export interface PformatOptions {
  /** Spaces added per nesting level. Default 1. */
  readonly indent?: number;
  /** Wanted maximum line width, in code points. Default 80. */
  readonly width?: number;
  /** Nesting levels printed before `...`; `null` (default) prints all. */
  readonly depth?: number | null;
  /** Pack several short items per line. Default false. */
  readonly compact?: boolean;
  /** Sort dict keys (and, as pprint always does, wrapped set items). Default true. */
  readonly sortDicts?: boolean;
  /** Print ints with `_` between thousands. Default false. */
  readonly underscoreNumbers?: boolean;
  /**
   * How to read plain JS numbers: `"faithful"` (default) prints every number as a float;
   * `"natural"` prints integral numbers (except -0) as ints.
   */
  readonly model?: "faithful" | "natural";
}

/** Nesting beyond this throws Python's RecursionError instead of overflowing the JS stack. */
const MAX_NESTING = 1000;

type Kind =
  | "dict"
  | "list"
  | "tuple"
  | "set"
  | "frozenset"
  | "str"
  | "bytes"
  | "bytearray"
  | "int"
  | "float"
  | "bool"
  | "none"
  | "other";

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function kindOf(v: unknown, natural: boolean): Kind {
  switch (typeof v) {
    case "string":
      return "str";
    case "bigint":
      return "int";
    case "number":
      return natural && Number.isInteger(v) && !Object.is(v, -0) ? "int" : "float";
    case "boolean":
      return "bool";
    case "undefined":
      return "none";
    case "object":
      break;
    default:
      return "other";
  }
  if (v === null) return "none";
  if (Array.isArray(v)) return "list";
  if (v instanceof Uint8Array) return "bytes";
  switch (brandOf(v)) {
    case "tuple":
      return "tuple";
    case "dict":
      return "dict";
    case "set":
      return "set";
    case "frozenset":
      return "frozenset";
    case "bytearray":
      return "bytearray";
    case undefined:
      if (v instanceof Map) return "dict";
      if (v instanceof Set) return "set";
      if (isPlainObject(v)) return "dict";
      return "other";
    default:
      return "other";
  }
}

/** Python's `len()` of a string: code points, so a surrogate pair counts once. */
function pyLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function dictEntries(v: object): [unknown, unknown][] {
  if (brandOf(v) === "dict") return [...(v as PyDict).entries()];
  if (v instanceof Map) return [...v.entries()];
  return Object.entries(v);
}

function dictSize(v: object): number {
  if (brandOf(v) === "dict") return (v as PyDict).size;
  if (v instanceof Map) return v.size;
  return Object.keys(v).length;
}

function seqItems(v: object): readonly unknown[] {
  return Array.isArray(v) ? v : (v as PyTuple).items;
}

function setItems(v: object): unknown[] {
  return [...(v as PySet | PyFrozenSet | Set<unknown>).values()];
}

// --- Python's `<` over the model, for sorting dict keys and set items ---------------------

/** Thrown inside comparisons where Python raises TypeError ("'<' not supported"). */
const UNORDERABLE = Symbol("unorderable");

function bytesLess(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
}

/** Exact `a < b` between ints (bigint) and floats (number). */
function numLess(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === typeof b) return a < b;
  const f = (typeof a === "number" ? a : b) as number;
  if (Number.isNaN(f)) return false;
  if (!Number.isFinite(f)) return typeof a === "number" ? f < 0 : f > 0;
  const i = (typeof a === "bigint" ? a : b) as bigint;
  const fl = BigInt(Math.floor(f));
  if (typeof a === "bigint") return i < fl || (i === fl && f !== Math.floor(f));
  return fl < i;
}

/** Python's `a < b`; throws UNORDERABLE where CPython raises TypeError. */
function pyLess(a: unknown, b: unknown, natural: boolean): boolean {
  const ka = kindOf(a, natural);
  const kb = kindOf(b, natural);
  const na = ka === "int" || ka === "float" || ka === "bool";
  const nb = kb === "int" || kb === "float" || kb === "bool";
  if (na && nb) {
    const x = typeof a === "boolean" ? (a ? 1n : 0n) : (a as number | bigint);
    const y = typeof b === "boolean" ? (b ? 1n : 0n) : (b as number | bigint);
    return numLess(x, y);
  }
  if (ka === "str" && kb === "str") return strLess(a as string, b as string);
  const ba = ka === "bytes" || ka === "bytearray";
  const bb = kb === "bytes" || kb === "bytearray";
  if (ba && bb) {
    const x = ka === "bytes" ? (a as Uint8Array) : (a as PyByteArray).bytes;
    const y = kb === "bytes" ? (b as Uint8Array) : (b as PyByteArray).bytes;
    return bytesLess(x, y);
  }
  if ((ka === "tuple" && kb === "tuple") || (ka === "list" && kb === "list")) {
    const x = seqItems(a as object);
    const y = seqItems(b as object);
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(x[i], y[i])) return pyLess(x[i], y[i], natural);
    }
    return x.length < y.length;
  }
  const sa = ka === "set" || ka === "frozenset";
  const sb = kb === "set" || kb === "frozenset";
  if (sa && sb) {
    // Proper subset.
    const x = setItems(a as object);
    const y = b as PySet | Set<unknown>;
    if (x.length >= y.size) return false;
    return x.every((e) => y.has(e));
  }
  throw UNORDERABLE;
}

function typeText(v: unknown, natural: boolean): string {
  const k = kindOf(v, natural);
  if (k === "none") return "<class 'NoneType'>";
  if (k === "other") {
    const b = brandOf(v);
    return `<class '${b ?? "object"}'>`;
  }
  return `<class '${k}'>`;
}

/**
 * pprint's `_safe_key` order: Python's `<`, and for values `<` cannot order, the text of their
 * types. CPython then falls back to `id()`, an address; the original order stands in for it.
 */
function safeCompare(a: unknown, b: unknown, natural: boolean): number {
  try {
    if (pyLess(a, b, natural)) return -1;
    if (pyLess(b, a, natural)) return 1;
    return 0;
  } catch (e) {
    if (e !== UNORDERABLE) throw e;
    const ta = typeText(a, natural);
    const tb = typeText(b, natural);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  }
}

// --- the printer -------------------------------------------------------------------------

interface Repr {
  text: string;
  readable: boolean;
  recursive: boolean;
}

/** Python's `str.splitlines(True)` line boundaries. */
const LINE_BREAK = /\r\n|[\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** pprint's `re.findall(r'\S*\s*', line)` with Python's `\s` (str.isspace), minus the final ''. */
const WORD_SPACE =
  /[^\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/g;

function splitLinesKeepEnds(s: string): string[] {
  const lines: string[] = [];
  let start = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(s); m !== null; m = LINE_BREAK.exec(s)) {
    const end = m.index + m[0].length;
    lines.push(s.slice(start, end));
    start = end;
  }
  if (start < s.length) lines.push(s.slice(start));
  return lines;
}

function wordParts(line: string): string[] {
  const parts = line.match(WORD_SPACE) ?? [];
  // The pattern matches the empty string at the end; pprint drops that last part.
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

class PrettyPrinter {
  private readonly indentPerLevel: number;
  private readonly width: number;
  private readonly depth: number | null;
  private readonly compact: boolean;
  private readonly sortDicts: boolean;
  private readonly underscoreNumbers: boolean;
  private readonly natural: boolean;
  private out = "";
  private nesting = 0;
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;

  constructor(options: PformatOptions | undefined) {
    const indent = options?.indent ?? 1;
    const width = options?.width ?? 80;
    const depth = options?.depth ?? null;
    if (!Number.isInteger(indent) || indent < 0) throw new PyValueError("indent must be >= 0");
    if (depth !== null && !(depth > 0)) throw new PyValueError("depth must be > 0");
    if (!Number.isInteger(width) || width === 0) throw new PyValueError("width must be != 0");
    this.indentPerLevel = indent;
    this.width = width;
    this.depth = depth;
    this.compact = options?.compact ?? false;
    this.sortDicts = options?.sortDicts ?? true;
    this.underscoreNumbers = options?.underscoreNumbers ?? false;
    this.natural = options?.model === "natural";
  }

  run(value: unknown): string {
    this.format(value, 0, 0, new Set(), 0);
    return this.out;
  }

  private enter(): void {
    if (++this.nesting > MAX_NESTING) {
      throw new PyError(
        "RecursionError",
        `maximum recursion depth exceeded while pretty-printing (more than ${MAX_NESTING} levels)`,
      );
    }
  }

  /** pprint's `_recursion()`; the id is a per-call counter, CPython's is an address. */
  private recursion(v: object, kind: Kind): string {
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(v, id);
    }
    return `<Recursion on ${kind} with id=${id}>`;
  }

  private sortedEntries(v: object): [unknown, unknown][] {
    const entries = dictEntries(v);
    if (!this.sortDicts) return entries;
    const natural = this.natural;
    return entries.sort((x, y) => safeCompare(x[0], y[0], natural) || safeCompare(x[1], y[1], natural));
  }

  /** pprint's `_safe_repr`: repr with dicts sorted, depth limits and recursion markers. */
  private safeRepr(v: unknown, context: Set<object>, level: number): Repr {
    const kind = kindOf(v, this.natural);
    switch (kind) {
      case "str":
        return { text: strRepr(v as string), readable: true, recursive: false };
      case "bytes":
        return { text: bytesRepr(v as Uint8Array), readable: true, recursive: false };
      case "float":
        return { text: floatRepr(v as number), readable: true, recursive: false };
      case "bool":
        return { text: v ? "True" : "False", readable: true, recursive: false };
      case "none":
        return { text: "None", readable: true, recursive: false };
      case "int": {
        const s = typeof v === "bigint" ? v.toString() : pyRepr(v, { model: "natural" });
        return { text: this.underscoreNumbers ? groupThousands(s) : s, readable: true, recursive: false };
      }
      case "dict":
      case "list":
      case "tuple":
        return this.containerRepr(v as object, kind, context, level);
      default: {
        const text = copyregInstanceRepr(v) ?? pyRepr(v, { model: this.natural ? "natural" : "faithful" });
        return { text, readable: text !== "" && !text.startsWith("<"), recursive: false };
      }
    }
  }

  private containerRepr(o: object, kind: Kind, context: Set<object>, level: number): Repr {
    let open: string;
    let close: string;
    if (kind === "dict") {
      if (dictSize(o) === 0) return { text: "{}", readable: true, recursive: false };
      [open, close] = ["{", "}"];
    } else if (kind === "list") {
      if (seqItems(o).length === 0) return { text: "[]", readable: true, recursive: false };
      [open, close] = ["[", "]"];
    } else {
      const n = seqItems(o).length;
      if (n === 0) return { text: "()", readable: true, recursive: false };
      [open, close] = ["(", n === 1 ? ",)" : ")"];
    }
    if (this.depth !== null && level >= this.depth) {
      return { text: `${open}...${close}`, readable: false, recursive: context.has(o) };
    }
    if (context.has(o)) return { text: this.recursion(o, kind), readable: false, recursive: true };
    context.add(o);
    this.enter();
    let readable = true;
    let recursive = false;
    const parts: string[] = [];
    if (kind === "dict") {
      for (const [k, x] of this.sortedEntries(o)) {
        const kr = this.safeRepr(k, context, level + 1);
        const vr = this.safeRepr(x, context, level + 1);
        parts.push(`${kr.text}: ${vr.text}`);
        readable = readable && kr.readable && vr.readable;
        if (kr.recursive || vr.recursive) recursive = true;
      }
    } else {
      for (const x of seqItems(o)) {
        const r = this.safeRepr(x, context, level + 1);
        parts.push(r.text);
        if (!r.readable) readable = false;
        if (r.recursive) recursive = true;
      }
    }
    this.nesting--;
    context.delete(o);
    return { text: open + parts.join(", ") + close, readable, recursive };
  }

  private repr(v: unknown, context: Set<object>, level: number): string {
    return this.safeRepr(v, context, level).text;
  }

  /** pprint's `_format`: the repr when it fits, else the type's multi-line layout. */
  private format(v: unknown, indent: number, allowance: number, context: Set<object>, level: number): void {
    const kind = kindOf(v, this.natural);
    if ((kind === "dict" || kind === "list" || kind === "tuple") && context.has(v as object)) {
      this.out += this.recursion(v as object, kind);
      return;
    }
    const rep = this.repr(v, context, level);
    const maxWidth = this.width - indent - allowance;
    if (pyLen(rep) > maxWidth) {
      const o = v as object;
      this.enter();
      switch (kind) {
        case "dict":
          context.add(o);
          this.pprintDict(o, indent, allowance, context, level + 1);
          context.delete(o);
          this.nesting--;
          return;
        case "list":
        case "tuple":
          context.add(o);
          this.pprintSeq(o, kind, indent, allowance, context, level + 1);
          context.delete(o);
          this.nesting--;
          return;
        case "set":
        case "frozenset":
          context.add(o);
          this.pprintSet(o, kind, indent, allowance, context, level + 1);
          context.delete(o);
          this.nesting--;
          return;
        case "str":
          this.pprintStr(v as string, indent, allowance, level + 1);
          this.nesting--;
          return;
        case "bytes":
          this.pprintBytes(v as Uint8Array, indent, allowance, level + 1);
          this.nesting--;
          return;
        case "bytearray":
          this.out += "bytearray(";
          this.pprintBytes((v as PyByteArray).bytes, indent + 10, allowance + 1, level + 2);
          this.out += ")";
          this.nesting--;
          return;
        default: {
          const ck = collectionsKind(v);
          if (ck !== undefined && !context.has(o)) {
            context.add(o);
            this.pprintCollection(o as PyInstance, ck, indent, allowance, context, level + 1);
            context.delete(o);
            this.nesting--;
            return;
          }
          this.nesting--;
        }
      }
    }
    this.out += rep;
  }

  /** pprint's `_pprint_ordered_dict`, `_pprint_default_dict`, `_pprint_counter`, `_pprint_deque`. */
  private pprintCollection(
    v: PyInstance,
    kind: CollectionsKind,
    indent: number,
    allowance: number,
    context: Set<object>,
    level: number,
  ): void {
    const pairs = (v.dictItems ?? []) as [unknown, unknown][];
    switch (kind) {
      case "OrderedDict":
        this.out += "OrderedDict(";
        this.format(
          pairs.map(([k, x]) => new PyTuple([k, x])),
          indent + 12,
          allowance + 1,
          context,
          level,
        );
        this.out += ")";
        return;
      case "defaultdict": {
        const factory = v.args.length > 0 ? v.args[0] : null;
        const rdf = factory === null || factory === undefined ? "None" : this.repr(factory, context, level);
        const ind = indent + 12;
        this.out += `defaultdict(${rdf},\n${" ".repeat(ind)}`;
        this.pprintDict(new Map(pairs), ind, allowance + 1, context, level);
        this.out += ")";
        return;
      }
      case "Counter":
        this.out += "Counter({";
        if (this.indentPerLevel > 1) this.out += " ".repeat(this.indentPerLevel - 1);
        this.formatDictItems(
          mostCommon(dictEntries(v.args[0] as object)),
          indent + 8,
          allowance + 2,
          context,
          level,
        );
        this.out += "})";
        return;
      case "deque": {
        const ind = indent + 6;
        const items = v.listItems ?? [];
        const maxlen = v.args.length > 1 ? v.args[1] : null;
        this.out += "deque([";
        if (maxlen === null || maxlen === undefined) {
          this.formatItems(items, ind, allowance + 2, context, level);
          this.out += "])";
        } else {
          this.formatItems(items, ind, 2, context, level);
          this.out += `],\n${" ".repeat(ind)}maxlen=${this.repr(maxlen, context, level)})`;
        }
      }
    }
  }

  private pprintDict(
    o: object,
    indent: number,
    allowance: number,
    context: Set<object>,
    level: number,
  ): void {
    this.out += "{";
    if (this.indentPerLevel > 1) this.out += " ".repeat(this.indentPerLevel - 1);
    if (dictSize(o) > 0) this.formatDictItems(this.sortedEntries(o), indent, allowance + 1, context, level);
    this.out += "}";
  }

  private formatDictItems(
    items: [unknown, unknown][],
    indent: number,
    allowance: number,
    context: Set<object>,
    level: number,
  ): void {
    const ind = indent + this.indentPerLevel;
    const delimnl = `,\n${" ".repeat(ind)}`;
    const lastIndex = items.length - 1;
    for (let i = 0; i <= lastIndex; i++) {
      const [key, ent] = items[i]!;
      const last = i === lastIndex;
      const rep = this.repr(key, context, level);
      this.out += `${rep}: `;
      this.format(ent, ind + pyLen(rep) + 2, last ? allowance : 1, context, level);
      if (!last) this.out += delimnl;
    }
  }

  private pprintSeq(
    o: object,
    kind: Kind,
    indent: number,
    allowance: number,
    context: Set<object>,
    level: number,
  ): void {
    const items = seqItems(o);
    if (kind === "list") {
      this.out += "[";
      this.formatItems(items, indent, allowance + 1, context, level);
      this.out += "]";
      return;
    }
    const endchar = items.length === 1 ? ",)" : ")";
    this.out += "(";
    this.formatItems(items, indent, allowance + endchar.length, context, level);
    this.out += endchar;
  }

  private pprintSet(
    o: object,
    kind: Kind,
    indent: number,
    allowance: number,
    context: Set<object>,
    level: number,
  ): void {
    const items = setItems(o);
    if (items.length === 0) {
      this.out += kind === "set" ? "set()" : "frozenset()";
      return;
    }
    let endchar: string;
    let ind = indent;
    if (kind === "set") {
      this.out += "{";
      endchar = "}";
    } else {
      this.out += "frozenset({";
      endchar = "})";
      ind += "frozenset".length + 1;
    }
    const natural = this.natural;
    items.sort((x, y) => safeCompare(x, y, natural));
    this.formatItems(items, ind, allowance + endchar.length, context, level);
    this.out += endchar;
  }

  private formatItems(
    items: readonly unknown[],
    indent: number,
    allowance: number,
    context: Set<object>,
    level: number,
  ): void {
    const ind = indent + this.indentPerLevel;
    if (this.indentPerLevel > 1) this.out += " ".repeat(this.indentPerLevel - 1);
    const delimnl = `,\n${" ".repeat(ind)}`;
    let delim = "";
    let width = this.width - ind + 1;
    let maxWidth = width;
    const n = items.length;
    for (let i = 0; i < n; i++) {
      const ent = items[i];
      const last = i === n - 1;
      if (last) {
        maxWidth -= allowance;
        width -= allowance;
      }
      if (this.compact) {
        const rep = this.repr(ent, context, level);
        const w = pyLen(rep) + 2;
        if (width < w) {
          width = maxWidth;
          if (delim) delim = delimnl;
        }
        if (width >= w) {
          width -= w;
          this.out += delim + rep;
          delim = ", ";
          continue;
        }
      }
      this.out += delim;
      delim = delimnl;
      this.format(ent, ind, last ? allowance : 1, context, level);
    }
  }

  private pprintStr(s: string, indent: number, allowance: number, level: number): void {
    if (s.length === 0) {
      this.out += strRepr(s);
      return;
    }
    const chunks: string[] = [];
    const lines = splitLinesKeepEnds(s);
    let ind = indent;
    let allow = allowance;
    if (level === 1) {
      ind += 1;
      allow += 1;
    }
    const maxWidth = this.width - ind;
    let maxWidth1 = maxWidth;
    let rep = "";
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const lastLine = i === lines.length - 1;
      rep = strRepr(line);
      if (lastLine) maxWidth1 -= allow;
      if (pyLen(rep) <= maxWidth1) {
        chunks.push(rep);
        continue;
      }
      const parts = wordParts(line);
      let maxWidth2 = maxWidth;
      let current = "";
      for (let j = 0; j < parts.length; j++) {
        const part = parts[j]!;
        const candidate = current + part;
        if (j === parts.length - 1 && lastLine) maxWidth2 -= allow;
        if (pyLen(strRepr(candidate)) > maxWidth2) {
          if (current) chunks.push(strRepr(current));
          current = part;
        } else {
          current = candidate;
        }
      }
      if (current) chunks.push(strRepr(current));
    }
    if (chunks.length === 1) {
      this.out += rep;
      return;
    }
    if (level === 1) this.out += "(";
    for (let i = 0; i < chunks.length; i++) {
      if (i > 0) this.out += `\n${" ".repeat(ind)}`;
      this.out += chunks[i];
    }
    if (level === 1) this.out += ")";
  }

  private pprintBytes(b: Uint8Array, indent: number, allowance: number, level: number): void {
    if (b.length <= 4) {
      this.out += bytesRepr(b);
      return;
    }
    const parens = level === 1;
    let ind = indent;
    let allow = allowance;
    if (parens) {
      ind += 1;
      allow += 1;
      this.out += "(";
    }
    let delim = "";
    for (const rep of wrapBytesRepr(b, this.width - ind, allow)) {
      this.out += delim + rep;
      if (!delim) delim = `\n${" ".repeat(ind)}`;
    }
    if (parens) this.out += ")";
  }
}

/** pprint's `_wrap_bytes_repr`: 4-byte groups packed into reprs no wider than `width`. */
function wrapBytesRepr(b: Uint8Array, width: number, allowance: number): string[] {
  const out: string[] = [];
  let w = width;
  let start = 0;
  let end = 0; // current = b[start:end]
  const last = Math.floor(b.length / 4) * 4;
  for (let i = 0; i < b.length; i += 4) {
    const partEnd = Math.min(i + 4, b.length);
    if (i === last) w -= allowance;
    if (bytesRepr(b.subarray(start, partEnd)).length > w) {
      if (end > start) out.push(bytesRepr(b.subarray(start, end)));
      start = i;
    }
    end = partEnd;
  }
  if (end > start) out.push(bytesRepr(b.subarray(start, end)));
  return out;
}

/**
 * An inert instance built through copyreg (`_reconstructor(cls, base, state)` at protocols
 * 0-1, `__newobj__(cls, *args)`): CPython would hold a `cls` object, so it prints as one.
 */
function copyregInstanceRepr(v: unknown): string | undefined {
  if (brandOf(v) !== "instance") return undefined;
  const inst = v as PyInstance;
  if (brandOf(inst.cls) !== "global") return undefined;
  const fn = inst.cls as PyGlobal;
  if (fn.module !== "copyreg" || !COPYREG_CONSTRUCTORS.has(fn.name)) return undefined;
  const cls = inst.args[0];
  if (brandOf(cls) !== "global") return undefined;
  const g = cls as PyGlobal;
  return `<${g.module === "builtins" ? "" : `${g.module}.`}${g.name} object>`;
}

const COPYREG_CONSTRUCTORS = new Set(["_reconstructor", "__newobj__", "__newobj_ex__"]);

type CollectionsKind = "OrderedDict" | "defaultdict" | "Counter" | "deque";

/**
 * The collections types `@x/pickle-io` registers (PyInstance subclasses with a repr hook) that
 * pprint lays out on its own when their repr is too wide.
 */
function collectionsKind(v: unknown): CollectionsKind | undefined {
  if (brandOf(v) !== "instance" || typeof (v as PyHooks)[PY_REPR] !== "function") return undefined;
  const cls = (v as PyInstance).cls;
  if (brandOf(cls) !== "global" || (cls as PyGlobal).module !== "collections") return undefined;
  const n = (cls as PyGlobal).name;
  return n === "OrderedDict" || n === "defaultdict" || n === "Counter" || n === "deque" ? n : undefined;
}

/** `Counter.most_common()`: counts descending, ties in insertion order; as given when not all numbers. */
function mostCommon(items: [unknown, unknown][]): [unknown, unknown][] {
  const num = (x: unknown) =>
    typeof x === "number" || typeof x === "bigint" || typeof x === "boolean" ? Number(x) : undefined;
  if (items.some(([, x]) => num(x) === undefined)) return items;
  return items
    .map((e, i) => [e, i] as const)
    .sort((a, b) => (num(b[0][1]) as number) - (num(a[0][1]) as number) || a[1] - b[1])
    .map(([e]) => e);
}

function groupThousands(s: string): string {
  const neg = s.startsWith("-");
  const digits = neg ? s.slice(1) : s;
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += "_";
    out += digits[i];
  }
  return neg ? `-${out}` : out;
}

/**
 * Python's `pprint.pformat(value)` over the model: the repr when it fits in `width`, else
 * dicts (keys sorted), lists, tuples, sets and frozensets one item per line, long str and
 * bytes split into adjacent literals, exactly as CPython 3.11's pprint lays them out
 * (`python -m pickle` prints with it). Values with no CPython text (a `PyGlobal`, an inert
 * `PyInstance`) print as `pyRepr` does. A container met inside itself prints
 * `<Recursion on list with id=N>` where N numbers containers per call (CPython prints an
 * address).
 * @throws {PyValueError} for a bad option (`indent < 0`, `depth <= 0`, `width == 0`).
 * @throws {PyError} `RecursionError` for nesting deeper than 1000 levels.
 * @throws {PyTypeError} for a JS value with no Python counterpart (see `pyRepr`).
 */
export function pformat(value: unknown, options?: Readonly<PformatOptions>): string {
  const printer = new PrettyPrinter(options);
  try {
    return printer.run(value);
  } catch (e) {
    // A small thread stack can end before MAX_NESTING does: same error, same meaning.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new PyError("RecursionError", "maximum recursion depth exceeded while pretty-printing", {
        cause: e,
      });
    }
    throw e;
  }
}
