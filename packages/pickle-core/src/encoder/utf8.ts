/**
 * UTF-8 with Python's `surrogatepass`: a lone surrogate is written as its 3-byte form, as
 * CPython's pickler does for str (TextEncoder would replace it with U+FFFD and break round trips).
 */

/** Exact UTF-8 length of `s`, lone surrogates counted as 3 bytes. */
export function utf8Length(s: string): number {
  const n = s.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) len += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      // A pair is 2 UTF-16 units and 4 bytes: +2 over the two counted units.
      if (d >= 0xdc00 && d <= 0xdfff) {
        len += 2;
        i++;
      } else len += 2;
    } else len += 2;
  }
  return len;
}

/**
 * Writes `s` (from UTF-16 index `from`) as UTF-8 (surrogatepass) into `buf` at `pos`; returns
 * the end offset. The caller guarantees room for 3 bytes per UTF-16 unit.
 */
export function encodeUtf8Into(s: string, buf: Uint8Array, pos: number, from = 0): number {
  const n = s.length;
  for (let i = from; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[pos++] = 0xf0 | (c >> 18);
          buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
          buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
          buf[pos++] = 0x80 | (c & 0x3f);
          continue;
        }
      }
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

/**
 * The UTF-8 of the latin-1 text `data` stands for (each byte one code point: 1 byte below 0x80,
 * 2 from there) written at `out[at]`; returns the end offset. `out` must have room.
 */
export function latin1Utf8Into(data: Uint8Array, out: Uint8Array, at: number): number {
  const n = data.length;
  let q = at;
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    if (b < 0x80) out[q++] = b;
    else {
      out[q++] = 0xc0 | (b >> 6);
      out[q++] = 0x80 | (b & 0x3f);
    }
  }
  return q;
}
