import type { PickleSink } from "@x/pickle-core";
import { Pickler, type PicklerOptions } from "./pickler.js";

/** Output buffers up to this size are kept for the next `dumps` (bounded retained memory). */
const MAX_SCRATCH = 8 * 1024 * 1024;
let scratch: Uint8Array | undefined;

/**
 * Python's `pickle.dumps`: the pickle of `obj` as CPython 3.11's C pickler writes it.
 * @throws PicklingError for a value that cannot be pickled (function, symbol, unregistered
 *   class instance...), naming the path to it.
 * @throws PyValueError for a protocol above 5, or `bufferCallback` below protocol 5.
 */
export function dumps(obj: unknown, options: Readonly<PicklerOptions> = {}): Uint8Array {
  // Reuse one grown buffer across calls (a reducer calling dumps re-entrantly gets a fresh one).
  const buffer = scratch;
  scratch = undefined;
  const p = new Pickler(null, options, buffer);
  try {
    p.dump(obj);
    return p.takeBytes();
  } finally {
    const grown = p.buffer;
    scratch = grown.length <= MAX_SCRATCH ? grown : buffer;
  }
}

/**
 * Python's `pickle.dump`: writes the pickle of `obj` to `sink` (anything with `write(bytes)`),
 * a frame at a time at protocol 4+, large payloads straight through.
 * @throws PicklingError / PyValueError as `dumps`; whatever `sink.write` throws.
 */
export function dump(obj: unknown, sink: PickleSink, options: Readonly<PicklerOptions> = {}): void {
  new Pickler(sink, options).dump(obj);
}
