import { brandOf, type PyDict, type PyTuple } from "@x/pyobject";
import type { EncoderConfig } from "./config.js";
import { sortItems, sortStrKeys } from "./key-order.js";
import { decodeByteKeys } from "./one-shot.js";
import { circularError, keyText, numberText, recursionError } from "./scalars.js";

/**
 * CPython's `_make_iterencode` as a flat machine: an explicit stack of frames instead of
 * nested generators, so nesting depth costs heap, not JS stack. It yields the same chunks,
 * in the same order, as CPython's pure-Python encoder (list items as `buf + value`, dict
 * parts as separate chunks), and raises the same errors at the same points.
 */

const LIST = 0;
const DICT = 1;
const DEFAULT = 2;

interface ListFrame {
  readonly t: typeof LIST;
  readonly items: readonly unknown[];
  i: number;
  /** Chunk prefix of the first item: `[` plus the newline indent. */
  readonly open: string;
  readonly sep: string;
  readonly close: string;
  readonly marker: object | null;
}

interface DictFrame {
  readonly t: typeof DICT;
  /** Plain-object keys (values read when reached) or `[key, value]` items. */
  readonly keys: readonly string[] | null;
  readonly obj: Record<string, unknown> | null;
  readonly items: readonly [unknown, unknown][] | null;
  i: number;
  first: boolean;
  readonly sep: string;
  readonly close: string;
  readonly marker: object | null;
}

interface DefaultFrame {
  readonly t: typeof DEFAULT;
  readonly marker: object | null;
}

type Frame = ListFrame | DictFrame | DefaultFrame;

/** What a value is to the encoder: its JSON text, or one of the container markers. */
const IS_LIST = 1;
const IS_DICT = 2;
const IS_OTHER = 3;

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/**
 * Runs the encoder over `o`. `defaultFn` is the encoder's `default` (called with the encoder
 * as `this`); `cStyle` selects the C encoder's allowNan message.
 */
export function* iterencodeValue(
  o: unknown,
  cfg: EncoderConfig,
  defaultFn: (o: unknown) => unknown,
  cStyle: boolean,
  minChunk = 0,
): Generator<string, void, undefined> {
  // Chunks are CPython's when minChunk is 0; otherwise they are joined until that length,
  // which saves a generator resumption per token (dump's default). Text gathered before an
  // error is still yielded first, as CPython's dump has written it.
  let acc = "";
  try {
    yield* machine();
  } catch (e) {
    if (acc.length > 0) {
      const rest = acc;
      acc = "";
      yield rest;
    }
    throw e;
  }
  function* machine(): Generator<string, void, undefined> {
    const markers: Set<object> | null = cfg.checkCircular ? new Set() : null;
    const stack: Frame[] = [];
    const indented = cfg.indentUnit !== null;
    let level = 0; // Python's _current_indent_level
    let cur: unknown = o;
    let pending = true; // `cur` must be encoded next
    /** Text of a scalar (or of bytes under `encoding`), else the container kind. */
    const scalar = (v: unknown): string | number => {
      switch (typeof v) {
        case "string":
          return cfg.escape(v);
        case "number":
          return numberText(v, cfg, cStyle);
        case "boolean":
          return v ? "true" : "false";
        case "bigint":
          return v.toString();
        case "undefined":
          return "null";
        case "object": {
          if (v === null) return "null";
          if (Array.isArray(v)) return IS_LIST;
          if (isPlainObject(v)) return IS_DICT;
          const b = brandOf(v);
          if (b === "tuple") return IS_LIST;
          if (b === "dict") return IS_DICT;
          if (b === undefined) {
            if (v instanceof Map) return IS_DICT;
            if (cfg.decodeBytes !== null && v instanceof Uint8Array) return cfg.escape(cfg.decodeBytes(v));
          }
          return IS_OTHER;
        }
      }
      return IS_OTHER;
    };
    const enter = (v: object): object | null => {
      if (stack.length >= cfg.maxDepth) throw recursionError();
      if (markers === null) return null;
      if (markers.has(v)) throw circularError();
      markers.add(v);
      return v;
    };

    for (;;) {
      if (pending) {
        pending = false;
        const kind = scalar(cur);
        if (typeof kind === "string") {
          acc += kind;
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
        } else if (kind === IS_LIST) {
          const items = Array.isArray(cur) ? (cur as unknown[]) : (cur as PyTuple).items;
          if (items.length === 0) {
            acc += "[]";
            if (acc.length >= minChunk) {
              yield acc;
              acc = "";
            }
          } else {
            const marker = enter(cur as object);
            let open = "[";
            let sep = cfg.itemSeparator;
            let close = "]";
            if (indented) {
              const nl = cfg.newline(++level);
              open += nl;
              sep += nl;
              close = cfg.newline(level - 1) + close;
            }
            stack.push({ t: LIST, items, i: 0, open, sep, close, marker });
          }
        } else if (kind === IS_DICT) {
          let keys: string[] | null = null;
          let obj: Record<string, unknown> | null = null;
          let items: [unknown, unknown][] | null = null;
          let size: number;
          if (cur instanceof Map || brandOf(cur) === "dict") {
            items = Array.from((cur as Map<unknown, unknown> | PyDict).entries());
            size = items.length;
          } else {
            obj = cur as Record<string, unknown>;
            keys = Object.keys(obj);
            size = keys.length;
          }
          if (size === 0) {
            acc += "{}";
            if (acc.length >= minChunk) {
              yield acc;
              acc = "";
            }
          } else {
            const marker = enter(cur as object);
            acc += "{";
            if (acc.length >= minChunk) {
              yield acc;
              acc = "";
            }
            let sep = cfg.itemSeparator;
            let close = "}";
            if (indented) {
              const nl = cfg.newline(++level);
              acc += nl;
              if (acc.length >= minChunk) {
                yield acc;
                acc = "";
              }
              sep += nl;
              close = cfg.newline(level - 1) + close;
            }
            if (items !== null) {
              decodeByteKeys(items, cfg);
              if (cfg.sortKeys) sortItems(items, cfg.faithful);
            } else if (cfg.sortKeys) {
              sortStrKeys(keys as string[]);
            }
            stack.push({ t: DICT, keys, obj, items, i: 0, first: true, sep, close, marker });
          }
        } else {
          // Not a JSON type: markers, then default(o), then encode what it returned.
          const marker = enter(cur as object);
          stack.push({ t: DEFAULT, marker });
          cur = defaultFn(cur);
          pending = true;
          continue;
        }
      }

      const f = stack[stack.length - 1];
      if (f === undefined) {
        if (acc.length > 0) yield acc;
        return;
      }
      if (f.t === LIST) {
        if (f.i < f.items.length) {
          const v = f.items[f.i];
          const buf = f.i === 0 ? f.open : f.sep;
          f.i++;
          const kind = scalar(v);
          if (typeof kind === "string") {
            acc += buf + kind;
            if (acc.length >= minChunk) {
              yield acc;
              acc = "";
            }
          } else {
            acc += buf;
            if (acc.length >= minChunk) {
              yield acc;
              acc = "";
            }
            cur = v;
            pending = true;
          }
          continue;
        }
        stack.pop();
        if (indented) {
          level--;
          acc += f.close.slice(0, -1);
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
          acc += "]";
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
        } else {
          acc += "]";
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
        }
        if (f.marker !== null) markers?.delete(f.marker);
        continue;
      }
      if (f.t === DICT) {
        const n = f.items !== null ? f.items.length : (f.keys as string[]).length;
        while (f.i < n) {
          let key: unknown;
          let value: unknown;
          if (f.items !== null) {
            const item = f.items[f.i] as [unknown, unknown];
            key = item[0];
            value = item[1];
          } else {
            key = (f.keys as string[])[f.i];
            value = (f.obj as Record<string, unknown>)[key as string];
          }
          f.i++;
          const k = keyText(key, cfg, cStyle);
          if (k === undefined) continue;
          if (f.first) f.first = false;
          else {
            acc += f.sep;
            if (acc.length >= minChunk) {
              yield acc;
              acc = "";
            }
          }
          acc += cfg.escape(k);
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
          acc += cfg.keySeparator;
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
          const kind = scalar(value);
          if (typeof kind === "string") {
            acc += kind;
            if (acc.length >= minChunk) {
              yield acc;
              acc = "";
            }
          } else {
            cur = value;
            pending = true;
          }
          break;
        }
        if (pending) continue;
        if (f.i < n) continue;
        stack.pop();
        if (indented) {
          level--;
          acc += f.close.slice(0, -1);
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
          acc += "}";
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
        } else {
          acc += "}";
          if (acc.length >= minChunk) {
            yield acc;
            acc = "";
          }
        }
        if (f.marker !== null) markers?.delete(f.marker);
        continue;
      }
      stack.pop();
      if (f.marker !== null) markers?.delete(f.marker);
    }
  }
}
