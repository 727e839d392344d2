import { isPrintable } from "./printable.js";

const HEX = "0123456789abcdef";

function hex(n: number, width: number): string {
  let s = "";
  for (let i = width - 1; i >= 0; i--) s += HEX[(n >>> (4 * i)) & 15];
  return s;
}

/**
 * Python's `repr(str)`, byte for byte: single quotes unless the text has `'` and no `"`;
 * `\\`, the quote, `\t`, `\n`, `\r` escaped; other controls and DEL as `\xNN`; non-ASCII kept
 * when `str.isprintable()` holds (CPython's Unicode table), else `\xNN`, `\uNNNN` or
 * `\UNNNNNNNN`; lone surrogates as `\udNNN`.
 */
export function strRepr(s: string): string {
  const quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? 34 : 39;
  const q = quote === 34 ? '"' : "'";
  const n = s.length;
  let i = 0;
  // Fast path: plain printable ASCII is returned as one slice.
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x5c || c === quote) break;
  }
  if (i === n) return q + s + q;
  let out = q + s.slice(0, i);
  let run = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      if (c !== 0x5c && c !== quote) continue;
      out += `${s.slice(run, i)}\\${s[i]}`;
      run = i + 1;
      continue;
    }
    let esc: string;
    if (c < 0x7f) {
      esc = c === 0x09 ? "\\t" : c === 0x0a ? "\\n" : c === 0x0d ? "\\r" : `\\x${hex(c, 2)}`;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        if (isPrintable(cp)) {
          i++;
          continue;
        }
        esc = `\\U${hex(cp, 8)}`;
        out += s.slice(run, i) + esc;
        i++;
        run = i + 1;
        continue;
      }
      esc = `\\u${hex(c, 4)}`;
    } else if (isPrintable(c)) {
      continue;
    } else {
      esc = c <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
    }
    out += s.slice(run, i) + esc;
    run = i + 1;
  }
  return out + s.slice(run) + q;
}

// repr text of each byte value, inside single and double quotes.
const BYTE_TEXT_SQ: string[] = [];
const BYTE_TEXT_DQ: string[] = [];
// bytearray's repr escapes `'` even between double quotes (CPython's bytearray_repr).
const BYTE_TEXT_DQ_BYTEARRAY: string[] = [];
for (let b = 0; b < 256; b++) {
  let t: string;
  if (b === 0x09) t = "\\t";
  else if (b === 0x0a) t = "\\n";
  else if (b === 0x0d) t = "\\r";
  else if (b === 0x5c) t = "\\\\";
  else if (b < 0x20 || b >= 0x7f) t = `\\x${hex(b, 2)}`;
  else t = String.fromCharCode(b);
  BYTE_TEXT_SQ.push(b === 0x27 ? "\\'" : t);
  BYTE_TEXT_DQ.push(t);
  BYTE_TEXT_DQ_BYTEARRAY.push(b === 0x27 ? "\\'" : t);
}

/**
 * Python's `repr(bytes)`: `b'...'` (or `b"..."` when the bytes hold `'` and no `"`), with
 * `\t`, `\n`, `\r`, `\\`, the quote escaped and bytes outside printable ASCII as `\xNN`.
 */
export function bytesRepr(b: Uint8Array): string {
  return bytesText(b, false);
}

/** Python's `repr(bytearray)`: `bytearray(b'...')`, where `'` is escaped even inside `b"..."`. */
export function byteArrayRepr(b: Uint8Array): string {
  return `bytearray(${bytesText(b, true)})`;
}

function bytesText(b: Uint8Array, bytearray: boolean): string {
  let sq = false;
  let dq = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x27) sq = true;
    else if (c === 0x22) dq = true;
  }
  const useDq = sq && !dq;
  const table = useDq ? (bytearray ? BYTE_TEXT_DQ_BYTEARRAY : BYTE_TEXT_DQ) : BYTE_TEXT_SQ;
  const q = useDq ? '"' : "'";
  let out = `b${q}`;
  // Chunks keep the intermediate strings flat for large inputs.
  let chunk = "";
  for (let i = 0; i < b.length; i++) {
    chunk += table[b[i]!];
    if ((i & 4095) === 4095) {
      out += chunk;
      chunk = "";
    }
  }
  return out + chunk + q;
}
