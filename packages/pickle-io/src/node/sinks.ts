import { writeSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import type { Writable } from "node:stream";

/**
 * Writes all of `bytes` to a file descriptor (`writeSync` may write less than asked).
 * @throws the `writeSync` error (EBADF, ENOSPC, EPIPE, ...).
 */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Writes all of `bytes` at a FileHandle's current position. */
export async function writeAllHandle(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, off, bytes.length - off);
    off += bytesWritten;
  }
}

/**
 * Writes `bytes` to a Node Writable and resolves once it is flushed; rejects with the
 * stream's error (a failed write never passes silently).
 */
export function writeToWritable(w: Writable, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (w.destroyed || w.writableEnded) {
      reject(w.errored ?? new Error("write after the stream was ended or destroyed"));
      return;
    }
    const onError = (e: unknown): void => reject(e);
    w.once("error", onError);
    w.write(bytes, (err) => {
      w.off("error", onError);
      if (err) reject(err);
      else resolve();
    });
  });
}
