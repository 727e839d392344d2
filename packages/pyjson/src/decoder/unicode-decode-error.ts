import { PyValueError } from "@x/pyobject";

const MARKER = Symbol.for("@x/pyjson.UnicodeDecodeError");

/**
 * Python's `UnicodeDecodeError` (a `ValueError`), raised by `loads` on bytes that are not valid
 * in the encoding `detect_encoding` chose. The message is CPython's, e.g.
 * `'utf-8' codec can't decode byte 0xff in position 0: invalid start byte`.
 */
export class UnicodeDecodeError extends PyValueError {
  declare readonly [MARKER]: true;
  /** Codec name as CPython reports it (`utf-8`, `utf-16-le`, `utf-32-be`, ...). */
  readonly encoding: string;
  /** The bytes being decoded (for `utf-8-sig`, those after the BOM, as in CPython). */
  readonly object: Uint8Array;
  /** First bad byte (index into `object`). */
  readonly start: number;
  /** One past the last bad byte. */
  readonly end: number;
  /** Why, e.g. `invalid start byte`. */
  readonly reason: string;

  constructor(encoding: string, object: Uint8Array, start: number, end: number, reason: string) {
    const where =
      end === start + 1
        ? `byte 0x${(object[start] ?? 0).toString(16).padStart(2, "0")} in position ${start}`
        : `bytes in position ${start}-${end - 1}`;
    super(`'${encoding}' codec can't decode ${where}: ${reason}`);
    (this as { pyType: string }).pyType = "UnicodeDecodeError";
    this.name = "UnicodeDecodeError";
    this.encoding = encoding;
    this.object = object;
    this.start = start;
    this.end = end;
    this.reason = reason;
  }

  /** True for a UnicodeDecodeError from any copy of this package. */
  static override isInstance(e: unknown): e is UnicodeDecodeError {
    return e !== null && typeof e === "object" && (e as { [MARKER]?: unknown })[MARKER] === true;
  }
}
Object.defineProperty(UnicodeDecodeError.prototype, MARKER, { value: true });
