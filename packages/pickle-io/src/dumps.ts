import {
  DEFAULT_INT_MAX_STR_DIGITS,
  DEFAULT_PROTOCOL,
  HIGHEST_PROTOCOL,
  type PickleSink,
} from "@x/pickle-core";
import { defaultExtensionRegistry } from "./extension-registry.js";
import { Pickler, type PicklerOptions } from "./pickler.js";
import { defaultRegistry } from "./registry.js";

/**
 * An idle pickler keeps up to this much scratch; past it the buffers are dropped, so a large
 * `dumps` leaves only its result behind (the peak while dumping stays near twice the output).
 */
const KEPT_SCRATCH = 1024 * 1024;
/**
 * The last `dumps` pickler, idle, memo cleared: the next call with the same options reuses it
 * (its memo tables and buffers), so a small `dumps` allocates little more than its result.
 */
let idle: Pickler | undefined;

/** `p` was made with options equal to `o` (as the constructor normalizes them). */
function sameOptions(p: Pickler, o: Readonly<PicklerOptions>): boolean {
  let protocol = o.protocol ?? DEFAULT_PROTOCOL;
  if (protocol < 0) protocol = HIGHEST_PROTOCOL;
  return (
    p.protocol === protocol &&
    (o.bufferCallback ?? null) === null &&
    p.bufferCallback === null &&
    p.faithful === (o.model === "faithful") &&
    p.fixImports === ((o.fixImports ?? true) && protocol < 3) &&
    p.registry === (o.registry ?? defaultRegistry) &&
    p.extensionRegistry === (o.extensionRegistry ?? defaultExtensionRegistry) &&
    p.intMaxStrDigits === (o.intMaxStrDigits ?? DEFAULT_INT_MAX_STR_DIGITS)
  );
}

/**
 * Python's `pickle.dumps`: the pickle of `obj` as CPython 3.11's C pickler writes it.
 * @throws PicklingError for a value that cannot be pickled (function, symbol, unregistered
 *   class instance...), naming the path to it.
 * @throws PyValueError for a protocol above 5, or `bufferCallback` below protocol 5.
 */
export function dumps(obj: unknown, options: Readonly<PicklerOptions> = {}): Uint8Array {
  // Reuse the idle pickler or at least its buffer across calls (a reducer calling dumps
  // re-entrantly takes neither, so it gets fresh ones).
  let p = idle;
  idle = undefined;
  if (p === undefined || !sameOptions(p, options)) p = new Pickler(null, options, p?.buffer);
  try {
    p.dump(obj);
    return p.takeBytes();
  } finally {
    p.clearMemo();
    if (p.scratchBytes > KEPT_SCRATCH) p.releaseScratch();
    idle = p;
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
