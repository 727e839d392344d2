/**
 * Node sources: positional reads of a file descriptor or a path, so a checkpoint is read only
 * where it is needed (the directory, the pickle, then each storage when touched).
 */
import { closeSync, fstatSync, openSync, read, readSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { CheckpointError } from "../errors.js";
import type { ByteSource } from "../source.js";

/** Node's limit on one read (2 GiB - 1); bigger storages are read in parts. */
const MAX_READ = 1 << 30;

function readAllSync(fd: number, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, out, got, Math.min(MAX_READ, length - got), position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? out : out.subarray(0, got);
}

function readPart(
  fd: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/**
 * A source over an open file descriptor (positional reads: the descriptor's own position is
 * not used or moved). The caller keeps the descriptor open while tensors are read, and closes it.
 */
export function fdSource(fd: number): ByteSource {
  const size = fstatSync(fd).size;
  return {
    size,
    readSync: (position, length) => readAllSync(fd, position, length),
    read: async (position, length) => {
      const out = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const n = await readPart(fd, out, got, Math.min(MAX_READ, length - got), position + got);
        if (n === 0) break;
        got += n;
      }
      return got === length ? out : out.subarray(0, got);
    },
  };
}

/**
 * A source over a file path: each read opens the file, reads, and closes it, so nothing stays
 * open between tensor reads (and nothing needs closing). A file whose size changed since it
 * was opened is refused rather than misread.
 */
export function pathSource(path: string): ByteSource {
  const size = statSync(path).size;
  const changed = () => new CheckpointError(`${path}: the file changed size since the checkpoint was opened`);
  return {
    size,
    name: path,
    readSync: (position, length) => {
      const fd = openSync(path, "r");
      try {
        if (fstatSync(fd).size !== size) throw changed();
        return readAllSync(fd, position, length);
      } finally {
        closeSync(fd);
      }
    },
    read: async (position, length) => {
      const fh = await open(path, "r");
      try {
        if ((await fh.stat()).size !== size) throw changed();
        const out = new Uint8Array(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await fh.read(out, got, Math.min(MAX_READ, length - got), position + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === length ? out : out.subarray(0, got);
      } finally {
        await fh.close();
      }
    },
  };
}
