import { PyError } from "@x/pyobject";
import { UnicodeDecodeError } from "../decoder/unicode-decode-error.js";

/**
 * Decoding bytes for the `encoding` option (Python 2's json): a bytes value or key is decoded
 * with the named codec before it is encoded as a JSON string. UTF-8, Latin-1 and ASCII follow
 * Python 3's codecs exactly (messages included); any other name goes to `TextDecoder`
 * (WHATWG labels, fatal on malformed input).
 */
export type BytesDecoder = (bytes: Uint8Array) => string;

/** Python's codec-name normalization: lower case, `-` and spaces as `_`. */
function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/[-\s]/g, "_");
}

const UTF8 = new Set(["utf_8", "utf8", "u8", "utf", "cp65001"]);
// WHATWG maps "latin1"/"ascii" labels to windows-1252, which is not Python's codec: by hand.
const LATIN1 = new Set(["latin_1", "latin1", "latin", "l1", "iso_8859_1", "iso8859_1", "8859", "cp819"]);
const ASCII = new Set(["ascii", "us_ascii", "646", "us"]);

function decodeError(codec: string, bytes: Uint8Array, start: number, end: number, reason: string): PyError {
  return new UnicodeDecodeError(codec, bytes, start, end, reason);
}

function decodeLatin1(bytes: Uint8Array): string {
  let s = "";
  // fromCharCode over bounded slices: one call per 4 KiB, never a huge argument list.
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return s;
}

function decodeAscii(bytes: Uint8Array): string {
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] as number) >= 0x80)
      throw decodeError("ascii", bytes, i, i + 1, "ordinal not in range(128)");
  }
  return decodeLatin1(bytes);
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Finds the first malformed sequence the way CPython's UTF-8 decoder reports it. */
function utf8Error(bytes: Uint8Array): PyError {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return decodeError("utf-8", bytes, i, i + 1, "invalid start byte");
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return decodeError("utf-8", bytes, i, n, "unexpected end of data");
      const c = bytes[i + k] as number;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return decodeError("utf-8", bytes, i, i + k, "invalid continuation byte");
    }
    i += need + 1;
  }
  return new UnicodeDecodeError("utf-8", bytes, 0, n, "invalid data");
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw utf8Error(bytes);
  }
}

/**
 * The decoder for a codec name.
 * @throws PyError `LookupError` ("unknown encoding: X") when neither Python's names nor
 * `TextDecoder` know the codec.
 */
export function bytesDecoder(encoding: string): BytesDecoder {
  const name = normalize(encoding);
  if (UTF8.has(name)) return decodeUtf8;
  if (LATIN1.has(name)) return decodeLatin1;
  if (ASCII.has(name)) return decodeAscii;
  let td: TextDecoder;
  try {
    td = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch {
    throw new PyError("LookupError", `unknown encoding: ${encoding}`);
  }
  return (bytes) => {
    try {
      return td.decode(bytes);
    } catch {
      throw new UnicodeDecodeError(encoding, bytes, 0, bytes.length, "malformed input");
    }
  };
}
