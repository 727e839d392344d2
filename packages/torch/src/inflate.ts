/**
 * Deflated zip members. torch stores tensors' storages (they must stay stored: they are read
 * lazily, by position) but TorchScript archives deflate their `.debug_pkl` pickles, and a
 * re-zipped checkpoint may deflate anything; a scanner must still see every pickle. Pickles are
 * read whole anyway, so they are inflated whole: asynchronously with the platform's
 * `DecompressionStream("deflate-raw")`, synchronously with an inflater the caller provides
 * (`@x/torch/node` passes node:zlib's). The output is capped at the size the directory declares.
 */
import { CheckpointError } from "./errors.js";

/** Inflates raw deflate data of a known uncompressed size, synchronously. */
export type InflateRaw = (data: Uint8Array, size: number) => Uint8Array;

function mismatch(name: string, size: number, got: string): CheckpointError {
  return new CheckpointError(
    `zip: member '${name}' inflates to ${got} bytes, not the ${size} its entry declares`,
  );
}

/** Inflates with the platform's DecompressionStream, stopping past `size` bytes. */
export async function inflateRawAsync(data: Uint8Array, size: number, name: string): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") {
    throw new CheckpointError(
      `zip: member '${name}' is compressed and this platform has no DecompressionStream`,
    );
  }
  const out = new Uint8Array(size);
  let got = 0;
  const reader = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("deflate-raw"))
    .getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      if (got + r.value.length > size) throw mismatch(name, size, `more than ${size}`);
      out.set(r.value, got);
      got += r.value.length;
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (CheckpointError.isInstance(e)) throw e;
    throw new CheckpointError(`zip: member '${name}' is not valid deflate data`, { cause: e });
  }
  if (got !== size) throw mismatch(name, size, String(got));
  return out;
}

/** Inflates with a caller's synchronous inflater, checking the size. */
export function inflateRawWith(
  inflate: InflateRaw | undefined,
  data: Uint8Array,
  size: number,
  name: string,
): Uint8Array {
  if (inflate === undefined) {
    throw new CheckpointError(
      `zip: member '${name}' is compressed: read it asynchronously (readCheckpointPickles), or pass an inflateRaw`,
    );
  }
  let out: Uint8Array;
  try {
    out = inflate(data, size);
  } catch (e) {
    if (CheckpointError.isInstance(e)) throw e;
    throw new CheckpointError(
      `zip: member '${name}' is not valid deflate data (or inflates past ${size} bytes)`,
      {
        cause: e,
      },
    );
  }
  if (out.length !== size) throw mismatch(name, size, String(out.length));
  return out;
}
