/**
 * Reading a pickle whose length is not known in advance (the legacy format writes pickle after
 * pickle, then raw storages): the unpickler runs over a window of the file; when it asks for
 * bytes past the window, the window grows (×4) and the pickle is read again. Returns where the
 * pickle ended, so the next read starts there.
 */
import { PickleEOFError, type PickleSource } from "@x/pickle-io";
import { CheckpointError } from "./errors.js";
import { type Parse, readAt } from "./source.js";

const FIRST_WINDOW = 64 * 1024;
const MORE = Symbol("more");

class WindowSource implements PickleSource {
  consumed = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly atEnd: boolean,
  ) {}
  read(n: number): Uint8Array {
    const from = this.consumed;
    if (from + n > this.bytes.length && !this.atEnd) throw MORE;
    const to = Math.min(this.bytes.length, from + n);
    this.consumed = to;
    return this.bytes.subarray(from, to);
  }
}

/** One pickle read from the file. */
export interface PickleAt<T> {
  readonly value: T;
  /** The pickle's bytes. */
  readonly bytes: Uint8Array;
  /** Offset just past its STOP opcode. */
  readonly end: number;
}

/**
 * Unpickles the pickle starting at `position` with the unpickler `make` builds over a source.
 * @throws CheckpointError when the file ends before the pickle does; the unpickler's errors.
 */
export function* unpickleAt<T>(
  source: { readonly size: number },
  position: number,
  what: string,
  make: (src: PickleSource) => { load(): unknown },
): Parse<PickleAt<T>> {
  if (position >= source.size) throw new CheckpointError(`${what}: the file ends before it (at ${position})`);
  let window = Math.min(source.size - position, FIRST_WINDOW);
  for (;;) {
    const bytes = yield* readAt(source, position, window, what);
    const atEnd = position + window === source.size;
    const src = new WindowSource(bytes, atEnd);
    try {
      const value = make(src).load() as T;
      return { value, bytes: bytes.subarray(0, src.consumed), end: position + src.consumed };
    } catch (e) {
      if (e !== MORE) {
        if (PickleEOFError.isInstance(e))
          throw new CheckpointError(`${what}: truncated pickle at ${position}`, { cause: e });
        throw e;
      }
      window = Math.min(source.size - position, window * 4);
    }
  }
}
