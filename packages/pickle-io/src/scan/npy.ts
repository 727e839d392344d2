/**
 * numpy's `.npy` format: magic `\x93NUMPY`, version, a little-endian header length (2 bytes
 * in version 1, 4 in 2 and 3), then a Python dict literal. Arrays whose dtype holds Python
 * objects store their data as a pickle right after the header; other arrays store raw bytes.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Whether `bytes` starts like a `.npy` file. */
export function isNpy(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return false;
  return true;
}

/** What the header says: where the data starts and whether it is a pickle. */
export interface NpyHeader {
  readonly dataOffset: number;
  readonly descr: string;
  /** True when the dtype holds Python objects, so the data is a pickle. */
  readonly pickled: boolean;
}

/**
 * Parses a `.npy` header.
 * @throws Error when the header is truncated or malformed.
 */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10) throw new Error("truncated .npy header");
  const major = bytes[6] as number;
  let len: number;
  let start: number;
  if (major === 1) {
    len = (bytes[8] as number) | ((bytes[9] as number) << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error("truncated .npy header");
    len =
      ((bytes[8] as number) |
        ((bytes[9] as number) << 8) |
        ((bytes[10] as number) << 16) |
        ((bytes[11] as number) << 24)) >>>
      0;
    start = 12;
  } else throw new Error(`unsupported .npy format version ${major}`);
  if (start + len > bytes.length) throw new Error("truncated .npy header");
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + len));
  const m = /['"]descr['"]\s*:\s*(.*?)\s*,\s*['"]fortran_order['"]/s.exec(text);
  if (m === null) throw new Error("malformed .npy header: no 'descr'");
  const descr = (m[1] as string).trim();
  // 'O' (or 'O' inside a structured dtype's fields, e.g. [('a', 'O')]) means Python objects.
  const pickled = /(^|[^A-Za-z0-9])[|<>=]?O\d*['"]/.test(descr) || /^['"][|<>=]?O['"]$/.test(descr);
  return { dataOffset: start + len, descr, pickled };
}
