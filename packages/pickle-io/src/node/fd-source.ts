import { readSync } from "node:fs";
import type { PickleSource } from "../unpickler.js";

/**
 * A `PickleSource` over a file descriptor for the `Unpickler` class: `read(n)` and
 * `readline()` take exactly what is asked from the current position, so
 * `new Unpickler(fdSource(fd))` (or a subclass) can `load()` pickle after pickle, sharing
 * its memo across them as Python's Unpickler does, and leaves the descriptor at the next one.
 */
export function fdSource(fd: number): PickleSource {
  const one = new Uint8Array(1);
  return {
    read(n: number): Uint8Array {
      // Grow with the data that arrives, never by the size asked (it comes from the data).
      let buf = new Uint8Array(Math.min(n, 64 * 1024));
      let got = 0;
      while (got < n) {
        if (got === buf.length) {
          const next = new Uint8Array(Math.min(n, buf.length * 2));
          next.set(buf);
          buf = next;
        }
        const r = readSync(fd, buf, got, buf.length - got, null);
        if (r === 0) break;
        got += r;
      }
      return got === buf.length ? buf : buf.subarray(0, got);
    },
    readline(): Uint8Array {
      const bytes: number[] = [];
      while (readSync(fd, one, 0, 1, null) === 1) {
        bytes.push(one[0]!);
        if (one[0] === 10) break;
      }
      return Uint8Array.from(bytes);
    },
  };
}
