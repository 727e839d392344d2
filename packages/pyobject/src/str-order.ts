/**
 * Python's `a < b` for two str: code point order. JS's `<` compares UTF-16 units, which puts an
 * astral character (a surrogate pair, D800-DBFF + DC00-DFFF) below U+E000-U+FFFF, and a JS string
 * can hold lone surrogates, which Python's str also can: each is then a code point of its own.
 */
export function strLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x < y;
    // The first differing code points. When unit i is a low surrogate completing a pair in
    // either string, the pair begins at the shared high surrogate at i - 1; otherwise both
    // code points begin at i (a high surrogate there may pair with the unit after it).
    let at = i;
    if (i > 0 && (isLow(x) || isLow(y))) {
      const prev = a.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) at = i - 1;
    }
    return (a.codePointAt(at) as number) < (b.codePointAt(at) as number);
  }
  return a.length < b.length;
}

function isLow(u: number): boolean {
  return u >= 0xdc00 && u <= 0xdfff;
}
