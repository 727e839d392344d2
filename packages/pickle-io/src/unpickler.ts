/**
 * Python's `pickle.Unpickler` over `@x/pickle-core`'s resumable opcode machine: the hooks
 * (`findClass`, `persistentLoad`) are methods to override in subclasses, as with pickle.py;
 * the default `findClass` never runs anything the data names (see {@link Unpickler.findClass}).
 */
import {
  type DecoderHooks,
  kwargsAsPyDict,
  NEED_MORE,
  PickleDecoder,
  PickleError,
  UnpicklingError,
} from "@x/pickle-core";
import type { BytesLike } from "@x/pyobject";
import { brandOf, isPyGlobal, isPyInstance, isPyTuple, PyGlobal, PyInstance, pyTypeName } from "@x/pyobject";
import {
  BUILTIN_CONSTANTS,
  BUILTIN_LOADERS,
  type BuiltinLoader,
  INERT,
  type LoaderContext,
  LoaderError,
} from "./builtin-loaders.js";
import { BUILTIN_TYPE_NAMES } from "./builtin-types.js";
import { fixImportsLoad } from "./compat-pickle.js";
import { defaultExtensionRegistry, type ExtensionRegistry } from "./extension-registry.js";
import { type ClassRegistration, type ClassRegistry, defaultRegistry } from "./registry.js";
import { STANDARD_TYPES } from "./types/index.js";
import { unpicklerInput } from "./unpickler-input.js";

/**
 * A synchronous byte source, file-like as pickle.py expects: `read(n)` returns up to `n`
 * bytes (fewer, or none, only at the end); `readline()` (optional) returns bytes up to and
 * including the next newline. The unpickler reads only what the pickle needs, so the source
 * is left just past the STOP opcode, ready for the next `load()`.
 */
export interface PickleSource {
  read(n: number): Uint8Array;
  readline?(): Uint8Array;
}

/**
 * Builtin types that strict mode lets through as plain references (CPython's own pickles name
 * them, e.g. `copyreg._reconstructor(cls, object, None)`); calling them still stays inert.
 */
const SAFE_REFERENCES: ReadonlySet<string> = new Set(BUILTIN_TYPE_NAMES.map((n) => `builtins\0${n}`));

/** Options of {@link Unpickler}, {@link loads} and {@link load}. */
export interface UnpicklerOptions {
  /** Map Python 2 module/global names to Python 3 ones in protocol 0-2 pickles (`_compat_pickle`). Default true. */
  readonly fixImports?: boolean;
  /**
   * How to decode Python 2 `str` (8-bit strings): `"ASCII"` (default), `"latin1"`, `"bytes"`
   * (keep them as bytes), or another codec name TextDecoder knows (e.g. `"cp1252"`).
   */
  readonly encoding?: string;
  /**
   * Error handler for `encoding`: `"strict"` (default); ASCII and latin-1 also take `"ignore"`,
   * `"replace"`, `"surrogateescape"`, `"backslashreplace"`; other codecs `"replace"`.
   */
  readonly errors?: string;
  /** Out-of-band buffers for NEXT_BUFFER (protocol 5), in order. Default none. */
  readonly buffers?: Iterable<unknown> | null;
  /**
   * `"natural"` (default): plain JS values (ints as numbers when safe, else bigint; tuples as
   * arrays; str-keyed dicts as plain objects, other dicts as Map; sets as Set; bytearray as
   * Uint8Array). `"faithful"`: the `@x/pyobject` model (bigint, PyTuple, PyDict, PySet, ...).
   */
  readonly model?: "natural" | "faithful";
  /**
   * When true, a global that is neither a builtin this library rebuilds nor registered in
   * `registry` throws UnpicklingError naming it, instead of loading as an inert `PyGlobal`.
   * Default false.
   */
  readonly strict?: boolean;
  /** The classes `findClass` resolves and REDUCE/NEWOBJ/BUILD may run. Default `defaultRegistry`. */
  readonly registry?: ClassRegistry;
  /** copyreg's extension codes for EXT1/EXT2/EXT4. Default `defaultExtensionRegistry`. */
  readonly extensions?: ExtensionRegistry;
  /**
   * Python's `sys.set_int_max_str_digits`: INT/LONG opcode text with more decimal digits than
   * this raises ValueError (as CPython 3.11 does; converting it takes quadratic time).
   * Default 4300; 0 lifts the limit.
   */
  readonly intMaxStrDigits?: number;
}

/**
 * Reads pickles, as Python's `pickle.Unpickler`. Subclass and override `findClass` or
 * `persistentLoad` to change how globals and persistent ids load.
 *
 * Over a Uint8Array, successive `load()` calls read successive pickles (as over
 * `io.BytesIO`), then throw PickleEOFError.
 */
export class Unpickler {
  readonly fixImports: boolean;
  readonly strict: boolean;
  readonly registry: ClassRegistry;
  readonly extensions: ExtensionRegistry;
  readonly model: "natural" | "faithful";
  private readonly decoder: PickleDecoder;
  private readonly source: PickleSource | null;
  private buffers: Iterator<unknown> | null;
  /** What builtin loaders get from this unpickler: made on the first REDUCE of one (see {@link ctx}). */
  private ctxCache: LoaderContext | null = null;
  /** BUILTIN_LOADERS' entry (or null) for each PyGlobal seen by REDUCE. */
  private loaderOf: WeakMap<PyGlobal, BuiltinLoader | null> | null = null;
  /** The registry's entry (or null) for each PyGlobal seen by REDUCE/NEWOBJ, during one load(). */
  private registrationOf: WeakMap<PyGlobal, ClassRegistration | null> | null = null;

  /**
   * @throws UnpicklingError for an unknown `encoding` or `errors` handler.
   * @throws PyTypeError for a source that is neither bytes-like nor has `read` (Python's words).
   */
  constructor(input: BytesLike | PickleSource, options: UnpicklerOptions = {}) {
    const source = unpicklerInput(input);
    this.fixImports = options.fixImports ?? true;
    this.strict = options.strict ?? false;
    this.registry = options.registry ?? defaultRegistry;
    this.extensions = options.extensions ?? defaultExtensionRegistry;
    this.model = options.model ?? "natural";
    this.buffers = options.buffers ? options.buffers[Symbol.iterator]() : null;
    const decoderOptions = {
      model: this.model,
      encoding: options.encoding ?? "ASCII",
      errors: options.errors ?? "strict",
      intMaxStrDigits: options.intMaxStrDigits ?? 4300,
    };
    this.decoder = new PickleDecoder(new Unpickler.Hooks(this), decoderOptions);
    if (source instanceof Uint8Array) {
      this.source = null;
      this.decoder.feed(source);
      this.decoder.endInput();
    } else {
      this.source = source;
    }
  }

  /** The protocol of the pickle being (or last) loaded, from its PROTO opcode (0 if none). */
  get proto(): number {
    return this.decoder.proto;
  }

  /**
   * Reads one pickle and returns its value.
   * @throws PickleEOFError when the source holds no further pickle ("Ran out of input").
   * @throws UnpicklingError for malformed data, naming the byte offset and opcode, or (in
   *   strict mode) a global that is not allowed.
   */
  load(): unknown {
    const decoder = this.decoder;
    this.registrationOf = null; // the registry may have changed since the last load()
    for (;;) {
      const v = decoder.run();
      if (v !== NEED_MORE) return v;
      const src = this.source;
      if (src === null) {
        decoder.endInput();
        continue;
      }
      const chunk =
        decoder.needsLine && typeof src.readline === "function"
          ? src.readline()
          : src.read(decoder.bytesNeeded);
      if (chunk.length === 0) decoder.endInput();
      else decoder.feed(new Uint8Array(chunk)); // a copy: the source may reuse its buffer
    }
  }

  /**
   * Python's `find_class`: what the global `module.name` loads as. The default maps Python 2
   * names (protocols < 3, `fixImports`), returns the value of the builtin constants
   * (`Ellipsis`, `NotImplemented`), and otherwise an inert `PyGlobal` reference; REDUCE and
   * NEWOBJ on a `PyGlobal` rebuild it only when it is a builtin this library knows
   * (set, frozenset, bytes, bytearray, complex, ...) or registered in `registry`, and
   * otherwise keep the call as an inert `PyInstance`. In strict mode unknown globals throw.
   * Override to allow, map or forbid globals; returning a JS function makes REDUCE call it
   * and NEWOBJ construct it.
   * @throws UnpicklingError in strict mode for a global that is neither builtin nor registered.
   */
  findClass(module: string, name: string): unknown {
    if (this.proto < 3 && this.fixImports) [module, name] = fixImportsLoad(module, name);
    const key = `${module}\0${name}`;
    const constant = BUILTIN_CONSTANTS.get(key);
    if (constant !== undefined) return constant;
    if (
      this.strict &&
      !BUILTIN_LOADERS.has(key) &&
      !SAFE_REFERENCES.has(key) &&
      this.registry.lookup(module, name) === undefined
    ) {
      throw new UnpicklingError(`global '${module}.${name}' is forbidden (strict mode)`);
    }
    return new PyGlobal(module, name);
  }

  /**
   * Python's `persistent_load`: the object for a persistent id (PERSID/BINPERSID). The
   * default refuses, as CPython's does; override it when the pickles carry persistent ids.
   * @throws UnpicklingError always, unless overridden.
   */
  persistentLoad(_pid: unknown): unknown {
    throw new UnpicklingError(
      "A load persistent id instruction was encountered,\nbut no persistent_load function was specified.",
    );
  }

  /**
   * The decoder's hooks as prototype methods of one small object per Unpickler: a closure per
   * hook cost 8 allocations (~0.9 KB) per `loads`, a third of a 100-byte pickle's garbage.
   */
  private static readonly Hooks = class implements DecoderHooks {
    constructor(private readonly u: Unpickler) {}
    findClass(module: string, name: string): unknown {
      return this.u.findClass(module, name);
    }
    persistentLoad(pid: unknown): unknown {
      return this.u.persistentLoad(pid);
    }
    extension(code: number): unknown {
      const key = this.u.extensions.lookupCode(code);
      if (key === undefined) {
        throw new UnpicklingError(`unregistered extension code ${code}`, { pyType: "ValueError" });
      }
      return this.u.findClass(key[0], key[1]);
    }
    nextBuffer(): unknown {
      const buffers = this.u.buffers;
      if (buffers === null) {
        throw new UnpicklingError(
          "pickle stream refers to out-of-band data but no *buffers* argument was given",
        );
      }
      const r = buffers.next();
      if (r.done) throw new UnpicklingError("not enough out-of-band buffers");
      return r.value;
    }
    reduce(callable: unknown, args: unknown[], instantiate?: boolean): unknown {
      return this.u.reduce(callable, args, instantiate === true);
    }
    isClass(v: unknown): boolean {
      return isPyGlobal(v) || typeof v === "function" || isRegistration(v);
    }
    newObj(cls: unknown, args: unknown[], kwargs: unknown, kind: "newobj" | "newobj_ex"): unknown {
      const r = this.u.newObjRegistered(cls, args, kwargs, kind);
      if (r !== undefined) return r;
      if (isPyGlobal(cls)) {
        return new PyInstance(cls, args, kind, kind === "newobj_ex" ? kwargsAsPyDict(kwargs) : null);
      }
      throw new UnpicklingError(
        `${kind.toUpperCase()} class argument must be a type, not ${pyTypeName(cls)}`,
      );
    }
    build(obj: unknown, state: unknown): void {
      this.u.build(obj, state);
    }
  };

  /** What builtin loaders get: the model and NEWOBJ through this unpickler's rules. */
  private get ctx(): LoaderContext {
    return (this.ctxCache ??= {
      natural: this.model === "natural",
      newObj: (cls, args, kwargs, kind) => this.newObjRegistered(cls, args, kwargs, kind) ?? INERT,
    });
  }

  /**
   * REDUCE, and INST/OBJ (`instantiate`): CPython runs those as `cls.__new__(cls)` when there
   * are no arguments, so an unknown class keeps that form (NEWOBJ, never a call that would run
   * an `__init__` wanting arguments when dumped back).
   */
  private reduce(callable: unknown, args: unknown[], instantiate = false): unknown {
    if (isPyGlobal(callable)) {
      // Memoized globals come back as the same PyGlobal: resolve each once per Unpickler.
      // Made on first use: a WeakMap per `loads` of a pickle without REDUCE is pure cost.
      this.loaderOf ??= new WeakMap();
      let loader = this.loaderOf.get(callable);
      if (loader === undefined) {
        loader = BUILTIN_LOADERS.get(`${callable.module}\0${callable.name}`) ?? null;
        this.loaderOf.set(callable, loader);
      }
      if (loader !== null) {
        let r: unknown;
        try {
          r = loader(args, this.ctx);
        } catch (e) {
          if (e instanceof LoaderError) throw new UnpicklingError(e.message, { cause: e, pyType: e.pyType });
          throw e;
        }
        if (r !== INERT) return r;
      } else {
        const reg = this.registrationFor(callable);
        if (reg?.call) return callRegistered(reg, callable, args);
        if (instantiate && args.length === 0) return new PyInstance(callable, args, "newobj");
      }
      return new PyInstance(callable, args, "reduce");
    }
    // An inert object called (e.g. a functools.partial rebuilt as data): the call stays data too.
    if (isPyInstance(callable)) return new PyInstance(callable, args, "reduce");
    if (typeof callable === "function") return (callable as (...a: unknown[]) => unknown)(...args);
    if (isRegistration(callable) && callable.call)
      return callRegistered(callable, new PyGlobal(callable.module, callable.name), args);
    throw new UnpicklingError(`'${pyTypeName(callable)}' object is not callable`, { pyType: "TypeError" });
  }

  /**
   * The registry's entry for a global. Memoized globals come back as the same PyGlobal: each
   * is looked up once per load() (a lookup builds its key string: ~6% of loading 10,000 numpy
   * arrays when done per REDUCE).
   */
  private registrationFor(cls: PyGlobal): ClassRegistration | undefined {
    this.registrationOf ??= new WeakMap();
    let r = this.registrationOf.get(cls);
    if (r === undefined) {
      r = this.registry.lookup(cls.module, cls.name) ?? null;
      this.registrationOf.set(cls, r);
    }
    return r ?? undefined;
  }

  /** NEWOBJ through a registration or a user-supplied JS class; undefined when neither applies. */
  private newObjRegistered(
    cls: unknown,
    args: unknown[],
    kwargs: unknown,
    kind: "newobj" | "newobj_ex",
  ): unknown {
    let reg: ClassRegistration | undefined;
    if (isPyGlobal(cls)) reg = this.registrationFor(cls);
    else if (isRegistration(cls)) reg = cls;
    if (reg?.newobj) {
      const kw = kind === "newobj_ex" ? kwargsAsPyDict(kwargs) : null;
      try {
        return reg.newobj(args, kw);
      } catch (e) {
        if (PickleError.isInstance(e)) throw e;
        // Arguments the registered class cannot represent: the object stays inert data.
        return new PyInstance(isPyGlobal(cls) ? cls : new PyGlobal(reg.module, reg.name), args, kind, kw);
      }
    }
    if (typeof cls === "function") {
      return Reflect.construct(cls as new (...a: unknown[]) => unknown, args);
    }
    return undefined;
  }

  private build(obj: unknown, state: unknown): void {
    if (isPyInstance(obj)) {
      obj.state = state;
      return;
    }
    if (obj !== null && typeof obj === "object") {
      const reg = this.registry.lookupInstance(obj);
      if (reg?.setState) {
        runRegistered(() => reg.setState?.(obj, state));
        return;
      }
      if (reg) {
        assignState(obj as Record<string, unknown>, state, reg);
        return;
      }
    }
    throw new UnpicklingError(`'${pyTypeName(obj)}' object has no attribute '__setstate__'`);
  }
}

/**
 * REDUCE through a registration: arguments its class cannot represent (what its hook rejects)
 * keep the call as inert data, exactly as an empty registry would load it; never an error.
 */
function callRegistered(reg: ClassRegistration, callable: PyGlobal, args: unknown[]): unknown {
  try {
    return reg.call?.(args);
  } catch (e) {
    if (PickleError.isInstance(e)) throw e;
    return new PyInstance(callable, args, "reduce");
  }
}

/**
 * Runs a registration's loading hook; what it throws on bad arguments (Python's TypeError or
 * ValueError, a JS TypeError/RangeError) becomes an UnpicklingError with the opcode's
 * location, so bad data never surfaces as a foreign error.
 */
function runRegistered<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (PickleError.isInstance(e)) throw e;
    throw new UnpicklingError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}

function isRegistration(v: unknown): v is ClassRegistration {
  return (
    v !== null &&
    typeof v === "object" &&
    typeof (v as ClassRegistration).module === "string" &&
    typeof (v as ClassRegistration).name === "string" &&
    (typeof (v as ClassRegistration).call === "function" ||
      typeof (v as ClassRegistration).newobj === "function")
  );
}

/** The entries of a dict state in either model, or undefined when `state` is not a dict. */
function stateEntries(state: unknown): [unknown, unknown][] | undefined {
  if (state instanceof Map) return [...state];
  if (state !== null && typeof state === "object") {
    const proto = Object.getPrototypeOf(state);
    if (proto === Object.prototype || proto === null) return Object.entries(state);
    if (brandOf(state) === "dict")
      return [...(state as { entries(): Iterable<[unknown, unknown]> }).entries()];
  }
  return undefined;
}

/** CPython's `tp_name` of a registered class: `module.name` for C types outside builtins. */
function typeName(reg: ClassRegistration): string {
  return reg.freshQualname === true && reg.module !== "builtins" ? `${reg.module}.${reg.name}` : reg.name;
}

/** Registered standard types: like CPython's (C or `__slots__`) classes, they have no `__dict__`. */
const NO_DICT: ReadonlySet<ClassRegistration> = new Set(STANDARD_TYPES);

/**
 * BUILD without `__setstate__`, as CPython's `load_build`: `state` (or `(state, slotstate)`)
 * updates the instance's attributes. A standard type has no `__dict__`, so any attribute
 * raises CPython's AttributeError text; a user-registered class gets own properties, but
 * never one that would hide a method or accessor of its JS class.
 */
function assignState(obj: Record<string, unknown>, state: unknown, reg: ClassRegistration): void {
  let slotState: unknown = null;
  const pair = Array.isArray(state) ? state : isPyTuple(state) ? state.items : undefined;
  if (pair !== undefined && pair.length === 2) [state, slotState] = pair;
  const noDict = NO_DICT.has(reg);
  for (const [s, what] of [
    [state, "state"],
    [slotState, "slot state"],
  ] as const) {
    if (s === null || s === undefined) continue;
    const entries = stateEntries(s);
    if (entries === undefined) throw new UnpicklingError(`${what} is not a dictionary`);
    if (noDict && what === "state")
      throw new UnpicklingError(`'${typeName(reg)}' object has no attribute '__dict__'`);
    for (const [k, v] of entries) {
      if (typeof k !== "string") throw new UnpicklingError(`${what} is not a dictionary`);
      if (noDict) throw new UnpicklingError(`'${typeName(reg)}' object has no attribute '${k}'`);
      if (!Object.hasOwn(obj, k) && k in obj) {
        throw new UnpicklingError(
          `attribute '${k}' of a '${typeName(reg)}' would hide a property of its JS class`,
        );
      }
      Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true });
    }
  }
}
