/**
 * A small reader of the zip files `torch.save` writes: the end-of-central-directory record
 * (and its zip64 form, which torch writes even for small files), the central directory, and
 * local headers, read by position so a member's bytes are read only when asked for. Every
 * offset and length comes from the file and is checked against its size before it is read.
 *
 * Members must be stored (method 0): torch's writer never compresses, and a compressed
 * member could not be read at random (see the README for why deflate is refused).
 */
import { CheckpointError } from "./errors.js";
import { type Parse, readAt } from "./source.js";

/** One member of the archive, from the central directory. */
export interface ZipEntry {
  readonly name: string;
  /** 0 = stored; anything else is refused when the member is read. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const U32_MAX = 0xffffffff;

const utf8 = new TextDecoder("utf-8");

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A u64 as a number. @throws CheckpointError beyond 2**53. */
function u64(dv: DataView, at: number, what: string): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(`zip: ${what} ${v} is too large`);
  return Number(v);
}

/** True when the bytes start like a zip file (a local header, or an empty archive's EOCD). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
}

/**
 * Reads the central directory.
 * @throws CheckpointError when the end record is missing or any offset, length or count in
 *   it or in the directory does not fit the file.
 */
export function* readZipDirectory(source: { readonly size: number }): Parse<ZipEntry[]> {
  const size = source.size;
  if (size < EOCD_SIZE)
    throw new CheckpointError("zip: file too short for an end of central directory record");
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = size - tailLength;
  const tail = yield* readAt(source, tailStart, tailLength, "zip end record");
  const tv = view(tail);
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tv.getUint32(i, true) === SIG_EOCD && i + EOCD_SIZE + tv.getUint16(i + 20, true) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0)
    throw new CheckpointError("zip: no end of central directory record (not a zip file, or truncated)");
  let count = tv.getUint16(eocd + 10, true);
  let cdSize = tv.getUint32(eocd + 12, true);
  let cdOffset = tv.getUint32(eocd + 16, true);
  const eocdPos = tailStart + eocd;
  // zip64: a locator just before the end record points at the zip64 end record.
  if (eocdPos >= 20) {
    const loc = yield* readAt(source, eocdPos - 20, 20, "zip64 locator");
    const lv = view(loc);
    if (lv.getUint32(0, true) === SIG_LOCATOR64) {
      const at = u64(lv, 8, "zip64 end record offset");
      const rec = yield* readAt(source, at, 56, "zip64 end record");
      const rv = view(rec);
      if (rv.getUint32(0, true) !== SIG_EOCD64)
        throw new CheckpointError("zip: bad zip64 end of central directory record");
      count = u64(rv, 32, "entry count");
      cdSize = u64(rv, 40, "central directory size");
      cdOffset = u64(rv, 48, "central directory offset");
    }
  }
  if (cdOffset + cdSize > eocdPos)
    throw new CheckpointError("zip: the central directory lies outside the file");
  // Each entry takes at least 46 bytes: a count the directory cannot hold is refused before any allocation.
  if (count * 46 > cdSize)
    throw new CheckpointError(`zip: ${count} entries cannot fit a ${cdSize}-byte central directory`);
  const cd = yield* readAt(source, cdOffset, cdSize, "zip central directory");
  const dv = view(cd);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || dv.getUint32(p, true) !== SIG_CENTRAL) {
      throw new CheckpointError(`zip: bad central directory entry ${i} at offset ${cdOffset + p}`);
    }
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let uncompressed = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cd.length)
      throw new CheckpointError(`zip: central directory entry ${i} overruns the directory`);
    const name = utf8.decode(cd.subarray(p + 46, p + 46 + nameLen));
    // zip64 extended information: the 64-bit values of the fields saturated at 0xffffffff, in order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (e + 4 + len > extraEnd) throw new CheckpointError(`zip: bad extra field in entry '${name}'`);
      if (id === 1) {
        let q = e + 4;
        const take = (what: string): number => {
          if (q + 8 > e + 4 + len)
            throw new CheckpointError(`zip: zip64 field ${what} missing in entry '${name}'`);
          const v = u64(dv, q, what);
          q += 8;
          return v;
        };
        if (uncompressed === U32_MAX) uncompressed = take("size");
        if (compressedSize === U32_MAX) compressedSize = take("compressed size");
        if (localOffset === U32_MAX) localOffset = take("local header offset");
      }
      e += 4 + len;
    }
    if (localOffset + 30 > cdOffset || localOffset + compressedSize > cdOffset) {
      throw new CheckpointError(`zip: entry '${name}' lies outside the archive data`);
    }
    entries.push({ name, method, compressedSize, size: uncompressed, localHeaderOffset: localOffset });
    p = end;
  }
  return entries;
}

/**
 * Where a stored member's bytes start: after its local header, whose name and extra field
 * (torch pads it so data is 64-byte aligned) may differ in length from the central entry's.
 * `anyMethod` also finds a compressed member's (compressed) bytes.
 * @throws CheckpointError for a compressed member (unless `anyMethod`), a bad local header, or
 *   data past the end.
 */
export function* memberDataOffset(
  source: { readonly size: number },
  entry: ZipEntry,
  anyMethod = false,
): Parse<number> {
  if (entry.method !== 0 && !anyMethod) {
    throw new CheckpointError(
      `zip: member '${entry.name}' is compressed (method ${entry.method}); torch.save stores members uncompressed, and only stored members can be read lazily`,
    );
  }
  if (entry.method === 0 && entry.compressedSize !== entry.size) {
    throw new CheckpointError(
      `zip: stored member '${entry.name}' has different sizes (${entry.compressedSize}, ${entry.size})`,
    );
  }
  const head = yield* readAt(source, entry.localHeaderOffset, 30, `zip local header of '${entry.name}'`);
  const hv = view(head);
  if (hv.getUint32(0, true) !== SIG_LOCAL)
    throw new CheckpointError(`zip: bad local header for '${entry.name}'`);
  const start = entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  if (start + entry.compressedSize > source.size) {
    throw new CheckpointError(
      `zip: member '${entry.name}' (${entry.compressedSize} bytes at ${start}) runs past the end of the file`,
    );
  }
  return start;
}
