/**
 * The globals CPython's own pickles call to rebuild builtin values, and how loading
 * rebuilds them here without running anything: at protocols 0-2 CPython writes sets,
 * frozensets, bytes and bytearrays as REDUCE calls (`builtins.set([...])`,
 * `_codecs.encode("...", "latin1")`), complex always as `builtins.complex(re, im)`, and
 * objects at protocols 0-1 through `copyreg._reconstructor` / `copyreg.__newobj__`.
 * Names are the Python 3 ones (the unpickler maps Python 2 names first, as fix_imports does).
 */
import {
  Ellipsis,
  isPyByteArray,
  isPyDict,
  isPyFrozenSet,
  isPyGlobal,
  isPySet,
  isPyTuple,
  NotImplemented,
  PyByteArray,
  PyComplex,
  PyDict,
  PyFrozenSet,
  PySet,
  PyTuple,
  pyTypeName,
} from "@x/pyobject";

/** What a loader needs from the unpickler. */
export interface LoaderContext {
  /** The natural JS view (else the faithful model). */
  readonly natural: boolean;
  /** `cls.__new__(cls, *args, **kwargs)` through the unpickler's own rules (registry or inert). */
  newObj(cls: unknown, args: unknown[], kwargs: unknown, kind: "newobj" | "newobj_ex"): unknown;
}

/** A builtin callable: `args` are the REDUCE tuple's items; INERT means "keep the call as data". */
export type BuiltinLoader = (args: unknown[], ctx: LoaderContext) => unknown;

/** Returned by a loader that declines: the call stays an inert PyInstance (dumps back as it came). */
export const INERT: unique symbol = Symbol("inert");

/** Raised by loaders for arguments CPython would reject; the unpickler reports it with the offset. */
export class LoaderError extends Error {
  override name = "LoaderError";
  constructor(
    message: string,
    /** CPython's exception type for the same call. */
    readonly pyType = "TypeError",
  ) {
    super(message);
  }
}

/** Globals that stand for a value, not a callable. */
export const BUILTIN_CONSTANTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ["builtins\0Ellipsis", Ellipsis],
  ["builtins\0NotImplemented", NotImplemented],
]);

/** The items of any iterable the model produces (list, tuple, set, frozenset, dict keys, str, bytes). */
function iterate(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (isPyTuple(v)) return v.items;
  if (typeof v === "string") return Array.from(v);
  if (v instanceof Uint8Array) return Array.from(v, (b) => b);
  if (isPyByteArray(v)) return Array.from(v.bytes, (b) => b);
  if (v instanceof Set || v instanceof Map || isPySet(v) || isPyFrozenSet(v)) return [...v.keys()];
  if (isPyDict(v)) return [...v.keys()];
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype)
    return Object.keys(v);
  throw new LoaderError(`'${pyTypeName(v)}' object is not iterable (${what})`);
}

function arity(args: unknown[], min: number, max: number, name: string): void {
  if (args.length < min || args.length > max) {
    throw new LoaderError(
      max === min
        ? `${name}() takes exactly ${min} argument${min === 1 ? "" : "s"} (${args.length} given)`
        : `${name} expected at most ${max} argument${max === 1 ? "" : "s"}, got ${args.length}`,
    );
  }
}

function encodeStr(s: unknown, encoding: unknown, errors: unknown): Uint8Array {
  if (typeof s !== "string")
    throw new LoaderError(`utf_8_encode() argument 1 must be str, not ${pyTypeName(s)}`);
  const enc = String(encoding ?? "utf-8")
    .toLowerCase()
    .replace(/[-_ ]/g, "");
  if (enc === "latin1" || enc === "iso88591" || enc === "l1" || enc === "ascii") {
    const max = enc === "ascii" ? 0x7f : 0xff;
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > max) {
        throw new LoaderError(
          `'${enc === "ascii" ? "ascii" : "latin-1"}' codec can't encode character '\\u${c.toString(16).padStart(4, "0")}' in position ${i}: ordinal not in range(${max + 1})`,
          "UnicodeEncodeError",
        );
      }
      out[i] = c;
    }
    return out;
  }
  if (enc === "utf8") {
    if (
      (errors ?? "strict") !== "surrogatepass" &&
      /[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))
    ) {
      throw new LoaderError(
        "'utf-8' codec can't encode a surrogate: surrogates not allowed",
        "UnicodeEncodeError",
      );
    }
    return new TextEncoder().encode(s);
  }
  throw new LoaderError(`unsupported encoding for _codecs.encode: ${String(encoding)}`, "LookupError");
}

function bytesFrom(args: unknown[], name: string): Uint8Array {
  arity(args, 0, 3, name);
  if (args.length === 0) return new Uint8Array(0);
  const [src, encoding, errors] = args;
  if (typeof src === "string") {
    if (args.length < 2) throw new LoaderError("string argument without an encoding");
    return encodeStr(src, encoding, errors);
  }
  if (src instanceof Uint8Array) return new Uint8Array(src); // a copy, also of a Buffer (whose slice() is a view)
  if (isPyByteArray(src)) return src.bytes.slice();
  if (typeof src === "number" || typeof src === "bigint" || typeof src === "boolean") {
    const n = Number(src);
    if (n < 0) throw new LoaderError("negative count", "ValueError");
    if (n > 0x10000000)
      throw new LoaderError(`${name}(${n}) is larger than this loader allows`, "MemoryError");
    return new Uint8Array(n);
  }
  const items = iterate(src, name);
  const out = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const b = Number(items[i]);
    if (!Number.isInteger(b) || b < 0 || b > 255)
      throw new LoaderError("bytes must be in range(0, 256)", "ValueError");
    out[i] = b;
  }
  return out;
}

function toNumber(v: unknown, name: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new LoaderError(`${name}() argument must be a string or a number, not '${pyTypeName(v)}'`);
}

/** `module\0name` -> loader. */
export const BUILTIN_LOADERS: ReadonlyMap<string, BuiltinLoader> = new Map<string, BuiltinLoader>([
  [
    "builtins\0set",
    (args, ctx) => {
      arity(args, 0, 1, "set");
      const items = args.length ? iterate(args[0], "set") : [];
      return ctx.natural ? new Set(items) : new PySet(items);
    },
  ],
  [
    "builtins\0frozenset",
    (args, ctx) => {
      arity(args, 0, 1, "frozenset");
      const items = args.length ? iterate(args[0], "frozenset") : [];
      return ctx.natural ? new Set(items) : new PyFrozenSet(items);
    },
  ],
  ["builtins\0bytes", (args) => bytesFrom(args, "bytes")],
  [
    "builtins\0bytearray",
    (args, ctx) => {
      const b = bytesFrom(args, "bytearray");
      return ctx.natural ? b : new PyByteArray(b);
    },
  ],
  [
    "_codecs\0encode",
    (args) => {
      arity(args, 1, 3, "encode");
      return encodeStr(args[0], args[1], args[2]);
    },
  ],
  [
    "builtins\0complex",
    (args) => {
      arity(args, 0, 2, "complex");
      return new PyComplex(
        args.length > 0 ? toNumber(args[0], "complex") : 0,
        args.length > 1 ? toNumber(args[1], "complex") : 0,
      );
    },
  ],
  [
    "builtins\0list",
    (args) => {
      arity(args, 0, 1, "list");
      return args.length ? iterate(args[0], "list").slice() : [];
    },
  ],
  [
    "builtins\0tuple",
    (args, ctx) => {
      arity(args, 0, 1, "tuple");
      const items = args.length ? iterate(args[0], "tuple").slice() : [];
      return ctx.natural ? items : new PyTuple(items);
    },
  ],
  [
    "builtins\0dict",
    (args, ctx) => {
      arity(args, 0, 1, "dict");
      const src = args[0];
      if (ctx.natural) {
        if (src === undefined) return {};
        if (src instanceof Map) return new Map(src);
        if (src !== null && typeof src === "object" && Object.getPrototypeOf(src) === Object.prototype) {
          return Object.defineProperties({}, Object.getOwnPropertyDescriptors(src));
        }
      } else {
        if (src === undefined) return new PyDict();
        if (isPyDict(src)) return new PyDict(src.entries());
      }
      return INERT;
    },
  ],
  [
    // copyreg._reconstructor(cls, base, state): `base.__new__(cls, state)` at protocols 0-1.
    "copyreg\0_reconstructor",
    (args, ctx) => {
      arity(args, 3, 3, "_reconstructor");
      const [cls, base, state] = args;
      if (state === null && isPyGlobal(base) && base.module === "builtins" && base.name === "object") {
        const obj = ctx.newObj(cls, [], null, "newobj");
        return obj === INERT ? INERT : obj;
      }
      return INERT;
    },
  ],
  [
    // copyreg.__newobj__(cls, *args): `cls.__new__(cls, *args)` written as REDUCE.
    "copyreg\0__newobj__",
    (args, ctx) => {
      if (args.length < 1)
        throw new LoaderError("__newobj__() missing 1 required positional argument: 'cls'");
      const obj = ctx.newObj(args[0], args.slice(1), null, "newobj");
      return obj === INERT ? INERT : obj;
    },
  ],
  [
    "copyreg\0__newobj_ex__",
    (args, ctx) => {
      arity(args, 3, 3, "__newobj_ex__");
      const [cls, a, kw] = args;
      const obj = ctx.newObj(cls, iterate(a, "__newobj_ex__"), kw, "newobj_ex");
      return obj === INERT ? INERT : obj;
    },
  ],
]);
