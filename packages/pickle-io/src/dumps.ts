import type { PickleSink } from "@x/pickle-core";
import { Pickler, type PicklerOptions } from "./pickler.js";

/**
 * Python's `pickle.dumps`: the pickle of `obj` as CPython 3.11's C pickler writes it.
 * @throws PicklingError for a value that cannot be pickled (function, symbol, unregistered
 *   class instance...), naming the path to it.
 * @throws PyValueError for a protocol above 5, or `bufferCallback` below protocol 5.
 */
export function dumps(obj: unknown, options: Readonly<PicklerOptions> = {}): Uint8Array {
  const p = new Pickler(null, options);
  p.dump(obj);
  return p.takeBytes();
}

/**
 * Python's `pickle.dump`: writes the pickle of `obj` to `sink` (anything with `write(bytes)`),
 * a frame at a time at protocol 4+, large payloads straight through.
 * @throws PicklingError / PyValueError as `dumps`; whatever `sink.write` throws.
 */
export function dump(obj: unknown, sink: PickleSink, options: Readonly<PicklerOptions> = {}): void {
  new Pickler(sink, options).dump(obj);
}
