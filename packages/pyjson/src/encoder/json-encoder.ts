import { PyTypeError } from "@x/pyobject";
import { EncoderConfig, type JSONEncoderOptions } from "./config.js";
import { iterencodeValue } from "./iterencode.js";
import { BAIL, OneShotEncoder } from "./one-shot.js";
import { typeName } from "./scalars.js";

/** Each encoder's resolved options, for `iterencodeJoined` (kept off the public type). */
const configs = new WeakMap<JSONEncoder, EncoderConfig>();

/**
 * Python's `json.JSONEncoder`. Options are resolved once in the constructor. Subclass it and
 * override `default(o)` to serialize other types (return a serializable value, or call
 * `super.default(o)` to raise), and pass the subclass as `cls` to `dumps`/`dump`.
 *
 * Natural JS values map as `dumps` documents (integral number -> int, other number -> float,
 * bigint -> int, Array/PyTuple -> array, plain object/Map/PyDict -> object, null/undefined ->
 * null); Set, Uint8Array (unless `encoding`), functions and class instances go to `default`.
 */
export class JSONEncoder {
  readonly skipkeys: boolean;
  readonly ensureAscii: boolean;
  readonly checkCircular: boolean;
  readonly allowNan: boolean;
  readonly sortKeys: boolean;
  readonly indent: number | string | null;
  readonly itemSeparator: string;
  readonly keySeparator: string;
  readonly encoding: string | null;
  readonly model: "natural" | "faithful";
  readonly maxDepth: number;
  private readonly cfg: EncoderConfig;
  private oneShot: OneShotEncoder | undefined;

  /**
   * @throws PyTypeError for a non-integral numeric `indent` or bad `separators`.
   * @throws PyError `LookupError` for an unknown `encoding`.
   */
  constructor(options: Readonly<JSONEncoderOptions> = {}) {
    const cfg = new EncoderConfig(options);
    this.cfg = cfg;
    configs.set(this, cfg);
    this.skipkeys = cfg.skipkeys;
    this.ensureAscii = cfg.ensureAscii;
    this.checkCircular = cfg.checkCircular;
    this.allowNan = cfg.allowNan;
    this.sortKeys = cfg.sortKeys;
    this.indent = options.indent ?? null;
    this.itemSeparator = cfg.itemSeparator;
    this.keySeparator = cfg.keySeparator;
    this.encoding = options.encoding ?? null;
    this.model = cfg.faithful ? "faithful" : "natural";
    this.maxDepth = cfg.maxDepth;
    const fn = options.default;
    if (fn != null) this.default = fn;
  }

  /**
   * Called for a value with no JSON form; returns a serializable replacement. Override it in
   * a subclass (or pass the `default` option). This base version raises.
   * @throws PyTypeError "Object of type X is not JSON serializable".
   */
  default(o: unknown): unknown {
    throw new PyTypeError(`Object of type ${typeName(o, this.cfg.faithful)} is not JSON serializable`);
  }

  /**
   * The JSON text of `o`, as Python's `JSONEncoder.encode`.
   * @throws PyTypeError for values with no JSON form, bad keys, unorderable keys with sortKeys.
   * @throws PyValueError for circular references and, with allowNan false, NaN/Infinity.
   * @throws PyError `RecursionError` past `maxDepth`.
   */
  encode(o: unknown): string {
    if (typeof o === "string") return this.cfg.escape(o);
    // CPython takes its C encoder here when indent is None; that only changes one message.
    const cStyle = this.cfg.indentUnit === null;
    if (this.oneShot === undefined) this.oneShot = new OneShotEncoder(this.cfg, cStyle);
    try {
      return this.oneShot.encode(o);
    } catch (e) {
      if (e !== BAIL) throw e;
    }
    let s = "";
    for (const chunk of iterencodeValue(o, this.cfg, (x) => this.default(x), cStyle)) s += chunk;
    return s;
  }

  /**
   * Encodes `o` chunk by chunk, as Python's `JSONEncoder.iterencode`: the same chunks as
   * CPython's pure-Python encoder, for streaming large documents.
   * @throws the errors of `encode`, when the chunk where they occur is reached.
   */
  iterencode(o: unknown, _oneShot = false): Generator<string, void, undefined> {
    return iterencodeValue(o, this.cfg, (x) => this.default(x), false);
  }
}

/**
 * `enc.iterencode(o)` with chunks joined to at least `minChunk` UTF-16 units, for `dump`.
 * A subclass that overrides `iterencode` is honored (its chunks are used as they come).
 */
export function iterencodeJoined(enc: JSONEncoder, o: unknown, minChunk: number): Iterable<string> {
  if (enc.iterencode !== JSONEncoder.prototype.iterencode || minChunk <= 0) return enc.iterencode(o);
  return iterencodeValue(o, configs.get(enc) as EncoderConfig, (x) => enc.default(x), false, minChunk);
}

/** A `JSONEncoder` subclass, for the `cls` option. */
export type JSONEncoderClass = new (options: Readonly<JSONEncoderOptions>) => JSONEncoder;
