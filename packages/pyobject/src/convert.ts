import { brandOf } from "./brand.js";
import type { PyByteArray } from "./bytearray.js";
import { describeJs, type PathNode, pathText, ROOT, type Segment } from "./convert-path.js";
import { PyDict } from "./dict.js";
import { PyTypeError, PyValueError } from "./errors.js";
import { TABLE } from "./hash-table.js";
import { hooksOf } from "./hooks.js";
import { PyFrozenSet, PySet } from "./set.js";
import { PyTuple } from "./tuple.js";

/** Options of {@link toNatural}. */
export interface ToNaturalOptions {
  /**
   * `"auto"` (default): a dict whose keys are all str becomes a plain object, any other a
   * `Map`. `"map"`: every dict becomes a `Map`.
   */
  readonly dicts?: "auto" | "map";
}

/** Options of {@link toFaithful}. */
export interface ToFaithfulOptions {
  /**
   * `"auto"` (default): an integral number becomes an int (bigint), except `-0`; other
   * numbers are floats. `"float"`: every number is a float, so a faithful value converts to
   * itself.
   */
  readonly numbers?: "auto" | "float";
}

const MAX_SAFE = 9007199254740991n;

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Sets `key` on a plain object; `"__proto__"` is defined, never assigned, so no prototype changes. */
function defineKey(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    o[key] = value;
  }
}

function noPython(v: unknown, node: PathNode, seg: Segment | undefined): PyTypeError {
  return new PyTypeError(`${describeJs(v)} has no Python equivalent (at ${pathText(node, seg)})`);
}

/** A container met during the walk: its source, its output and where it sits. */
interface Fill extends PathNode {
  readonly src: object;
  readonly out: unknown;
}

/** The root container takes the root's place in paths; others hang under their parent. */
function fill(node: PathNode, seg: Segment | undefined, src: object, out: unknown): Fill {
  return seg === undefined ? { ...ROOT, src, out } : { parent: node, segment: seg, src, out };
}

/**
 * The natural JS view of a faithful-model value (the default result of `loads`):
 *
 * | Python | natural JS |
 * |---|---|
 * | int | `number` when within ±(2**53-1), else `bigint` (never an imprecise number) |
 * | float, bool, None, str | `number`, `boolean`, `null`, `string` |
 * | bytes, bytearray | `Uint8Array` |
 * | list, tuple | `Array` |
 * | dict with only str keys | plain object (`"__proto__"` defined as an own property) |
 * | any other dict | `Map` with natural keys (a tuple key becomes an Array) |
 * | set, frozenset | `Set` |
 * | complex, Ellipsis, NotImplemented, PyGlobal, PyInstance | unchanged |
 *
 * Shared references stay shared and cycles stay cycles (one output per input object). Walks
 * with an explicit stack, so 100,000 levels of nesting convert. Natural containers in the
 * input (Map, Set, plain objects) are walked too; objects with hooks (hooks.ts) are kept.
 * @throws {PyTypeError} for a JS value with no Python counterpart, naming its path
 * (`value.items[3].owner`).
 * @throws {PyValueError} when a dict or set holds several NaN keys, which a `Map` or `Set`
 * would merge into one.
 */
export function toNatural(value: unknown, options?: ToNaturalOptions): unknown {
  const mapsOnly = options?.dicts === "map";
  const memo = new Map<object, unknown>();
  const pending: Fill[] = [];

  const convert = (v: unknown, node: PathNode, seg: Segment | undefined): unknown => {
    switch (typeof v) {
      case "bigint":
        return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
      case "number":
      case "boolean":
      case "string":
        return v;
      case "undefined":
        return null;
      case "object":
        break;
      default:
        throw noPython(v, node, seg);
    }
    if (v === null || v instanceof Uint8Array) return v;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    let out: unknown;
    switch (brandOf(v)) {
      case "bytearray":
        out = (v as PyByteArray).bytes;
        break;
      case "complex":
      case "ellipsis":
      case "notimplemented":
      case "global":
      case "instance":
        return v;
      case "tuple":
        out = [];
        break;
      case "dict": {
        const t = (v as PyDict)[TABLE];
        let strKeys = !mapsOnly;
        // Deleted slots hold a symbol, which is not a string: check live slots only.
        if (strKeys)
          for (let i = 0; i < t.keys.length && strKeys; i++)
            strKeys = typeof t.keys[i] === "string" || !t.isLive(i);
        if (!strKeys) checkNaNs(t.keys, node, seg);
        out = strKeys ? {} : new Map();
        break;
      }
      case "set":
      case "frozenset":
        checkNaNs((v as PySet).values(), node, seg);
        out = new Set();
        break;
      case undefined:
        if (Array.isArray(v)) out = [];
        else if (v instanceof Map) {
          checkNaNs(v.keys(), node, seg);
          out = new Map();
        } else if (v instanceof Set) {
          checkNaNs(v.values(), node, seg);
          out = new Set();
        } else if (hooksOf(v) !== undefined) {
          return v;
        } else if (isPlainObject(v)) {
          out = mapsOnly ? new Map() : {};
        } else {
          throw noPython(v, node, seg);
        }
        break;
      default:
        throw noPython(v, node, seg);
    }
    memo.set(v, out);
    if (out !== (v as PyByteArray).bytes) pending.push(fill(node, seg, v, out));
    return out;
  };

  const result = convert(value, ROOT, undefined);
  for (let task = pending.pop(); task !== undefined; task = pending.pop()) {
    const { src, out } = task;
    const b = brandOf(src);
    if (Array.isArray(src) || b === "tuple") {
      const items = Array.isArray(src) ? src : (src as PyTuple).items;
      const o = out as unknown[];
      for (let i = 0; i < items.length; i++) o.push(convert(items[i], task, i));
    } else if (b === "dict" && !(out instanceof Map)) {
      // Fast path for the common str-keyed dict: read the table, no entry arrays.
      const t = (src as PyDict)[TABLE];
      const o = out as Record<string, unknown>;
      for (let i = 0; i < t.keys.length; i++) {
        if (!t.isLive(i)) continue;
        const k = t.keys[i] as string;
        defineKey(o, k, convert(t.values[i], task, k));
      }
    } else if (b === "dict" || src instanceof Map) {
      const entries = (src as PyDict | Map<unknown, unknown>).entries();
      if (out instanceof Map) {
        for (const [k, x] of entries) {
          out.set(
            convert(k, task, { mapKey: k, isKey: true }),
            convert(x, task, { mapKey: k, isKey: false }),
          );
        }
      } else {
        const o = out as Record<string, unknown>;
        for (const [k, x] of entries) defineKey(o, k as string, convert(x, task, k as string));
      }
    } else if (b === "set" || b === "frozenset" || src instanceof Set) {
      const o = out as Set<unknown>;
      let i = 0;
      for (const x of (src as Set<unknown>).values()) o.add(convert(x, task, { member: i++ }));
    } else {
      // plain object
      const o = out as Record<string, unknown> | Map<string, unknown>;
      for (const k of Object.keys(src)) {
        const x = convert((src as Record<string, unknown>)[k], task, k);
        if (o instanceof Map) o.set(k, x);
        else defineKey(o, k, x);
      }
    }
  }
  return result;
}

/** A Map or Set would merge several NaN keys into one: refuse rather than lose entries. */
function checkNaNs(keys: Iterable<unknown>, node: PathNode, seg: Segment | undefined): void {
  let nans = 0;
  for (const k of keys) if (typeof k === "number" && Number.isNaN(k) && ++nans > 1) break;
  if (nans > 1) {
    throw new PyValueError(`several NaN keys have no natural JS form (at ${pathText(node, seg)})`);
  }
}

/**
 * The faithful model of a natural JS value (the default reading of `dumps` input):
 *
 * | natural JS | Python |
 * |---|---|
 * | integral `number` (not `-0`) | int (bigint); with `numbers: "float"`, a float |
 * | other `number` (`-0`, `0.5`, `NaN`, `Infinity`) | float |
 * | `bigint`, `boolean`, `string` | int, bool, str |
 * | `null`, `undefined` | None |
 * | `Uint8Array` | bytes |
 * | `Array` | list; a tuple where a key or set member must be hashable |
 * | `Map`, plain object | dict (PyDict) |
 * | `Set` | set; a frozenset where a key or set member must be hashable |
 * | model objects (PyTuple, PyDict, ...) | themselves, with their contents converted |
 *
 * Shared references stay shared and cycles stay cycles. Walks with an explicit stack, so
 * 100,000 levels of nesting convert. Objects with hooks (hooks.ts) are kept.
 * @throws {PyTypeError} for a value with no Python counterpart (function, symbol, an
 * instance of an unregistered class, a typed array other than Uint8Array, a symbol-keyed
 * property) or an unhashable key (a Map or dict used as a key), naming its path
 * (`value.items[3].owner`).
 * @throws {PyValueError} for a key that contains itself.
 */
export function toFaithful(value: unknown, options?: ToFaithfulOptions): unknown {
  const floats = options?.numbers === "float";
  const memo = new Map<object, unknown>();
  // Keys and set members already built, by source object: a tuple shared many times inside
  // keys (a DAG) is converted once, so the walk is linear in the number of distinct objects.
  const keyMemo = new Map<object, unknown>();
  const pending: Fill[] = [];

  const number = (n: number): unknown =>
    !floats && Number.isInteger(n) && !Object.is(n, -0) ? BigInt(n) : n;

  const leaf = (v: unknown, node: PathNode, seg: Segment | undefined): unknown => {
    switch (typeof v) {
      case "number":
        return number(v);
      case "bigint":
      case "boolean":
      case "string":
        return v;
      case "undefined":
        return null;
      case "object":
        if (v === null || v instanceof Uint8Array) return v;
        switch (brandOf(v)) {
          case "complex":
          case "ellipsis":
          case "notimplemented":
          case "global":
          case "instance":
            return v;
        }
        return NOT_LEAF;
      default:
        throw noPython(v, node, seg);
    }
  };

  const convert = (v: unknown, node: PathNode, seg: Segment | undefined): unknown => {
    const l = leaf(v, node, seg);
    if (l !== NOT_LEAF) return l;
    const o = v as object;
    const seen = memo.get(o);
    if (seen !== undefined) return seen;
    let out: unknown;
    const b = brandOf(o);
    if (Array.isArray(o)) out = [];
    else if (b === "tuple") out = new PyTuple([]);
    else if (b === undefined && hooksOf(o) !== undefined) return o;
    else if (b === "dict" || o instanceof Map || (b === undefined && isPlainObject(o))) out = new PyDict();
    else if (b === "set" || o instanceof Set) out = new PySet();
    else if (b === "frozenset") out = keyOf(o, node, seg);
    else if (b === "bytearray") return o;
    else throw noPython(o, node, seg);
    memo.set(o, out);
    if (b !== "frozenset") pending.push(fill(node, seg, o, out));
    return out;
  };

  /**
   * A key or set member: built completely before it is hashed, with Arrays as tuples and Sets
   * as frozensets (lists and sets are unhashable). Post-order with an explicit stack.
   */
  const keyOf = (v: unknown, node: PathNode, seg: Segment | undefined): unknown => {
    const l = leaf(v, node, seg);
    if (l !== NOT_LEAF) return l;
    const built = keyMemo.get(v as object);
    if (built !== undefined) return built;
    interface Frame extends PathNode {
      readonly src: object;
      readonly items: readonly unknown[];
      readonly out: unknown[];
      readonly tuple: boolean;
      index: number;
    }
    const onPath = new Set<object>();
    const open = (o: object, parent: PathNode, s: Segment | undefined): Frame | unknown => {
      const b = brandOf(o);
      let items: readonly unknown[];
      let tuple = true;
      if (Array.isArray(o)) items = o;
      else if (b === "tuple") items = (o as PyTuple).items;
      else if (b === "frozenset" || o instanceof Set) {
        items = [...(o as Set<unknown>).values()];
        tuple = false;
      } else if (b === undefined && hooksOf(o) !== undefined) return o;
      else if (b === "dict" || b === "set" || b === "bytearray" || o instanceof Map || isPlainObject(o)) {
        const name = b === "set" ? "set" : b === "bytearray" ? "bytearray" : "dict";
        throw new PyTypeError(`unhashable type: '${name}' (at ${pathText(parent, s)})`);
      } else throw noPython(o, parent, s);
      if (onPath.has(o)) throw new PyValueError(`a key contains itself (at ${pathText(parent, s)})`);
      onPath.add(o);
      const at = s === undefined ? ROOT : { parent, segment: s };
      return { ...at, src: o, items, out: [], tuple, index: 0 } satisfies Frame;
    };
    const first = open(v as object, node, seg);
    if (first === v) return v;
    const stack: Frame[] = [first as Frame];
    let done: unknown;
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      if (done !== undefined) {
        f.out.push(done);
        done = undefined;
      }
      if (f.index < f.items.length) {
        const item = f.items[f.index];
        const s = f.index++;
        const li = leaf(item, f, s);
        if (li !== NOT_LEAF) {
          f.out.push(li);
          continue;
        }
        const known = keyMemo.get(item as object);
        if (known !== undefined) {
          f.out.push(known);
          continue;
        }
        const child = open(item as object, f, s);
        if (child === item) f.out.push(child);
        else stack.push(child as Frame);
        continue;
      }
      stack.pop();
      onPath.delete(f.src);
      done = f.tuple ? new PyTuple(f.out) : new PyFrozenSet(f.out);
      keyMemo.set(f.src, done);
    }
    return done;
  };

  const result = convert(value, ROOT, undefined);
  for (let task = pending.pop(); task !== undefined; task = pending.pop()) {
    const { src, out } = task;
    const b = brandOf(src);
    if (Array.isArray(src) || b === "tuple") {
      const items = Array.isArray(src) ? src : (src as PyTuple).items;
      const o = out instanceof PyTuple ? out.items : (out as unknown[]);
      for (let i = 0; i < items.length; i++) o.push(convert(items[i], task, i));
    } else if (out instanceof PyDict) {
      if (b === "dict" || src instanceof Map) {
        for (const [k, x] of (src as Map<unknown, unknown>).entries()) {
          out.set(keyOf(k, task, { mapKey: k, isKey: true }), convert(x, task, { mapKey: k, isKey: false }));
        }
      } else {
        for (const k of Reflect.ownKeys(src)) {
          if (typeof k === "symbol") throw noPython(k, task, undefined);
          if (!Object.prototype.propertyIsEnumerable.call(src, k)) continue;
          out.set(k, convert((src as Record<string, unknown>)[k], task, k));
        }
      }
    } else {
      const o = out as PySet;
      let i = 0;
      for (const x of (src as Set<unknown>).values()) o.add(keyOf(x, task, { member: i++ }));
    }
  }
  return result;
}

const NOT_LEAF: unique symbol = Symbol("not a leaf");
