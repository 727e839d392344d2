import { NON_PRINTABLE_RANGES } from "./unicode-printable.js";

/**
 * Python's `str.isprintable()` for one code point, from the table generated out of CPython
 * (scripts/gen-unicode-printable.py). repr() keeps printable characters and escapes the rest.
 */
let starts: Uint32Array | undefined;
let ends: Uint32Array | undefined;
// One bit per BMP code point, set when not printable: a repr of non-ASCII text then costs one
// load per character instead of a binary search.
let bmp: Uint8Array | undefined;

function load(): void {
  const parts = NON_PRINTABLE_RANGES.split(",");
  const n = parts.length >> 1;
  const s = new Uint32Array(n);
  const e = new Uint32Array(n);
  const bits = new Uint8Array(0x10000 >> 3);
  let prevEnd = -1;
  for (let i = 0; i < n; i++) {
    const start = prevEnd + 1 + Number.parseInt(parts[2 * i]!, 36);
    const end = start + Number.parseInt(parts[2 * i + 1]!, 36);
    s[i] = start;
    e[i] = end;
    for (let c = start; c <= end && c < 0x10000; c++) bits[c >> 3]! |= 1 << (c & 7);
    prevEnd = end;
  }
  starts = s;
  ends = e;
  bmp = bits;
}

/** True when CPython's `chr(cp).isprintable()` is True (space counts; other separators do not). */
export function isPrintable(cp: number): boolean {
  if (bmp === undefined) load();
  if (cp < 0x10000) return (bmp![cp >> 3]! & (1 << (cp & 7))) === 0;
  const s = starts!;
  const e = ends!;
  let lo = 0;
  let hi = s.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < s[mid]!) hi = mid - 1;
    else if (cp > e[mid]!) lo = mid + 1;
    else return false;
  }
  return true;
}
