import { PyTypeError } from "@x/pyobject";
import { type BytesDecoder, bytesDecoder } from "./bytes-codec.js";
import { encodeBasestring, encodeBasestringAscii } from "./escape.js";

/** Options of `JSONEncoder` (and of `dumps`/`dump`); Python's `json.dumps` names in camelCase. */
export interface JSONEncoderOptions {
  /** Skip dict keys that are not str, int, float, bool or None instead of raising TypeError. Default false. */
  skipkeys?: boolean | undefined;
  /** Escape every non-ASCII character as `\uXXXX`. Default true. */
  ensureAscii?: boolean | undefined;
  /** Detect circular references (ValueError "Circular reference detected"). Default true. */
  checkCircular?: boolean | undefined;
  /** Write NaN/Infinity/-Infinity; when false they raise ValueError. Default true. */
  allowNan?: boolean | undefined;
  /** Sort dict items by key, with Python's `<` (mixed key types fail as in Python). Default false. */
  sortKeys?: boolean | undefined;
  /**
   * Pretty-print: a non-negative integer is that many spaces per level, a string is used as
   * is, 0 or a negative integer only inserts newlines. Default `null` (one line).
   */
  indent?: number | string | null | undefined;
  /** `[itemSeparator, keySeparator]`. Default `[", ", ": "]`, or `[",", ": "]` with `indent`. */
  separators?: readonly [string, string] | null | undefined;
  /** Called for values with no JSON form; returns a serializable value or throws. */
  default?: ((o: unknown) => unknown) | null | undefined;
  /**
   * Python 2's `encoding`: when set, bytes (Uint8Array) values and keys are decoded with this
   * codec and written as strings. Unset (default), bytes raise TypeError as in Python 3.
   */
  encoding?: string | null | undefined;
  /**
   * How JS numbers read: `"natural"` (default) writes an integral number as an int (`1`) and
   * any other as a float; `"faithful"` writes every number as a float (`1.0`), ints are bigints.
   */
  model?: "natural" | "faithful" | undefined;
  /**
   * Nesting depth (containers plus `default` results) beyond which encoding stops with
   * RecursionError, as CPython does at its recursion limit. Default 100000.
   */
  maxDepth?: number | undefined;
}

/** Default nesting limit: far beyond CPython's ~1000, still a clear error for runaway data. */
export const DEFAULT_MAX_DEPTH = 100_000;

/** Options resolved once, read by the hot loops. */
export class EncoderConfig {
  readonly skipkeys: boolean;
  readonly ensureAscii: boolean;
  readonly checkCircular: boolean;
  readonly allowNan: boolean;
  readonly sortKeys: boolean;
  /** The indent unit (`" ".repeat(n)` for an int), or null for one-line output. */
  readonly indentUnit: string | null;
  readonly itemSeparator: string;
  readonly keySeparator: string;
  readonly faithful: boolean;
  readonly decodeBytes: BytesDecoder | null;
  readonly maxDepth: number;
  readonly escape: (s: string) => string;
  /** `"\n" + indent * level`, built once per level. */
  private readonly newlines: string[] = [];

  constructor(o: Readonly<JSONEncoderOptions>) {
    this.skipkeys = o.skipkeys ?? false;
    this.ensureAscii = o.ensureAscii ?? true;
    this.checkCircular = o.checkCircular ?? true;
    this.allowNan = o.allowNan ?? true;
    this.sortKeys = o.sortKeys ?? false;
    const indent = o.indent ?? null;
    if (indent === null || typeof indent === "string") this.indentUnit = indent;
    else if (typeof indent === "number" && Number.isInteger(indent))
      this.indentUnit = " ".repeat(Math.max(0, indent));
    else
      throw new PyTypeError(
        `can't multiply sequence by non-int of type '${typeof indent === "number" ? "float" : typeof indent}'`,
      );
    const seps = o.separators ?? null;
    if (seps !== null) {
      if (typeof seps[0] !== "string" || typeof seps[1] !== "string")
        throw new PyTypeError("separators must be a pair of strings");
      this.itemSeparator = seps[0];
      this.keySeparator = seps[1];
    } else {
      this.itemSeparator = this.indentUnit === null ? ", " : ",";
      this.keySeparator = ": ";
    }
    const model = o.model ?? "natural";
    if (model !== "natural" && model !== "faithful") throw new PyTypeError(`unknown model: ${String(model)}`);
    this.faithful = model === "faithful";
    this.decodeBytes = o.encoding == null ? null : bytesDecoder(o.encoding);
    const maxDepth = o.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!(maxDepth >= 0)) throw new PyTypeError("maxDepth must be a non-negative number");
    this.maxDepth = maxDepth;
    this.escape = this.ensureAscii ? encodeBasestringAscii : encodeBasestring;
  }

  /** `"\n" + indent * level` (only called when indentUnit is set). */
  newline(level: number): string {
    let s = this.newlines[level];
    if (s === undefined) {
      s = `\n${(this.indentUnit as string).repeat(level)}`;
      this.newlines[level] = s;
    }
    return s;
  }
}
