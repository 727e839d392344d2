import type { PyDict } from "@x/pyobject";
import { JS_DATE, STANDARD_TYPES } from "./types/index.js";

/**
 * What `__reduce_ex__` returns: the callable (a `PyGlobal`, a registration, or any value the
 * pickler can save), its positional arguments, then optional state (BUILD), list items
 * (APPENDS), dict items (SETITEMS) and state setter, as in CPython.
 */
export type ReduceValue = readonly [
  callable: unknown,
  args: readonly unknown[],
  state?: unknown,
  listItems?: Iterable<unknown> | null,
  dictItems?: Iterable<readonly [unknown, unknown]> | null,
  stateSetter?: unknown,
];

/**
 * One Python class (or function) known to this library, in both directions: the
 * `module`/`name` it has in Python, how its JS instances pickle (`reduce`), and how a
 * pickle that names it is loaded (`call`, `newobj`, `setState`). Loading only ever runs
 * these hooks, never anything the data names.
 */
export interface ClassRegistration<T = unknown> {
  /** Python module, e.g. `"collections"`. */
  readonly module: string;
  /** Python qualified name, e.g. `"OrderedDict"`. */
  readonly name: string;
  /** JS class whose instances pickle through `reduce` (found by exact constructor). */
  readonly jsClass?: abstract new (
    ...args: never[]
  ) => T;
  /**
   * True for CPython static (C) types and builtin functions, whose `__qualname__` is a new str
   * on every access: CPython's identity memo then never shares it, so at protocol 4+ the
   * pickler should write this name fresh (not BINGET an equal str). Python classes leave it unset.
   */
  readonly freshQualname?: boolean;
  /** Pickling: like `obj.__reduce_ex__(protocol)`. */
  reduce?(obj: T, protocol: number): ReduceValue;
  /** Loading REDUCE: `module.name(*args)`. */
  call?(args: unknown[]): unknown;
  /** Loading NEWOBJ/NEWOBJ_EX: `cls.__new__(cls, *args, **kwargs)`. */
  newobj?(args: unknown[], kwargs: PyDict | null): T;
  /** Loading BUILD on an object this registration made: like `obj.__setstate__(state)`. */
  setState?(obj: T, state: unknown): void;
}

/** Registered classes by Python name and by JS class; `defaultRegistry` is the global one. */
export class ClassRegistry {
  private readonly byName = new Map<string, ClassRegistration>();
  private readonly byClass = new Map<unknown, ClassRegistration>();

  constructor(parent?: ClassRegistry) {
    if (parent) {
      for (const r of parent.byName.values()) this.register(r);
      // Registrations found by class only (a JS Date pickles as datetime.datetime, whose name
      // belongs to PyDateTime's registration).
      for (const [cls, r] of parent.byClass) if (!this.byClass.has(cls)) this.byClass.set(cls, r);
    }
  }

  /** Adds (or replaces) a registration; returns it. */
  register<T>(reg: ClassRegistration<T>): ClassRegistration<T> {
    this.byName.set(`${reg.module}\0${reg.name}`, reg as ClassRegistration);
    if (reg.jsClass) this.byClass.set(reg.jsClass, reg as ClassRegistration);
    return reg;
  }

  /**
   * Registers `reg` for instances of its `jsClass` only, leaving its module and name to the
   * registration that owns them (a JS Date pickles as `datetime.datetime`, a name that loads
   * as PyDateTime). Returns it.
   */
  registerClass<T>(reg: ClassRegistration<T>): ClassRegistration<T> {
    if (reg.jsClass) this.byClass.set(reg.jsClass, reg as ClassRegistration);
    return reg;
  }

  unregister(module: string, name: string): boolean {
    const key = `${module}\0${name}`;
    const reg = this.byName.get(key);
    if (!reg) return false;
    this.byName.delete(key);
    if (reg.jsClass && this.byClass.get(reg.jsClass) === reg) this.byClass.delete(reg.jsClass);
    return true;
  }

  /** The registration for a Python global, or undefined. */
  lookup(module: string, name: string): ClassRegistration | undefined {
    return this.byName.get(`${module}\0${name}`);
  }

  /** The registration whose `jsClass` is exactly `obj`'s constructor, or undefined. */
  lookupInstance(obj: object): ClassRegistration | undefined {
    return this.byClass.get(obj.constructor);
  }
}

/**
 * The process-wide registry that `Pickler` and `Unpickler` use unless given their own; it
 * starts with the standard types (`STANDARD_TYPES`: datetime, Decimal, Fraction, collections,
 * UUID, range, slice, SimpleNamespace). `new ClassRegistry()` starts empty.
 */
export const defaultRegistry = new ClassRegistry();
for (const r of STANDARD_TYPES) defaultRegistry.register(r);
defaultRegistry.registerClass(JS_DATE);
