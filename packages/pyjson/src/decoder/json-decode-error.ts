import { PyValueError } from "@x/pyobject";

const MARKER = Symbol.for("@x/pyjson.JSONDecodeError");
/** Internal: the UTF-16 unit index an error was raised at (see `atUnit`). */
export const UNIT_INDEX = Symbol("unit index");

/**
 * Python's `json.JSONDecodeError` (a `ValueError`): `msg`, the document `doc`, and where the
 * problem is as Python counts it: `pos` is a code point index into `doc` (an astral character
 * counts once, where a JS string counts two UTF-16 units), `lineno` and `colno` start at 1.
 * The message reads `"<msg>: line L column C (char P)"`, as CPython's does.
 */
export class JSONDecodeError extends PyValueError {
  declare readonly [MARKER]: true;
  /** The unformatted message, e.g. `"Expecting value"`. */
  readonly msg: string;
  /** The JSON document being parsed (the decoded text when bytes were given). */
  readonly doc: string;
  /** Code point index in `doc` where parsing failed. */
  readonly pos: number;
  /** 1-based line of `pos`. */
  readonly lineno: number;
  /** 1-based column of `pos` (in code points). */
  readonly colno: number;

  /** `pos` is a code point index into `doc`, as in Python. */
  constructor(msg: string, doc: string, pos: number) {
    const unit = unitIndexOf(doc, pos);
    const lineStart = unit <= 0 ? -1 : doc.lastIndexOf("\n", unit - 1);
    const lineno = countNewlines(doc, unit) + 1;
    const colno = lineStart < 0 ? pos + 1 : pos - codePointIndexOf(doc, lineStart);
    super(`${msg}: line ${lineno} column ${colno} (char ${pos})`);
    (this as { pyType: string }).pyType = "JSONDecodeError";
    this.name = "JSONDecodeError";
    this.msg = msg;
    this.doc = doc;
    this.pos = pos;
    this.lineno = lineno;
    this.colno = colno;
  }

  /** Builds the error from a UTF-16 unit index (what a JS scanner holds). */
  static atUnit(msg: string, doc: string, unit: number): JSONDecodeError {
    const e = new JSONDecodeError(msg, doc, codePointIndexOf(doc, unit));
    Object.defineProperty(e, UNIT_INDEX, { value: unit });
    return e;
  }

  /** True for a JSONDecodeError from any copy of this package. */
  static override isInstance(e: unknown): e is JSONDecodeError {
    return e !== null && typeof e === "object" && (e as { [MARKER]?: unknown })[MARKER] === true;
  }
}
Object.defineProperty(JSONDecodeError.prototype, MARKER, { value: true });

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Python's index of the code point that starts at UTF-16 unit `unit` (pairs count once). */
export function codePointIndexOf(s: string, unit: number): number {
  const end = Math.min(unit, s.length);
  let pairs = 0;
  for (let i = 0; i < end - 1; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) {
      pairs++;
      i++;
    }
  }
  return unit - pairs;
}

/** The UTF-16 unit index of Python's code point index `pos` (beyond the end: extrapolated). */
export function unitIndexOf(s: string, pos: number): number {
  if (pos <= 0) return pos;
  let cp = 0;
  let i = 0;
  const n = s.length;
  while (i < n && cp < pos) {
    i += isHigh(s.charCodeAt(i)) && i + 1 < n && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
    cp++;
  }
  return i + (pos - cp);
}

function countNewlines(s: string, end: number): number {
  let count = 0;
  let i = s.indexOf("\n");
  while (i >= 0 && i < end) {
    count++;
    i = s.indexOf("\n", i + 1);
  }
  return count;
}
