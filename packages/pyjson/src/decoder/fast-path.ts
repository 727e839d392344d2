/**
 * When `JSON.parse` gives exactly the natural-model result of Python's decoder, without hooks.
 * Where both accept a text they agree on everything (same grammar, whitespace, escapes, lone
 * surrogates, float rounding, `1E400` → Infinity, `-0.0` → -0, last duplicate wins in first
 * position, an own `"__proto__"` key) except ints that need a bigint (16+ digits, flagged by
 * any run of 16 digits) and the int `-0` (Python's 0, JSON.parse's -0). Texts JSON.parse
 * rejects (NaN, Infinity, errors, control characters with `strict: false`) go to the scanner.
 * A hit anywhere, even inside a string, only costs the slow path.
 */
const NEEDS_SCANNER = /\d{16}|-0(?![.eE\d])/;

/** Returns true when `JSON.parse(s)` may be used for the natural model. */
export function jsonParseAgrees(s: string): boolean {
  return !NEEDS_SCANNER.test(s);
}
