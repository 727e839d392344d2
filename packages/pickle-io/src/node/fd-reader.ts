import { readSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { PickleSplitter } from "../stream/pickle-splitter.js";

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** `readSync` that waits out EAGAIN (a non-blocking pipe or tty with no data yet). */
function readSyncRetry(fd: number, buf: Uint8Array, at: number, n: number): number {
  for (;;) {
    try {
      return readSync(fd, buf, at, n, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(sleeper, 0, 0, 2);
    }
  }
}

/**
 * Reads the next pickle from a file descriptor at its current position, fetching only bytes
 * the pickle is known to need (a frame at a time for protocol 4+, an opcode at a time before
 * that), so the descriptor is left exactly at the start of the next pickle, on files, pipes
 * and sockets alike. Returns `null` when the descriptor is at its end, or a partial pickle
 * when it ends inside one.
 * @throws the `readSync` error (EBADF, EISDIR, ...).
 */
export function readPickleFromFd(fd: number): Uint8Array | null {
  const sp = new PickleSplitter(256);
  const q = sp.queue;
  for (;;) {
    const bytes = sp.next();
    if (bytes !== undefined) return bytes;
    const want = sp.wanted();
    const at = q.reserve(want);
    const n = readSyncRetry(fd, q.buffer, at, want);
    if (n === 0) return sp.finish();
    q.commit(n);
  }
}

/**
 * `readPickleFromFd` for a `FileHandle`: exact reads at its current position, so the handle
 * is left at the start of the next pickle.
 */
export async function readPickleFromHandle(handle: FileHandle): Promise<Uint8Array | null> {
  const sp = new PickleSplitter(256);
  const q = sp.queue;
  for (;;) {
    const bytes = sp.next();
    if (bytes !== undefined) return bytes;
    const want = sp.wanted();
    const at = q.reserve(want);
    const { bytesRead } = await handle.read(q.buffer, at, want, null);
    if (bytesRead === 0) return sp.finish();
    q.commit(bytesRead);
  }
}

/**
 * Every pickle of a file descriptor this code owns, read in large chunks (the position is
 * not kept exact: the whole file is consumed). Yields the bytes of each pickle, then the
 * partial tail if the file ends inside one.
 */
export function* readPicklesBuffered(fd: number): Generator<Uint8Array, void> {
  const sp = new PickleSplitter(64 * 1024);
  const q = sp.queue;
  for (;;) {
    for (let p = sp.next(); p !== undefined; p = sp.next()) yield p;
    const want = Math.max(64 * 1024, sp.wanted());
    const at = q.reserve(want);
    const n = readSyncRetry(fd, q.buffer, at, want);
    if (n === 0) {
      const tail = sp.finish();
      if (tail !== null) yield tail;
      return;
    }
    q.commit(n);
  }
}
