/**
 * CPython's `repr` for the argument types pickletools prints. bytes, bytearray and str come
 * from `@x/pyobject`; this adds the slice form used in error messages, a str repr by code point
 * (for a str whose surrogates were decoded separately, which JS would join into one
 * character), and int repr with Python's 4300-digit limit on int-to-str conversion.
 */
import { byteArrayRepr, isPrintable, bytesRepr as pyBytesRepr, strRepr as pyStrRepr } from "@x/pyobject";
import { PickletoolsError } from "./errors.js";

/** `repr(bytes)` of `data[start:end]`. */
export function bytesRepr(data: Uint8Array, start = 0, end = data.length): string {
  return pyBytesRepr(start === 0 && end === data.length ? data : data.subarray(start, end));
}

export { byteArrayRepr };

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, "0");
}

/**
 * `repr(str)`. `codePoints`, when given, are the string's Python code points (needed only when
 * a high and a low surrogate were decoded separately: JS would join them into one character).
 */
export function strRepr(s: string, codePoints?: readonly number[]): string {
  if (codePoints === undefined) return pyStrRepr(s);
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const cp of codePoints) {
    if (cp < 0x7f) {
      if (cp >= 0x20) {
        const c = String.fromCharCode(cp);
        out += c === quote || c === "\\" ? `\\${c}` : c;
      } else if (cp === 0x09) out += "\\t";
      else if (cp === 0x0a) out += "\\n";
      else if (cp === 0x0d) out += "\\r";
      else out += `\\x${hex(cp, 2)}`;
    } else if (isPrintable(cp)) out += String.fromCodePoint(cp);
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + quote;
}

/** CPython's default `sys.get_int_max_str_digits()`. */
export const INT_MAX_STR_DIGITS = 4300;

/**
 * `repr(int)`.
 * @throws {PickletoolsError} ValueError past 4300 decimal digits, as CPython 3.11.
 */
export function intRepr(n: number | bigint | boolean): string {
  if (typeof n === "boolean") return n ? "True" : "False";
  if (typeof n === "number") return String(n);
  const abs = n < 0n ? -n : n;
  // Bit length first (hex is linear): 2**14300 has 4305 digits and 2**14000 only 4215, so
  // only ints near the limit pay for a decimal conversion before the check.
  const hexBits = abs.toString(16).length * 4;
  if (hexBits - 3 > 14300 || (hexBits > 14000 && abs.toString().length > INT_MAX_STR_DIGITS)) {
    throw new PickletoolsError(
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  return n.toString();
}
