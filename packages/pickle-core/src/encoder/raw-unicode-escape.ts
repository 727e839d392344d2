/**
 * The text of protocol 0's UNICODE opcode: CPython's `_pickle.c` raw_unicode_escape, which
 * is `raw-unicode-escape` plus `\uXXXX` escapes for `\`, NUL, `\n`, `\r` and `\x1a` (so the
 * line-based reader and Windows text mode survive). Other code points < 256 pass as one byte
 * (latin-1); the rest become `\uXXXX` or `\UXXXXXXXX` (lowercase hex), lone surrogates too.
 */
const HEX = "0123456789abcdef";

function needsEscape(c: number): boolean {
  return c >= 256 || c === 0x5c || c === 0 || c === 0x0a || c === 0x0d || c === 0x1a;
}

/** Byte length of `rawUnicodeEscape(s)`. */
export function rawUnicodeEscapeLength(s: string): number {
  let len = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        len += 10;
        i++;
        continue;
      }
    }
    len += needsEscape(c) ? 6 : 1;
  }
  return len;
}

/** Writes the escaped form of `s` into `buf` at `pos` (room checked by the caller); returns the end. */
export function rawUnicodeEscapeInto(s: string, buf: Uint8Array, pos: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        buf[pos++] = 0x5c;
        buf[pos++] = 0x55; // U
        for (let shift = 28; shift >= 0; shift -= 4) buf[pos++] = HEX.charCodeAt((c >>> shift) & 15);
        continue;
      }
    }
    if (needsEscape(c)) {
      buf[pos++] = 0x5c;
      buf[pos++] = 0x75; // u
      for (let shift = 12; shift >= 0; shift -= 4) buf[pos++] = HEX.charCodeAt((c >>> shift) & 15);
    } else {
      buf[pos++] = c;
    }
  }
  return pos;
}
