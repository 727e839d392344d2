/**
 * Writes a zip as torch's `PyTorchStreamWriter` does: stored (uncompressed) members whose data
 * starts on a 64-byte boundary (padding in an extra field), zip64 records where sizes or
 * offsets need them, and always the zip64 end record. Output is a list of chunks; member data
 * is passed through without a copy.
 */
import { crc32 } from "./crc32.js";

const ALIGN = 64;
const U32_MAX = 0xffffffff;
const utf8 = new TextEncoder();

interface Written {
  readonly name: Uint8Array;
  readonly crc: number;
  readonly size: number;
  readonly offset: number;
}

/** Collects a zip's chunks in order: `add` each member, then `finish`. */
export class ZipWriter {
  private readonly written: Written[] = [];
  private pos = 0;

  /**
   * @param zip64From sizes and offsets from this value on get zip64 fields (the format needs
   *   them from 0xffffffff; tests lower it to exercise the zip64 paths on small files).
   */
  constructor(
    private readonly emit: (chunk: Uint8Array) => void,
    private readonly zip64From = U32_MAX,
  ) {}

  add(name: string, data: Uint8Array): void {
    const nameBytes = utf8.encode(name);
    const size = data.length;
    const crc = crc32(data);
    const zip64 = size >= this.zip64From;
    const extra64 = zip64 ? 20 : 0;
    const base = this.pos + 30 + nameBytes.length + extra64 + 4;
    const pad = (ALIGN - (base % ALIGN)) % ALIGN;
    const header = new Uint8Array(30 + nameBytes.length + extra64 + 4 + pad);
    const v = new DataView(header.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, zip64 ? 45 : 20, true);
    v.setUint16(6, 0x0800, true); // names are UTF-8
    v.setUint16(8, 0, true); // stored
    v.setUint32(14, crc, true);
    v.setUint32(18, zip64 ? U32_MAX : size, true);
    v.setUint32(22, zip64 ? U32_MAX : size, true);
    v.setUint16(26, nameBytes.length, true);
    v.setUint16(28, extra64 + 4 + pad, true);
    header.set(nameBytes, 30);
    let e = 30 + nameBytes.length;
    if (zip64) {
      v.setUint16(e, 1, true);
      v.setUint16(e + 2, 16, true);
      v.setBigUint64(e + 4, BigInt(size), true);
      v.setBigUint64(e + 12, BigInt(size), true);
      e += 20;
    }
    v.setUint16(e, 0x4246, true); // "FB": torch's padding field
    v.setUint16(e + 2, pad, true);
    header.fill(0x5a, e + 4); // 'Z', as torch pads
    this.written.push({ name: nameBytes, crc, size, offset: this.pos });
    this.out(header);
    this.out(data);
  }

  finish(): void {
    const cdOffset = this.pos;
    for (const w of this.written) {
      const big = [w.size >= this.zip64From, w.size >= this.zip64From, w.offset >= this.zip64From];
      const extraLen = big.some(Boolean) ? 4 + 8 * big.filter(Boolean).length : 0;
      const entry = new Uint8Array(46 + w.name.length + extraLen);
      const v = new DataView(entry.buffer);
      v.setUint32(0, 0x02014b50, true);
      v.setUint16(4, 45, true);
      v.setUint16(6, extraLen ? 45 : 20, true);
      v.setUint16(8, 0x0800, true);
      v.setUint32(16, w.crc, true);
      v.setUint32(20, big[1] ? U32_MAX : w.size, true);
      v.setUint32(24, big[0] ? U32_MAX : w.size, true);
      v.setUint16(28, w.name.length, true);
      v.setUint16(30, extraLen, true);
      v.setUint32(42, big[2] ? U32_MAX : w.offset, true);
      entry.set(w.name, 46);
      if (extraLen) {
        let e = 46 + w.name.length;
        v.setUint16(e, 1, true);
        v.setUint16(e + 2, extraLen - 4, true);
        e += 4;
        for (const [i, value] of [w.size, w.size, w.offset].entries()) {
          if (!big[i]) continue;
          v.setBigUint64(e, BigInt(value), true);
          e += 8;
        }
      }
      this.out(entry);
    }
    const cdSize = this.pos - cdOffset;
    const count = this.written.length;
    const end = new Uint8Array(56 + 20 + 22);
    const v = new DataView(end.buffer);
    const eocd64 = this.pos;
    v.setUint32(0, 0x06064b50, true);
    v.setBigUint64(4, 44n, true);
    v.setUint16(12, 45, true);
    v.setUint16(14, 45, true);
    v.setBigUint64(24, BigInt(count), true);
    v.setBigUint64(32, BigInt(count), true);
    v.setBigUint64(40, BigInt(cdSize), true);
    v.setBigUint64(48, BigInt(cdOffset), true);
    v.setUint32(56, 0x07064b50, true);
    v.setBigUint64(64, BigInt(eocd64), true);
    v.setUint32(72, 1, true);
    v.setUint32(76, 0x06054b50, true);
    v.setUint16(84, Math.min(count, 0xffff), true);
    v.setUint16(86, Math.min(count, 0xffff), true);
    v.setUint32(88, Math.min(cdSize, U32_MAX), true);
    v.setUint32(92, Math.min(cdOffset, U32_MAX), true);
    this.out(end);
  }

  private out(chunk: Uint8Array): void {
    this.pos += chunk.length;
    this.emit(chunk);
  }
}
