import type { Readable } from "node:stream";
import { asBytes, type ChunkSource } from "../stream/pickle-stream-reader.js";

/** Resolves when `r` may have data, has ended or has failed (rejecting with its error). */
function whenReadable(r: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      r.off("readable", done);
      r.off("end", done);
      r.off("close", done);
      r.off("error", fail);
      resolve();
    };
    const fail = (e: unknown): void => {
      r.off("readable", done);
      r.off("end", done);
      r.off("close", done);
      r.off("error", fail);
      reject(e);
    };
    r.on("readable", done);
    r.on("end", done);
    r.on("close", done);
    r.on("error", fail);
  });
}

/**
 * A ChunkSource over a Node Readable in paused mode: `read()` takes what is buffered, and
 * the bytes read past a pickle go back with `unshift`, so the next reader (this library or
 * any other code) starts at the next pickle.
 */
export function readableChunkSource(r: Readable): ChunkSource {
  return {
    async pull() {
      for (;;) {
        if (r.errored) throw r.errored;
        const chunk: unknown = r.read();
        if (chunk !== null) return asBytes(chunk);
        if (r.readableEnded || r.destroyed) return null;
        await whenReadable(r);
      }
    },
    giveBack(rest) {
      if (r.readableEnded || r.destroyed) return false;
      r.unshift(rest);
      return true;
    },
  };
}
