import { brandOf, type PyDict, type PyTuple } from "@x/pyobject";
import type { EncoderConfig } from "./config.js";
import { NEEDS_ASCII_ESCAPE, NEEDS_ESCAPE } from "./escape.js";
import { sortItems, sortStrKeys } from "./key-order.js";
import { floatText, keyText } from "./scalars.js";
import { StringSink } from "./text-sink.js";

/**
 * The fast path of `encode()`: a recursive string builder for data made of JSON's own types
 * (str, numbers, bool, None, list/tuple, dict as plain object, Map or PyDict). It gives up
 * (throws `BAIL`) at anything else: a value that needs `default()`, or nesting deeper than
 * FAST_MAX_DEPTH, which is also how a circular reference is noticed without keeping markers.
 * The caller then encodes with the explicit-stack `iterencode`, which handles everything with
 * CPython's semantics. Errors thrown here (bad keys, NaN with allowNan false, unorderable keys)
 * are the same errors, in the same order, as CPython's, so they are final.
 */

/** Raised internally to hand over to the general path; never reaches users. */
export const BAIL: unique symbol = Symbol("bail");

/**
 * Deepest nesting the recursive path takes: CPython's own limit is about 1000, and 1000 JS
 * frames of this size are far from Node's stack limit. Deeper data goes to the general path.
 */
export const FAST_MAX_DEPTH = 1000;

/** Bounds of the per-encoder cache of escaped plain-object keys (with the key separator). */
const KEY_CACHE_MAX = 4096;
const KEY_CACHE_MAX_LENGTH = 64;

/**
 * Strings up to this long are escaped in one pass into an open byte run; longer plain ones are
 * cheaper as a rope node than copied unit by unit and decoded.
 */
const ONE_PASS_MAX = 256;

/** True when Object.prototype has gained an enumerable property (for...in would see it). */
function hasInheritedEnumerables(): boolean {
  for (const _ in EMPTY) return true;
  return false;
}
const EMPTY = {};

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export class OneShotEncoder {
  private readonly out: StringSink;
  /** Set while encoding: a re-entrant call (a getter calling dumps) gets its own encoder. */
  private busy = false;
  private readonly needsEscape: RegExp;
  /** Whether plain objects may be walked with `for...in` (see objectForIn). */
  private forIn = false;
  /** Cache of escaped keys with the key separator: repeated record keys skip the regex test. */
  private readonly keys = new Map<string, string>();
  /** Nesting the recursive path takes before handing over (maxDepth errors come from there). */
  private readonly maxDepth: number;
  /** ensureAscii with an all-ASCII output: short strings are escaped in one pass, no regex first. */
  private readonly asciiStrings: boolean;

  constructor(
    private readonly cfg: EncoderConfig,
    /** C encoder (no indent) vs Python encoder messages for allowNan. */
    private readonly cStyle: boolean,
  ) {
    this.maxDepth = Math.min(FAST_MAX_DEPTH, cfg.maxDepth);
    this.needsEscape = cfg.ensureAscii ? NEEDS_ASCII_ESCAPE : NEEDS_ESCAPE;
    const layout = cfg.itemSeparator + cfg.keySeparator + (cfg.indentUnit ?? "");
    const ascii = cfg.ensureAscii && !/[^\x00-\x7f]/.test(layout);
    this.out = new StringSink(ascii);
    this.asciiStrings = ascii;
  }

  /** Encodes `o`; throws BAIL when the general path must take over. */
  encode(o: unknown): string {
    if (this.busy) return new OneShotEncoder(this.cfg, this.cStyle).encode(o);
    this.busy = true;
    this.forIn = !hasInheritedEnumerables();
    try {
      this.value(o, 0);
      return this.out.finish();
    } catch (e) {
      this.out.reset();
      throw e;
    } finally {
      this.busy = false;
    }
  }

  private value(v: unknown, depth: number): void {
    switch (typeof v) {
      case "string":
        // Into an open byte run: one scan that copies and escapes as it goes, rather than a regex
        // test and then a copy or the escaping pass (strings dumps 0.89x, records 0.9x). Not
        // opening a run for it: plain strings outside one are cheaper as rope nodes than copied
        // unit by unit (all-string DICT_GROUP 1.5x that way).
        if (this.asciiStrings && v.length <= ONE_PASS_MAX && this.out.inByteRun())
          this.out.addEscapedAscii(v);
        else if (!this.needsEscape.test(v)) this.out.addQuoted(v);
        else if (this.cfg.ensureAscii) this.out.addEscapedAscii(v);
        else this.out.add(this.cfg.escape(v));
        return;
      case "number":
        // An int (natural model) as its digits, written straight into the byte run.
        if (!this.cfg.faithful && Number.isInteger(v) && (v !== 0 || 1 / v > 0)) {
          if (v <= 9007199254740992 && v >= -9007199254740992) this.out.addSafeInt(v);
          else this.out.addExactInt(v);
        } else if (!this.out.addShortDecimal(v)) this.out.add(floatText(v, this.cfg, this.cStyle));
        return;
      case "boolean":
        this.out.add(v ? "true" : "false");
        return;
      case "bigint":
        this.out.add(v.toString());
        return;
      case "undefined":
        this.out.add("null");
        return;
      case "object": {
        if (v === null) {
          this.out.add("null");
          return;
        }
        if (Array.isArray(v)) {
          this.list(v, depth);
          return;
        }
        if (isPlainObject(v)) {
          this.object(v as Record<string, unknown>, depth);
          return;
        }
        const brand = brandOf(v);
        if (brand === "tuple") {
          this.list((v as PyTuple).items, depth);
          return;
        }
        if (brand === "dict") {
          this.items(Array.from((v as PyDict).entries()), depth);
          return;
        }
        if (brand === undefined) {
          if (v instanceof Map) {
            this.items(Array.from(v.entries()), depth);
            return;
          }
          if (this.cfg.decodeBytes !== null && v instanceof Uint8Array) {
            this.out.add(this.cfg.escape(this.cfg.decodeBytes(v)));
            return;
          }
        }
      }
    }
    throw BAIL;
  }

  private list(a: readonly unknown[], depth: number): void {
    const n = a.length;
    if (n === 0) {
      this.out.add("[]");
      return;
    }
    if (depth >= this.maxDepth) throw BAIL;
    const cfg = this.cfg;
    let sep = cfg.itemSeparator;
    if (cfg.indentUnit === null) {
      this.out.add("[");
    } else {
      const nl = cfg.newline(depth + 1);
      this.out.add(`[${nl}`);
      sep += nl;
    }
    this.value(a[0], depth + 1);
    for (let i = 1; i < n; i++) {
      this.out.add(sep);
      this.value(a[i], depth + 1);
    }
    this.out.add(cfg.indentUnit === null ? "]" : `${cfg.newline(depth)}]`);
  }

  private keyPrefix(k: string): string {
    let t = this.keys.get(k);
    if (t === undefined) {
      // Joined, not `+`: a flat string, which the byte run copies faster than a rope.
      t = [this.cfg.escape(k), this.cfg.keySeparator].join("");
      if (k.length <= KEY_CACHE_MAX_LENGTH) {
        if (this.keys.size >= KEY_CACHE_MAX) this.keys.clear();
        this.keys.set(k, t);
      }
    }
    return t;
  }

  private object(o: Record<string, unknown>, depth: number): void {
    if (this.forIn && !this.cfg.sortKeys) {
      this.objectForIn(o, depth);
      return;
    }
    const keys = Object.keys(o);
    const n = keys.length;
    if (n === 0) {
      this.out.add("{}");
      return;
    }
    if (depth >= this.maxDepth) throw BAIL;
    const cfg = this.cfg;
    let sep = cfg.itemSeparator;
    if (cfg.indentUnit === null) {
      this.out.add("{");
    } else {
      const nl = cfg.newline(depth + 1);
      this.out.add(`{${nl}`);
      sep += nl;
    }
    if (cfg.sortKeys) sortStrKeys(keys);
    for (let i = 0; i < n; i++) {
      const k = keys[i] as string;
      if (i > 0) this.out.add(sep);
      this.out.add(this.keyPrefix(k));
      this.value(o[k], depth + 1);
    }
    this.out.add(cfg.indentUnit === null ? "}" : `${cfg.newline(depth)}}`);
  }

  /**
   * Same output as `object()` without allocating `Object.keys` per object: `for...in` yields
   * the own keys in the same order when no enumerable property sits on Object.prototype
   * (checked at each encode call; null-prototype objects inherit nothing).
   */
  private objectForIn(o: Record<string, unknown>, depth: number): void {
    const cfg = this.cfg;
    let sep = "";
    let first = true;
    for (const k in o) {
      if (first) {
        first = false;
        if (depth >= this.maxDepth) throw BAIL;
        sep = cfg.itemSeparator;
        if (cfg.indentUnit === null) {
          this.out.add("{");
        } else {
          const nl = cfg.newline(depth + 1);
          this.out.add(`{${nl}`);
          sep += nl;
        }
      } else {
        this.out.add(sep);
      }
      this.out.add(this.keyPrefix(k));
      this.value(o[k], depth + 1);
    }
    if (first) this.out.add("{}");
    else this.out.add(cfg.indentUnit === null ? "}" : `${cfg.newline(depth)}}`);
  }

  /** A Map or PyDict: keys may be any type and are coerced (or skipped) as Python does. */
  private items(items: [unknown, unknown][], depth: number): void {
    const n = items.length;
    if (n === 0) {
      this.out.add("{}");
      return;
    }
    if (depth >= this.maxDepth) throw BAIL;
    const cfg = this.cfg;
    let sep = cfg.itemSeparator;
    if (cfg.indentUnit === null) {
      this.out.add("{");
    } else {
      const nl = cfg.newline(depth + 1);
      this.out.add(`{${nl}`);
      sep += nl;
    }
    if (cfg.decodeBytes !== null) decodeByteKeys(items, cfg);
    if (cfg.sortKeys) sortItems(items, cfg.faithful);
    let first = true;
    for (let i = 0; i < n; i++) {
      const item = items[i] as [unknown, unknown];
      const k = keyText(item[0], cfg, this.cStyle);
      if (k === undefined) continue;
      if (first) first = false;
      else this.out.add(sep);
      this.out.add(cfg.escape(k) + cfg.keySeparator);
      this.value(item[1], depth + 1);
    }
    this.out.add(cfg.indentUnit === null ? "}" : `${cfg.newline(depth)}}`);
  }
}

/** With `encoding`, bytes keys become str before sorting (Python 2 compared them as text). */
export function decodeByteKeys(items: [unknown, unknown][], cfg: EncoderConfig): void {
  const decode = cfg.decodeBytes;
  if (decode === null) return;
  for (const item of items) if (item[0] instanceof Uint8Array) item[0] = decode(item[0]);
}
