import type { PickleBuffer } from "@x/pickle-core";
import type { ExtensionRegistry } from "../extension-registry.js";
import type { ClassRegistry } from "../registry.js";

/** Options of `Pickler`, `dump` and `dumps`. */
export interface PicklerOptions {
  /** Protocol 0..5; negative means `HIGHEST_PROTOCOL`. Default `DEFAULT_PROTOCOL` (5). */
  protocol?: number;
  /** Protocols 0-2: write Python 3 module names as Python 2 knows them. Default true. */
  fixImports?: boolean;
  /**
   * Protocol 5: called with each `PickleBuffer`; a falsy result (e.g. `undefined` from
   * `buffers.push`-like callbacks that return nothing) sends the buffer out-of-band, a truthy
   * one writes it in-band. Default: none (every buffer in-band).
   */
  bufferCallback?: ((buffer: PickleBuffer) => unknown) | null;
  /**
   * How JS values map to Python types. `"natural"` (default): integral numbers are ints, other
   * numbers floats, Map/plain objects dicts, Set sets. `"faithful"`: every number is a float,
   * every bigint an int (the model classes of `@x/pyobject` say the rest).
   */
  model?: "natural" | "faithful";
  /** Class registrations for JS class instances. Default `defaultRegistry`. */
  registry?: ClassRegistry;
  /** copyreg's extension codes for EXT1/EXT2/EXT4. Default `defaultExtensionRegistry`. */
  extensionRegistry?: ExtensionRegistry;
  /**
   * Protocols 0-1: most digits of an int written as decimal text, as
   * `sys.set_int_max_str_digits` (0 = no limit, else at least 640). Default 4300 (CPython's).
   */
  intMaxStrDigits?: number;
}
