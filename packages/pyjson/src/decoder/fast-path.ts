/**
 * When `JSON.parse` gives exactly the natural-model result of Python's decoder, without hooks.
 * Where both accept a text they agree on everything (same grammar, whitespace, escapes, lone
 * surrogates, float rounding, `1E400` → Infinity, `-0.0` → -0, last duplicate wins in first
 * position, an own `"__proto__"` key) except ints that need a bigint (16+ digits) and the int
 * `-0` (Python's 0, JSON.parse's -0). Texts JSON.parse rejects (NaN, Infinity, errors, control
 * characters with `strict: false`) go to the scanner anyway. A false alarm (16 digits or `-0`
 * inside a string) only costs the slower scanner.
 */

// Sixteen spelled-out `\d`s: V8 compiles this to a skipping search, ~10x faster than `\d{16}`
// (measured: 6 ms vs 66 ms on a 15 MB document that JSON.parse reads in ~260 ms).
const SIXTEEN_DIGITS = /\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d/;

/** Returns true when `JSON.parse(s)` may be used for the natural model. */
export function jsonParseAgrees(s: string): boolean {
  // "-0" not followed by a fraction, exponent or digit is the int -0 (indexOf: ~1 ms on 15 MB).
  for (let i = s.indexOf("-0"); i >= 0; i = s.indexOf("-0", i + 2)) {
    const c = s.charCodeAt(i + 2);
    if (!(c === 46 || c === 101 || c === 69 || (c >= 48 && c <= 57))) return false;
  }
  return !SIXTEEN_DIGITS.test(s);
}
