import { fstatSync, readFileSync, readSync } from "node:fs";
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
 * The current offset of `fd` in its open file, or undefined where it cannot be known. Node
 * has no `lseek`; Linux shows the offset in /proc/self/fdinfo.
 */
function filePosition(fd: number): number | undefined {
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const m = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "latin1"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** First look-ahead read of the positional path; it doubles while one pickle needs more. */
const LOOKAHEAD = 8 * 1024;

/**
 * Reads the next pickle from a file descriptor at its current position and leaves the
 * descriptor exactly at the start of the next pickle. For a regular file whose offset is
 * known, it reads ahead with positional reads (which do not move the offset), finds where
 * the pickle ends, then moves the offset past it; elsewhere (pipes, sockets, platforms
 * without /proc) it fetches only bytes the pickle is known to need: a frame at a time at
 * protocol 4+, an opcode at a time before that. Returns `null` when the descriptor is at its
 * end, or a partial pickle when it ends inside one.
 * @throws the `readSync` error (EBADF, EISDIR, ...).
 */
export function readPickleFromFd(fd: number): Uint8Array | null {
  const pos = filePosition(fd);
  return pos === undefined ? readExact(fd) : readAhead(fd, pos);
}

function readExact(fd: number): Uint8Array | null {
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

function readAhead(fd: number, start: number): Uint8Array | null {
  const sp = new PickleSplitter(LOOKAHEAD);
  const q = sp.queue;
  let read = 0;
  let chunk = LOOKAHEAD;
  for (;;) {
    let bytes: Uint8Array | null | undefined = sp.next();
    if (bytes === undefined) {
      const want = Math.max(chunk, sp.wanted());
      const at = q.reserve(want);
      const n = readSync(fd, q.buffer, at, want, start + read);
      if (n > 0) {
        q.commit(n);
        read += n;
        chunk = Math.min(chunk * 2, 1 << 20);
        continue;
      }
      bytes = sp.finish();
      if (bytes === null) return null;
    }
    skip(fd, bytes.length);
    return bytes;
  }
}

/** Moves `fd`'s offset forward by `n` bytes (reading them: Node has no lseek). */
function skip(fd: number, n: number): void {
  const scratch = new Uint8Array(Math.min(n, 64 * 1024));
  let left = n;
  while (left > 0) {
    const r = readSync(fd, scratch, 0, Math.min(left, scratch.length), null);
    if (r === 0) break;
    left -= r;
  }
}

/**
 * `readPickleFromFd` for a `FileHandle`: positional look-ahead on regular files (Linux), exact
 * reads elsewhere; the handle is left at the start of the next pickle.
 */
export async function readPickleFromHandle(handle: FileHandle): Promise<Uint8Array | null> {
  const start = filePosition(handle.fd);
  const sp = new PickleSplitter(start === undefined ? 256 : LOOKAHEAD);
  const q = sp.queue;
  let read = 0;
  let chunk = LOOKAHEAD;
  for (;;) {
    let bytes: Uint8Array | null | undefined = sp.next();
    if (bytes === undefined) {
      const want = start === undefined ? sp.wanted() : Math.max(chunk, sp.wanted());
      const at = q.reserve(want);
      const position = start === undefined ? null : start + read;
      const { bytesRead } = await handle.read(q.buffer, at, want, position);
      if (bytesRead > 0) {
        q.commit(bytesRead);
        read += bytesRead;
        chunk = Math.min(chunk * 2, 1 << 20);
        continue;
      }
      bytes = sp.finish();
      if (bytes === null) return null;
    }
    if (start !== undefined) {
      // Move the handle's offset past the pickle (positional reads left it where it was).
      const scratch = new Uint8Array(Math.min(bytes.length, 64 * 1024));
      for (let left = bytes.length; left > 0; ) {
        const { bytesRead } = await handle.read(scratch, 0, Math.min(left, scratch.length), null);
        if (bytesRead === 0) break;
        left -= bytesRead;
      }
    }
    return bytes;
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
