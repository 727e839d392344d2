import { isPyDict, isPyGlobal, isPyInstance, PyDict, PyGlobal, PyInstance, pyTypeName } from "@x/pyobject";
import { UnpicklingError } from "../errors.js";

/**
 * What the opcode machine asks of its host for the opcodes whose meaning is not data:
 * globals, persistent ids, extension codes, out-of-band buffers and the object-building
 * opcodes. `@x/pickle-io`'s Unpickler supplies these (findClass, persistentLoad, the class
 * registry); {@link inertHooks} is the safe default that never runs anything. A hook may
 * throw any error; the machine lets it through unchanged.
 */
export interface DecoderHooks {
  /** GLOBAL/STACK_GLOBAL/INST (and EXT via `extension`): the object `module.name` stands for. */
  findClass(module: string, name: string, proto: number): unknown;
  /** PERSID/BINPERSID: the object a persistent id stands for. */
  persistentLoad(pid: unknown): unknown;
  /** EXT1/EXT2/EXT4: the object an extension code stands for (code >= 1). */
  extension(code: number, proto: number): unknown;
  /** NEXT_BUFFER: the next out-of-band buffer. */
  nextBuffer(): unknown;
  /**
   * REDUCE, INST, OBJ: `callable(*args)`. `args` is the tuple's items (a fresh array).
   * `instantiate` is true for INST and OBJ, which CPython runs as `cls.__new__(cls)` when there
   * are no arguments (and the class has no `__getinitargs__`), not as a call.
   */
  reduce(callable: unknown, args: unknown[], instantiate?: boolean): unknown;
  /**
   * NEWOBJ/NEWOBJ_EX: `cls.__new__(cls, *args, **kwargs)`; `kwargs` is the dict as the
   * machine's model built it (null for NEWOBJ).
   */
  newObj(cls: unknown, args: unknown[], kwargs: unknown, kind: "newobj" | "newobj_ex"): unknown;
  /** Whether `v` may be NEWOBJ/NEWOBJ_EX's class (CPython: "must be a type"). */
  isClass(v: unknown): boolean;
  /** BUILD: `obj.__setstate__(state)` or its default. `state` is never None here. */
  build(obj: unknown, state: unknown): void;
}

/** Whether `v` may stand as a class for NEWOBJ under the inert hooks. */
function isInertClass(v: unknown): boolean {
  return isPyGlobal(v);
}

/**
 * The default hooks: every global is an inert {@link PyGlobal}; REDUCE/NEWOBJ on one make an
 * inert {@link PyInstance} (kind recorded) and BUILD records its state, so the pickler can
 * write the same bytes back. Nothing named by the data ever runs.
 */
export const inertHooks: DecoderHooks = {
  findClass(module, name) {
    return new PyGlobal(module, name);
  },
  persistentLoad() {
    throw new UnpicklingError(
      "A load persistent id instruction was encountered,\nbut no persistent_load function was specified.",
    );
  },
  extension(code) {
    throw new UnpicklingError(`unregistered extension code ${code}`, { pyType: "ValueError" });
  },
  nextBuffer() {
    throw new UnpicklingError("pickle stream refers to out-of-band data but no *buffers* argument was given");
  },
  reduce(callable, args, instantiate) {
    if (isInertClass(callable))
      return new PyInstance(callable, args, instantiate && args.length === 0 ? "newobj" : "reduce");
    throw new UnpicklingError(`'${pyTypeName(callable)}' object is not callable`, { pyType: "TypeError" });
  },
  isClass: isInertClass,
  newObj(cls, args, kwargs, kind) {
    return new PyInstance(cls, args, kind, kind === "newobj_ex" ? kwargsAsPyDict(kwargs) : null);
  },
  build(obj, state) {
    if (isPyInstance(obj)) {
      obj.state = state;
      return;
    }
    throw new UnpicklingError(`'${pyTypeName(obj)}' object has no attribute '__setstate__'`);
  },
};

/**
 * NEWOBJ_EX keyword arguments as the `PyDict` an inert instance keeps, whichever model built
 * the dict (a natural plain object or Map, or a faithful PyDict).
 */
export function kwargsAsPyDict(kwargs: unknown): PyDict {
  if (isPyDict(kwargs)) return kwargs;
  if (kwargs instanceof Map) return new PyDict(kwargs);
  return new PyDict(Object.entries(kwargs as object));
}
