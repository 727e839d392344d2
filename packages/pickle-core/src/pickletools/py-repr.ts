/**
 * CPython's `repr` for the argument types pickletools prints: bytes, str (by code point, so a
 * str whose surrogates were decoded separately keeps Python's view), and int with Python's
 * 4300-digit limit on int-to-str conversion.
 */
import { PickletoolsError } from "./errors.js";

const HEX = "0123456789abcdef";

// Python's str.isprintable() is false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs (but
// space). Unicode properties come from the JS engine's Unicode version.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function isPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  return !NON_PRINTABLE.test(String.fromCodePoint(cp));
}

/** `repr(bytes)` of `data[start:end]`. */
export function bytesRepr(data: Uint8Array, start = 0, end = data.length): string {
  let hasSingle = false;
  let hasDouble = false;
  for (let i = start; i < end; i++) {
    const b = data[i]!;
    if (b === 0x27) hasSingle = true;
    else if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = quote === 0x22 ? 'b"' : "b'";
  for (let i = start; i < end; i++) {
    const b = data[i]!;
    if (b === quote || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
    else out += String.fromCharCode(b);
  }
  return out + String.fromCharCode(quote);
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, "0");
}

/**
 * `repr(str)`. `codePoints`, when given, are the string's Python code points (needed only when
 * a high and a low surrogate were decoded separately: JS would join them into one character).
 */
export function strRepr(s: string, codePoints?: readonly number[]): string {
  const hasSingle = s.includes("'");
  const quote = hasSingle && !s.includes('"') ? '"' : "'";
  let out = quote;
  const one = (cp: number): void => {
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
  };
  if (codePoints !== undefined) for (const cp of codePoints) one(cp);
  else for (const c of s) one(c.codePointAt(0)!);
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
