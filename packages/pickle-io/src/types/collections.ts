/**
 * `collections.OrderedDict`, `defaultdict`, `Counter`, `deque` and namedtuple instances.
 *
 * CPython rebuilds the containers by calling the class and then feeding items through
 * SETITEMS/APPENDS, which the opcode machine applies to inert instances; so these classes
 * are `PyInstance`s whose `dictItems`/`listItems` hold the contents. They load with the
 * arguments CPython's `__reduce__` would give (a Python 2 `OrderedDict([[k, v]])` becomes
 * `OrderedDict()` plus items) and dump back byte for byte.
 */
import { PY_REPR, PyGlobal, PyInstance, PyTuple, PyTypeError, pyRepr } from "@x/pyobject";
import type { ClassRegistration } from "../registry.js";
import { asBigInt } from "./hash-math.js";
import { dictEntries, sequenceItems } from "./state.js";

const G_ORDERED_DICT = new PyGlobal("collections", "OrderedDict");
const G_DEFAULT_DICT = new PyGlobal("collections", "defaultdict");
const G_COUNTER = new PyGlobal("collections", "Counter");
const G_DEQUE = new PyGlobal("collections", "deque");

function pairs(entries: Iterable<readonly [unknown, unknown]> | undefined): [unknown, unknown][] | null {
  if (entries === undefined) return null;
  const out: [unknown, unknown][] = [];
  for (const [k, v] of entries) out.push([k, v]);
  return out.length ? out : null;
}

/** `collections.OrderedDict`: its (key, value) pairs in order are `dictItems`. */
export class PyOrderedDict extends PyInstance {
  constructor(entries?: Iterable<readonly [unknown, unknown]>) {
    super(G_ORDERED_DICT, [], "reduce");
    this.dictItems = pairs(entries);
  }
  /** The pairs, in order. */
  entries(): [unknown, unknown][] {
    return this.dictItems ?? [];
  }
  /** The pairs as a JS Map (keys by JS identity). */
  toMap(): Map<unknown, unknown> {
    return new Map(this.entries());
  }
  /** `OrderedDict([('b', 1), ('a', 2)])`, as Python 3.11 prints it. */
  [PY_REPR](): string {
    return guarded(this, "...", () => {
      const items = this.entries();
      if (items.length === 0) return "OrderedDict()";
      return `OrderedDict([${items.map(([k, v]) => `(${pyRepr(k)}, ${pyRepr(v)})`).join(", ")}])`;
    });
  }
}

/** Objects whose repr is being built: Python's reprlib-style guard for containers holding themselves. */
const inRepr = new Set<object>();

function guarded(o: object, recursive: string, f: () => string): string {
  if (inRepr.has(o)) return recursive;
  inRepr.add(o);
  try {
    return f();
  } finally {
    inRepr.delete(o);
  }
}

/** `{k: v, ...}` in the given order. */
function dictText(items: readonly (readonly [unknown, unknown])[]): string {
  return `{${items.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
}

/** `Counter.most_common()` order: counts descending, ties in insertion order; as loaded when unorderable. */
export function mostCommon(items: readonly [unknown, unknown][]): [unknown, unknown][] {
  const num = (v: unknown) =>
    typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" ? Number(v) : undefined;
  if (items.some(([, v]) => num(v) === undefined)) return items.slice();
  return items
    .map((e, i) => [e, i] as const)
    .sort((a, b) => {
      const x = num(a[0][1]) as number;
      const y = num(b[0][1]) as number;
      return x === y ? a[1] - b[1] : y - x;
    })
    .map(([e]) => e);
}

/** `collections.defaultdict`: `defaultFactory` is the factory's global reference (or null). */
export class PyDefaultDict extends PyInstance {
  constructor(
    readonly defaultFactory: unknown = null,
    entries?: Iterable<readonly [unknown, unknown]>,
  ) {
    super(
      G_DEFAULT_DICT,
      defaultFactory === null || defaultFactory === undefined ? [] : [defaultFactory],
      "reduce",
    );
    this.dictItems = pairs(entries);
  }
  entries(): [unknown, unknown][] {
    return this.dictItems ?? [];
  }
  toMap(): Map<unknown, unknown> {
    return new Map(this.entries());
  }
  /** `defaultdict(<class 'list'>, {'a': 1})`, as Python prints it. */
  [PY_REPR](): string {
    return guarded(this, "...", () => {
      const factory =
        this.defaultFactory === null || this.defaultFactory === undefined
          ? "None"
          : pyRepr(this.defaultFactory);
      return `defaultdict(${factory}, ${dictText(this.entries())})`;
    });
  }
}

/** `collections.Counter`: pickled as `Counter(dict(self))`; `counts` is that dict. */
export class PyCounter extends PyInstance {
  constructor(counts: unknown = new Map()) {
    if (dictEntries(counts) === undefined) throw new PyTypeError("Counter: counts must be a dict");
    super(G_COUNTER, [counts], "reduce");
  }
  /** The dict of counts (a Map, plain object or PyDict, as given or loaded). */
  get counts(): unknown {
    return this.args[0];
  }
  entries(): [unknown, unknown][] {
    return dictEntries(this.args[0]) ?? [];
  }
  /** `Counter({'a': 2, 'b': 1})` (most common first) or `Counter()`, as Python prints it. */
  [PY_REPR](): string {
    return guarded(this, "...", () => {
      const items = this.entries();
      return items.length === 0 ? "Counter()" : `Counter(${dictText(mostCommon(items))})`;
    });
  }
}

/** `collections.deque`: its items are `listItems`; `maxlen` is null when unbounded. */
export class PyDeque extends PyInstance {
  readonly maxlen: bigint | null;
  constructor(items?: Iterable<unknown>, maxlen: bigint | number | null = null) {
    const m = maxlen === null ? null : asBigInt(maxlen);
    if (m === undefined || (m !== null && m < 0n))
      throw new PyTypeError("maxlen must be a non-negative integer");
    // CPython: (deque, ()) when unbounded, (deque, ((), maxlen)) otherwise.
    super(G_DEQUE, m === null ? [] : [new PyTuple([]), m], "reduce");
    this.maxlen = m;
    const list = items === undefined ? [] : [...items];
    if (m !== null && BigInt(list.length) > m) list.splice(0, list.length - Number(m));
    this.listItems = list.length ? list : null;
  }
  /** The items, oldest first. */
  get items(): unknown[] {
    return this.listItems ?? [];
  }
  /** `deque([1, 2])` or `deque([1, 2], maxlen=5)`, as Python prints it. */
  [PY_REPR](): string {
    return guarded(this, "[...]", () => {
      const list = `[${this.items.map((x) => pyRepr(x)).join(", ")}]`;
      return this.maxlen === null ? `deque(${list})` : `deque(${list}, maxlen=${this.maxlen})`;
    });
  }
}

/** A namedtuple instance (`module.name(*fields)`), written as CPython does at protocol 2+: NEWOBJ. */
export function namedTuple(module: string, name: string, fields: readonly unknown[]): PyInstance {
  return new PyInstance(new PyGlobal(module, name), fields.slice(), "newobj");
}

export const ORDERED_DICT: ClassRegistration<PyOrderedDict> = {
  module: "collections",
  name: "OrderedDict",
  freshQualname: true,
  call(args) {
    if (args.length > 1) throw new PyTypeError(`expected at most 1 arguments, got ${args.length}`);
    if (args.length === 0) return new PyOrderedDict();
    const src = args[0];
    const d = dictEntries(src);
    if (d !== undefined) return new PyOrderedDict(d);
    return new PyOrderedDict(sequenceItems(src, "OrderedDict").map((p) => pairOf(p, "OrderedDict")));
  },
};

function pairOf(p: unknown, what: string): [unknown, unknown] {
  const items = sequenceItems(p, what);
  if (items.length !== 2) throw new PyTypeError(`${what}: item is not a (key, value) pair`);
  return [items[0], items[1]];
}

export const DEFAULT_DICT: ClassRegistration<PyDefaultDict> = {
  module: "collections",
  name: "defaultdict",
  freshQualname: true,
  call(args) {
    const [factory = null, src] = args;
    const d = src === undefined ? undefined : dictEntries(src);
    if (src !== undefined && d === undefined) {
      return new PyDefaultDict(
        factory,
        sequenceItems(src, "defaultdict").map((p) => pairOf(p, "defaultdict")),
      );
    }
    return new PyDefaultDict(factory, d);
  },
};

export const COUNTER: ClassRegistration<PyCounter> = {
  module: "collections",
  name: "Counter",
  call(args) {
    if (args.length > 1) throw new PyTypeError(`expected at most 1 arguments, got ${args.length}`);
    return new PyCounter(args.length === 0 ? new Map() : args[0]);
  },
};

export const DEQUE: ClassRegistration<PyDeque> = {
  module: "collections",
  name: "deque",
  freshQualname: true,
  call(args) {
    if (args.length > 2) throw new PyTypeError(`deque expected at most 2 arguments, got ${args.length}`);
    const items = args.length > 0 && args[0] !== null ? sequenceItems(args[0], "deque") : [];
    const maxlen = args[1] === undefined || args[1] === null ? null : asBigInt(args[1]);
    if (maxlen === undefined) throw new PyTypeError("an integer is required");
    return new PyDeque(items, maxlen);
  },
};

/** Every registration of the collections module. */
export const COLLECTIONS_TYPES: readonly ClassRegistration[] = [
  ORDERED_DICT,
  DEFAULT_DICT,
  COUNTER,
  DEQUE,
] as ClassRegistration[];
