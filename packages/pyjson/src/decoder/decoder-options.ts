import type { PyDict } from "@x/pyobject";

/** What a JSON object becomes before hooks: a plain object (natural) or a `PyDict` (faithful). */
export type DecodedObject = Record<string, unknown> | PyDict<string, unknown>;

/** The names `parseConstant` receives. */
export type JSONConstantName = "NaN" | "Infinity" | "-Infinity";

/**
 * Options of Python's `json.loads` / `JSONDecoder`, camelCase. Every field is optional; the
 * defaults are Python's.
 */
export interface JSONDecoderOptions {
  /**
   * Python's `object_hook`: called with every decoded object (a plain object in the natural
   * model, a `PyDict` in the faithful one); its result replaces the object. Default none.
   */
  objectHook?(obj: DecodedObject): unknown;
  /**
   * Python's `object_pairs_hook`: called with the object's `[key, value]` pairs in document
   * order, duplicates included; its result replaces the object. Wins over `objectHook`.
   */
  objectPairsHook?(pairs: Array<[string, unknown]>): unknown;
  /** Python's `parse_float`: called with the text of every float (`"1.5"`, `"1e3"`). */
  parseFloat?(text: string): unknown;
  /** Python's `parse_int`: called with the text of every int (`"-12"`). */
  parseInt?(text: string): unknown;
  /** Python's `parse_constant`: called with `"NaN"`, `"Infinity"` or `"-Infinity"`. */
  parseConstant?(name: JSONConstantName): unknown;
  /** Python's `strict`: when true (default) control characters U+0000..U+001F in strings are errors. */
  strict?: boolean;
  /**
   * Result model. `"natural"` (default): ints are numbers (bigint beyond 2**53-1), objects plain
   * objects. `"faithful"`: ints are always bigint, floats numbers, objects `PyDict`.
   */
  model?: "natural" | "faithful";
  /**
   * CPython's `sys.get_int_max_str_digits()`: an int literal with more digits raises Python's
   * ValueError (parsing long digit strings is quadratic). Default 4300; 0 means no limit.
   * Not applied when `parseInt` is given (it receives the text).
   */
  intMaxStrDigits?: number;
}

/** `JSONDecoderOptions` plus `cls`, as `json.loads(s, cls=..., **kw)` takes them. */
export interface LoadsOptions extends JSONDecoderOptions {
  /** Python's `cls`: a `JSONDecoder` subclass constructed with the other options. */
  cls?: new (
    options?: JSONDecoderOptions,
  ) => { decode(s: string): unknown };
}
