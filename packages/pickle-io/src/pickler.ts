import {
  DEFAULT_INT_MAX_STR_DIGITS,
  DEFAULT_PROTOCOL,
  HIGHEST_PROTOCOL,
  OP,
  PickleBuffer,
  PickleEncoder,
  type PickleSink,
  PicklingError,
} from "@x/pickle-core";
import {
  brandOf,
  type EntryTable,
  entryTable,
  NotImplemented,
  type PyByteArray,
  type PyComplex,
  PyDict,
  type PyFrozenSet,
  PyGlobal,
  type PyInstance,
  type PySet,
  PyTuple,
  PyValueError,
} from "@x/pyobject";
import { fixImportsDump as reverseFixImports } from "./compat-pickle.js";
import { type DispatchTable, dispatchTable as globalDispatchTable } from "./dispatch-table.js";
import { defaultExtensionRegistry, type ExtensionRegistry } from "./extension-registry.js";
import { GlobalKeys } from "./pickler/global-keys.js";
import {
  FloatValue,
  FreshLatin1Str,
  FreshStr,
  G_BYTEARRAY,
  G_BYTES,
  G_COMPLEX,
  G_ENCODE,
  G_FROZENSET,
  G_GETATTR,
  G_NEWOBJ,
  G_NEWOBJ_EX,
  G_OBJECT,
  G_RECONSTRUCTOR,
  G_SET,
  type ReduceRest,
} from "./pickler/markers.js";
import { PickleMemo } from "./pickler/memo.js";
import type { PicklerOptions } from "./pickler/options.js";
import { allScalar, describeValue, isDetached, isScalar } from "./pickler/value-kinds.js";
import {
  BATCHSIZE,
  batchStart,
  SLOT_STRIDE,
  T_DICT_ITER,
  T_DICT_OBJ,
  T_DONE,
  T_FROZENSET_END,
  T_GLOBAL_END,
  T_ITER_DICT,
  T_ITER_LIST,
  T_LIST,
  T_OP,
  T_POP_STATE,
  T_PYDICT,
  T_REDUCE_END,
  T_SAVE,
  T_SAVE_NOPERS,
  T_SET,
  T_TUPLE_END,
} from "./pickler/work-ops.js";

// The numpy types write some names as fresh str objects, as CPython does.
export { FreshStr } from "./pickler/markers.js";
export type { PicklerOptions } from "./pickler/options.js";

import { type PathFrame, pathTo } from "./pickler-path.js";
import { type ClassRegistration, type ClassRegistry, defaultRegistry } from "./registry.js";

const PY_DICT_PROTO: object = PyDict.prototype;
const PY_TUPLE_PROTO: object = PyTuple.prototype;

/**
 * Python's `pickle.Pickler`: writes CPython 3.11's exact `_pickle` bytes for a value. Subclass
 * it and override `persistentId` / `reducerOverride`, or set `dispatchTable`, as with pickle.py.
 * Without a sink the bytes accumulate and `takeBytes()` returns them (`dumps` does this).
 */
export class Pickler {
  readonly protocol: number;
  readonly fixImports: boolean;
  readonly bufferCallback: ((buffer: PickleBuffer) => unknown) | null;
  readonly faithful: boolean;
  readonly registry: ClassRegistry;
  readonly extensionRegistry: ExtensionRegistry;
  /** Most digits of an int written as text (protocols 0-1); 0: no limit. */
  readonly intMaxStrDigits: number;
  /** Per-pickler reducers by JS class; when undefined the global `dispatchTable` is used. */
  dispatchTable: DispatchTable | undefined = undefined;

  private readonly enc: PickleEncoder;
  /** What was written: objects, strings and globals to memo indexes, and the cycle guard. */
  private readonly memo = new PickleMemo();
  private readonly globalKeys = new GlobalKeys();
  /** The value `save` was last called with: the one a raw error from the runtime is about. */
  private current: unknown = undefined;
  private ops: number[] = [];
  private as: unknown[] = [];
  private bs: unknown[] = [];
  private ns: number[] = [];
  private sp = 0;
  private hasPersistentId = false;
  private hasReducerOverride = false;

  /**
   * @param sink where `dump` writes; omit it to collect the bytes for `takeBytes()`.
   * @param buffer scratch space to start writing in (grown as needed; see `buffer`).
   * @throws PyValueError for a protocol above 5, `bufferCallback` below protocol 5, or an
   *   `intMaxStrDigits` that is neither 0 nor at least 640.
   */
  constructor(sink?: PickleSink | null, options: Readonly<PicklerOptions> = {}, buffer?: Uint8Array) {
    let protocol = options.protocol ?? DEFAULT_PROTOCOL;
    if (!Number.isInteger(protocol))
      throw new PyValueError(`pickle protocol must be an integer: ${protocol}`);
    if (protocol < 0) protocol = HIGHEST_PROTOCOL;
    else if (protocol > HIGHEST_PROTOCOL) {
      throw new PyValueError(`pickle protocol must be <= ${HIGHEST_PROTOCOL}`);
    }
    const bufferCallback = options.bufferCallback ?? null;
    if (bufferCallback !== null && protocol < 5) {
      throw new PyValueError("buffer_callback needs protocol >= 5");
    }
    this.protocol = protocol;
    this.fixImports = (options.fixImports ?? true) && protocol < 3;
    this.bufferCallback = bufferCallback;
    this.faithful = options.model === "faithful";
    this.registry = options.registry ?? defaultRegistry;
    this.extensionRegistry = options.extensionRegistry ?? defaultExtensionRegistry;
    this.enc = new PickleEncoder(protocol, sink ?? undefined, buffer);
    const maxDigits = options.intMaxStrDigits ?? DEFAULT_INT_MAX_STR_DIGITS;
    if (!Number.isInteger(maxDigits) || (maxDigits !== 0 && maxDigits < 640))
      throw new PyValueError("maxdigits must be 0 or larger than 640");
    this.intMaxStrDigits = maxDigits;
    this.enc.intMaxStrDigits = maxDigits;
  }

  /**
   * Like `persistent_id(obj)`: return `undefined`/`null` to pickle `obj` normally, anything
   * else to write that id instead (BINPERSID, or PERSID text at protocol 0). Called for every
   * value, as CPython does, once overridden.
   */
  persistentId(_obj: unknown): unknown {
    return undefined;
  }

  /**
   * Like `reducer_override(obj)`: called for values that are not of a builtin Python type
   * (class instances, globals, inert instances, complex...). Return a `ReduceValue` to use it,
   * or `NotImplemented`/`undefined` to fall back to the dispatch table and registry.
   */
  reducerOverride(_obj: unknown): unknown {
    return NotImplemented;
  }

  /** Forgets which objects were written, as `clear_memo()`. */
  clearMemo(): void {
    this.memo.clear();
  }

  /**
   * Writes one pickle of `obj` (PROTO, frames, STOP) to the sink or the internal buffer.
   * @throws PicklingError for a value that cannot be pickled, naming the path to it.
   */
  dump(obj: unknown): void {
    this.hasPersistentId = this.persistentId !== Pickler.prototype.persistentId;
    this.hasReducerOverride = this.reducerOverride !== Pickler.prototype.reducerOverride;
    const enc = this.enc;
    const start = enc.written;
    try {
      enc.start();
      this.push(T_SAVE, obj, undefined, 0);
      this.run();
      enc.stop();
      enc.flush();
    } catch (e) {
      const err = this.runtimeError(e);
      // Leave the pickler reusable: drop the partial pickle and the work stack.
      enc.truncate(enc.sink ? 0 : start);
      this.sp = 0;
      this.ops.length = this.as.length = this.bs.length = this.ns.length = 0;
      this.memo.inProgress.clear();
      this.memo.freshLists.clear();
      this.current = undefined;
      throw err;
    }
  }

  /**
   * A TypeError V8 raises on a value that cannot be read (a revoked Proxy, a typed array over a
   * detached ArrayBuffer) as a PicklingError naming the path to it; other errors unchanged.
   */
  private runtimeError(e: unknown): unknown {
    if (!(e instanceof TypeError) || !/revoked|detached/.test(e.message)) return e;
    const why = /revoked/.test(e.message) ? "it is a revoked Proxy" : "its ArrayBuffer is detached";
    const err = this.cannotPickle(this.current, why);
    (err as { cause?: unknown }).cause = e;
    return err;
  }

  /** The current output buffer (it may have grown past the one given), for reuse as scratch. */
  get buffer(): Uint8Array {
    return this.enc.buf;
  }

  /** @internal Bytes of the buffers kept for writing the next pickle in. */
  get scratchBytes(): number {
    return this.enc.scratchBytes;
  }

  /** @internal Drops the buffers kept for writing the next pickle in (see `scratchBytes`). */
  releaseScratch(): void {
    this.enc.releaseScratch();
  }

  /** The bytes written since the last call (no sink only). */
  takeBytes(): Uint8Array {
    const out = this.enc.finish();
    this.enc.reset();
    return out;
  }

  private push(op: number, a: unknown, b: unknown, n: number): void {
    const sp = this.sp++;
    this.ops[sp] = op;
    this.as[sp] = a;
    this.bs[sp] = b;
    this.ns[sp] = n;
  }

  private run(): void {
    const enc = this.enc;
    const ops = this.ops;
    const as = this.as;
    const bs = this.bs;
    const ns = this.ns;
    while (this.sp > 0) {
      const top = --this.sp;
      const op = ops[top]!;
      const a = as[top];
      const b = bs[top];
      const n = ns[top]!;
      // Release references as the stack shrinks; steps may push into this slot again.
      as[top] = undefined;
      bs[top] = undefined;
      switch (op) {
        case T_SAVE:
          this.save(a, false);
          break;
        case T_SAVE_NOPERS:
          this.save(a, true);
          break;
        case T_OP:
          enc.byte(n);
          break;
        case T_LIST:
          this.stepList(a as unknown[], n);
          break;
        case T_DICT_OBJ:
          this.stepDictObj(a as Record<string, unknown>, b as string[], n);
          break;
        case T_DICT_ITER:
          this.stepDictIter(a, b as Iterator<[unknown, unknown]>, n);
          break;
        case T_PYDICT:
          this.stepPyDict(a as object, b as EntryTable, n);
          break;
        case T_SET:
          this.stepSet(a, b as Iterator<unknown>);
          break;
        case T_ITER_LIST:
          this.stepIterList(a, b as Iterator<unknown>);
          break;
        case T_ITER_DICT:
          this.stepIterDict(a, b as Iterator<unknown>);
          break;
        case T_TUPLE_END:
          this.endTuple(a as PyTuple, n, b as boolean);
          break;
        case T_FROZENSET_END:
          this.memo.inProgress.delete(a);
          if (this.memo.objects.get(a) >= 0) {
            enc.byte(OP.POP_MARK);
            enc.get(this.memo.objects.get(a));
          } else {
            enc.byte(OP.FROZENSET);
            this.memoPut(a);
          }
          break;
        case T_REDUCE_END:
          this.endReduce(a, b as ReduceRest);
          break;
        case T_GLOBAL_END:
          if (n === 1) enc.byte(OP.STACK_GLOBAL);
          this.memo.globals.set(a as string, this.memo.size++);
          enc.put(this.memo.size - 1);
          break;
        case T_POP_STATE:
          enc.byte(OP.POP);
          break;
        case T_DONE:
          break;
      }
    }
  }

  private enter(v: unknown, why: string): void {
    const grown = this.memo.size - this.memo.freshPuts;
    if (this.memo.inProgress.get(v) === grown) throw this.cannotPickle(v, why);
    this.memo.inProgress.set(v, grown);
  }

  private memoPut(obj: unknown): void {
    this.memo.objects.add(obj, this.memo.size);
    this.enc.put(this.memo.size++);
  }

  /** CPython's save(): one value. */
  private save(v: unknown, persSave: boolean): void {
    const enc = this.enc;
    this.current = v;
    enc.opcodeBoundary();
    if (this.hasPersistentId && !persSave && this.savePers(v)) return;
    switch (typeof v) {
      case "number":
        if (!this.faithful && Number.isInteger(v) && (v !== 0 || 1 / v > 0)) enc.int(v);
        else enc.float(v);
        return;
      case "string": {
        const idx = this.memo.strings.getOrPut(v, this.memo.size);
        if (idx >= 0) enc.get(idx);
        else {
          enc.str(v);
          enc.put(this.memo.size++);
        }
        return;
      }
      case "boolean":
        enc.bool(v);
        return;
      case "bigint":
        enc.bigint(v);
        return;
      case "undefined":
        enc.byte(OP.NONE);
        return;
      case "object":
        if (v === null) {
          enc.byte(OP.NONE);
          return;
        }
        this.saveObject(v);
        return;
      default:
        this.saveOther(v);
    }
  }

  private saveObject(v: object): void {
    const enc = this.enc;
    // The Map's get inline (V8 would not inline a method holding it into this large function).
    const om = this.memo.objects;
    const idx = om.big ? om.map.get(v) : om.scan(v);
    if (idx !== undefined && idx >= 0) {
      enc.get(idx);
      return;
    }
    this.saveNewObject(v);
  }

  /** `saveObject` for an object the memo does not hold. */
  private saveNewObject(v: object): void {
    const enc = this.enc;
    if (Array.isArray(v)) {
      this.saveList(v);
      return;
    }
    // The common kinds by prototype (one load and compares); then plain objects: no model
    // class, Map, Set or typed array has Object.prototype.
    const proto = Object.getPrototypeOf(v);
    if (proto === PY_DICT_PROTO) {
      this.savePyDict(v as PyDict);
      return;
    }
    if (proto === PY_TUPLE_PROTO) {
      this.saveTuple(v as PyTuple);
      return;
    }
    if (proto === Object.prototype || proto === null) {
      if (this.asRegistration(v) === undefined) this.saveObjectDict(v as Record<string, unknown>);
      else this.saveOther(v);
      return;
    }
    if (v instanceof Uint8Array) {
      if (v.length === 0 && isDetached(v)) throw this.cannotPickle(v, "its ArrayBuffer is detached");
      if (v.length <= 1) {
        // CPython shares b"" and each 1-byte bytes object, so equal ones are one memo entry.
        const key = v.length === 0 ? 256 : v[0]!;
        const canon = this.memo.smallBytes.get(key);
        if (canon === undefined) this.memo.smallBytes.set(key, v);
        else {
          const i = this.memo.objects.get(canon);
          if (i >= 0) {
            enc.get(i);
            return;
          }
        }
      }
      this.saveBytes(v);
      return;
    }
    const brand = brandOf(v);
    if (brand !== undefined) {
      switch (brand) {
        case "tuple":
          this.saveTuple(v as PyTuple);
          return;
        case "dict":
          this.savePyDict(v as PyDict);
          return;
        case "set":
          this.saveSet(v, (v as PySet).size, (v as PySet).values());
          return;
        case "frozenset":
          this.saveFrozenSet(v as PyFrozenSet);
          return;
        case "bytearray":
          this.saveByteArray(v as PyByteArray);
          return;
      }
      this.saveOther(v);
      return;
    }
    if (v instanceof Map) {
      this.saveDict(v, v.size, v.entries());
      return;
    }
    if (v instanceof Set) {
      this.saveSet(v, v.size, v.values());
      return;
    }
    if (PickleBuffer.isInstance(v)) {
      this.savePickleBuffer(v);
      return;
    }
    this.saveOther(v);
  }

  /** Values of no builtin Python type: reducer_override, globals, dispatch table, registry. */
  private saveOther(v: unknown): void {
    if (v instanceof FreshStr) {
      this.enc.str(v.s);
      this.memoPut(v);
      return;
    }
    if (v instanceof FreshLatin1Str) {
      if (this.enc.bin) this.enc.latin1Str(v.bytes);
      else this.enc.str(v.s);
      this.memoPut(v);
      return;
    }
    if (v instanceof FloatValue) {
      this.enc.float(v.x);
      return;
    }
    const brand = brandOf(v);
    if (brand === "global" && !this.hasReducerOverride) {
      // Before the registration check: a PyGlobal that is also a registration saves the same.
      this.saveGlobal((v as PyGlobal).module, (v as PyGlobal).name);
      return;
    }
    const reg = this.asRegistration(v);
    if (reg !== undefined) {
      this.saveGlobal(reg.module, reg.name);
      return;
    }
    if (this.hasReducerOverride) {
      const rv = this.reducerOverride(v);
      if (rv !== NotImplemented && rv !== undefined) {
        this.saveReduceValue(rv, v);
        return;
      }
    }
    if (brand === "global") {
      this.saveGlobal((v as PyGlobal).module, (v as PyGlobal).name);
      return;
    }
    if (brand === "ellipsis") {
      this.saveGlobal("builtins", "Ellipsis");
      return;
    }
    if (brand === "notimplemented") {
      this.saveGlobal("builtins", "NotImplemented");
      return;
    }
    if ((typeof v === "object" && v !== null) || typeof v === "function") {
      const ctor = (v as { constructor?: unknown }).constructor;
      const table = this.dispatchTable ?? globalDispatchTable;
      const reducer = typeof ctor === "function" ? table.get(ctor) : undefined;
      if (reducer !== undefined) {
        this.saveReduceValue(reducer(v), v);
        return;
      }
      if (brand === "complex") {
        const c = v as PyComplex;
        this.saveReduce(G_COMPLEX, [new FloatValue(c.real), new FloatValue(c.imag)], v, null);
        return;
      }
      if (brand === "instance") {
        this.saveInstance(v as PyInstance);
        return;
      }
      const reg = typeof v === "object" ? this.registry.lookupInstance(v as object) : undefined;
      if (reg?.reduce) {
        this.saveReduceValue(reg.reduce(v, this.protocol), v, reg);
        return;
      }
    }
    throw this.cannotPickle(v);
  }

  /** `v` when it is a registration of this pickler's registry (it stands for its Python class). */
  private asRegistration(v: unknown): ClassRegistration | undefined {
    const r = v as ClassRegistration;
    if (typeof r.module !== "string" || typeof r.name !== "string") return undefined;
    return this.registry.lookup(r.module, r.name) === r ? r : undefined;
  }

  private cannotPickle(v: unknown, why?: string): PicklingError {
    let what: string;
    try {
      what = describeValue(v);
    } catch {
      what = "'Proxy' object"; // a revoked Proxy throws on any property read
    }
    const path = pathTo(this.frames(), v);
    return new PicklingError(`Can't pickle ${what} at ${path}${why ? `: ${why}` : ""}`);
  }

  private frames(): PathFrame[] {
    const out: PathFrame[] = [];
    for (let i = 0; i < this.sp; i++) {
      const op = this.ops[i]!;
      if (
        op === T_LIST ||
        op === T_DICT_OBJ ||
        op === T_DICT_ITER ||
        op === T_PYDICT ||
        op === T_SET ||
        op === T_DONE
      ) {
        out.push(this.as[i]);
      } else if (op === T_TUPLE_END || op === T_FROZENSET_END || op === T_REDUCE_END) {
        if (this.as[i] !== null) out.push(this.as[i]);
      } else if (op === T_ITER_LIST || op === T_ITER_DICT) out.push(this.as[i]);
    }
    return out;
  }

  private savePers(v: unknown): boolean {
    const pid = this.persistentId(
      v instanceof FreshStr || v instanceof FreshLatin1Str ? v.s : v instanceof FloatValue ? v.x : v,
    );
    if (pid === undefined || pid === null) return false;
    if (this.enc.bin) {
      this.push(T_OP, undefined, undefined, OP.BINPERSID);
      this.push(T_SAVE_NOPERS, pid, undefined, 0);
    } else {
      let text: string;
      if (typeof pid === "string") text = pid;
      else if (typeof pid === "bigint" || (typeof pid === "number" && Number.isInteger(pid)))
        text = String(pid);
      else throw new PicklingError("persistent IDs in protocol 0 must be ASCII strings");
      this.enc.persid(text);
    }
    return true;
  }

  private saveList(v: unknown[]): void {
    const enc = this.enc;
    if (enc.bin) enc.byte(OP.EMPTY_LIST);
    else enc.byte2(OP.MARK, OP.LIST);
    this.memoPut(v);
    if (this.memo.freshLists.size !== 0 && this.memo.freshLists.delete(v)) this.memo.freshPuts++;
    if (v.length !== 0) this.push(T_LIST, v, undefined, 0);
  }

  /**
   * One step of batch_list_exact. `n >= 0`: a batch starts at item n; `n < 0`: inside the batch,
   * next item `-n - 1` (batches start at multiples of 1000). Scalars are saved inline (they never
   * push work); the first container item suspends the batch behind it.
   */
  private stepList(v: unknown[], n: number): void {
    const len = v.length;
    if (!this.enc.bin) {
      // Protocol 0: one APPEND per item.
      if (n >= len) return;
      this.push(T_LIST, v, undefined, n + 1);
      this.push(T_OP, undefined, undefined, OP.APPEND);
      this.push(T_SAVE, v[n], undefined, 0);
      return;
    }
    let i: number;
    if (n >= 0) {
      if (n >= len) return;
      if (len === 1) {
        this.push(T_DONE, v, undefined, 0);
        this.push(T_OP, undefined, undefined, OP.APPEND);
        this.push(T_SAVE, v[0], undefined, 0);
        return;
      }
      this.enc.byte(OP.MARK);
      i = n;
    } else {
      i = -n - 1;
    }
    const end = Math.min(batchStart(i, n) + BATCHSIZE, len);
    const inline = !this.hasPersistentId;
    const enc = this.enc;
    while (i < end) {
      const x = v[i++];
      const t = typeof x;
      if (typeof x === "number" && inline) {
        // Numbers, the bulk of numeric lists: no memo, no error path.
        if (this.faithful && enc.bin) {
          i = enc.binFloats(v, i - 1, end);
          continue;
        }
        enc.opcodeBoundary();
        if (!this.faithful && Number.isInteger(x) && (x !== 0 || 1 / x > 0)) enc.int(x);
        else enc.float(x);
        continue;
      }
      if (inline && (x === null || (t !== "object" && t !== "function" && t !== "symbol"))) {
        this.save(x, false);
        continue;
      }
      if (inline && t === "object") {
        // One memo lookup decides (as save's): a shared object is a GET here, with no trip
        // through save; a new one is saved without looking it up again.
        this.current = x;
        enc.opcodeBoundary();
        const om = this.memo.objects;
        const idx = om.big ? om.map.get(x as object) : om.scan(x);
        if (idx !== undefined && idx >= 0) {
          enc.get(idx);
          continue;
        }
        this.push(T_LIST, v, undefined, -i - 1);
        const base = this.sp;
        this.saveNewObject(x as object);
        if (this.sp !== base) return;
        this.sp = base - 1;
        this.as[base - 1] = undefined;
        continue;
      }
      this.push(T_LIST, v, undefined, -i - 1);
      if (!this.saveInline(x)) return;
    }
    this.enc.byte(OP.APPENDS);
    if (i < len) this.push(T_LIST, v, undefined, i);
  }

  private saveObjectDict(v: Record<string, unknown>): void {
    const enc = this.enc;
    if (enc.bin) enc.byte(OP.EMPTY_DICT);
    else enc.byte2(OP.MARK, OP.DICT);
    this.memoPut(v);
    const keys = Object.keys(v);
    const symbols = Object.getOwnPropertySymbols(v);
    if (symbols.length !== 0) {
      throw this.cannotPickle(v, `its key ${String(symbols[0])} is a symbol, which has no Python form`);
    }
    if (keys.length !== 0) this.push(T_DICT_OBJ, v, keys, 0);
  }

  /** One step of batch_dict_exact over a plain object's keys; `n` as in `stepList`. */
  private stepDictObj(v: Record<string, unknown>, keys: string[], n: number): void {
    const len = keys.length;
    if (!this.enc.bin || len === 1) {
      // Protocol 0: one SETITEM per pair; a one-item dict: SETITEM.
      if (n >= len) return;
      this.push(T_DICT_OBJ, v, keys, n + 1);
      this.push(T_OP, undefined, undefined, OP.SETITEM);
      const k = keys[n]!;
      this.push(T_SAVE, v[k], undefined, 0);
      this.push(T_SAVE, k, undefined, 0);
      return;
    }
    let i: number;
    if (n >= 0) {
      // A full batch is followed by another, even an empty one (CPython's do/while).
      this.enc.byte(OP.MARK);
      i = n;
    } else {
      i = -n - 1;
    }
    const start = batchStart(i, n);
    const end = Math.min(start + BATCHSIZE, len);
    const inline = !this.hasPersistentId;
    while (i < end) {
      const k = keys[i++]!;
      const x = v[k];
      const t = typeof x;
      if (inline && (x === null || (t !== "object" && t !== "function" && t !== "symbol"))) {
        this.save(k, false);
        this.save(x, false);
        continue;
      }
      this.push(T_DICT_OBJ, v, keys, -i - 1);
      if (!this.savePairInline(k, x)) return;
    }
    this.enc.byte(OP.SETITEMS);
    if (end - start === BATCHSIZE) this.push(T_DICT_OBJ, v, keys, end);
  }

  private savePyDict(v: PyDict): void {
    const t = entryTable(v);
    if (t === undefined) {
      // A PyDict of another copy of @x/pyobject: its public iterator.
      this.saveDict(v, v.size, v.entries());
      return;
    }
    const enc = this.enc;
    if (enc.bin) enc.byte(OP.EMPTY_DICT);
    else enc.byte2(OP.MARK, OP.DICT);
    this.memoPut(v);
    const size = v.size;
    if (size !== 0) this.push(T_PYDICT, v, t, enc.bin && size !== 1 ? 0 : -1);
  }

  private saveDict(v: object, size: number, entries: Iterator<[unknown, unknown]>): void {
    const enc = this.enc;
    if (enc.bin) enc.byte(OP.EMPTY_DICT);
    else enc.byte2(OP.MARK, OP.DICT);
    this.memoPut(v);
    if (size !== 0) this.push(T_DICT_ITER, v, entries, enc.bin && size !== 1 ? 0 : -1);
  }

  /**
   * One step of batch_dict_exact over a Map or PyDict, iterated as it is saved (PyDict_Next).
   * `n < 0`: one SETITEM per pair (protocol 0, or a one-item dict); else `n` pairs of the current
   * batch are saved (0: its MARK is not written yet; BATCHSIZE: its SETITEMS is due). Scalar pairs
   * are saved inline; the first container key or value suspends the batch behind it.
   */
  private stepDictIter(v: unknown, it: Iterator<[unknown, unknown]>, n: number): void {
    if (n < 0) {
      const r = it.next();
      if (r.done) return;
      this.push(T_DICT_ITER, v, it, -1);
      this.push(T_OP, undefined, undefined, OP.SETITEM);
      this.push(T_SAVE, r.value[1], undefined, 0);
      this.push(T_SAVE, r.value[0], undefined, 0);
      return;
    }
    const enc = this.enc;
    const inline = !this.hasPersistentId;
    let i = n;
    for (;;) {
      if (i === BATCHSIZE) {
        // A full batch is followed by another, even an empty one (CPython's do/while).
        enc.byte(OP.SETITEMS);
        i = 0;
      }
      if (i === 0) enc.byte(OP.MARK);
      const r = it.next();
      if (r.done) {
        enc.byte(OP.SETITEMS);
        return;
      }
      const k = r.value[0];
      const x = r.value[1];
      i++;
      if (inline && isScalar(k) && isScalar(x)) {
        this.save(k, false);
        this.save(x, false);
        continue;
      }
      this.push(T_DICT_ITER, v, it, i);
      if (!this.savePairInline(k, x)) return;
    }
  }

  /**
   * Saves `x` now, the caller's continuation just pushed below it. True when `x` pushed no work
   * (a memo GET, a scalar, an empty container...): the continuation is dropped and the caller
   * goes on in its loop instead of a round trip through the work stack.
   */
  private saveInline(x: unknown): boolean {
    const base = this.sp;
    this.save(x, false);
    if (this.sp !== base) return false;
    const top = base - 1;
    this.sp = top;
    this.as[top] = undefined;
    this.bs[top] = undefined;
    return true;
  }

  /** `saveInline` for a key and its value (the value waits on the stack while the key saves). */
  private savePairInline(k: unknown, x: unknown): boolean {
    const base = this.sp;
    this.push(T_SAVE, x, undefined, 0);
    this.save(k, false);
    if (this.sp !== base + 1) return false;
    this.sp = base;
    this.as[base] = undefined;
    return this.saveInline(x);
  }

  /**
   * stepDictIter over a PyDict's entry table, slot by slot (no generator, no pair arrays):
   * `n < 0`: SETITEM mode, next slot `-n - 1`; else `n` is `slot * SLOT_STRIDE + count`, count
   * as stepDictIter's `n`.
   */
  private stepPyDict(v: object, t: EntryTable, n: number): void {
    if (n < 0) {
      let slot = -n - 1;
      const keys = t.keys;
      while (slot < keys.length && !t.isLive(slot)) slot++;
      if (slot >= keys.length) return;
      this.push(T_PYDICT, v, t, -slot - 2);
      this.push(T_OP, undefined, undefined, OP.SETITEM);
      this.push(T_SAVE, t.values[slot], undefined, 0);
      this.push(T_SAVE, keys[slot], undefined, 0);
      return;
    }
    const enc = this.enc;
    const inline = !this.hasPersistentId;
    let slot = Math.floor(n / SLOT_STRIDE);
    let i = n - slot * SLOT_STRIDE;
    for (;;) {
      if (i === BATCHSIZE) {
        // A full batch is followed by another, even an empty one (CPython's do/while).
        enc.byte(OP.SETITEMS);
        i = 0;
      }
      if (i === 0) enc.byte(OP.MARK);
      // Read through the table each time: a reducer may have changed the dict.
      const keys = t.keys;
      while (slot < keys.length && !t.isLive(slot)) slot++;
      if (slot >= keys.length) {
        enc.byte(OP.SETITEMS);
        return;
      }
      const k = keys[slot];
      const x = t.values[slot];
      slot++;
      i++;
      if (inline && isScalar(k) && isScalar(x)) {
        this.save(k, false);
        this.save(x, false);
        continue;
      }
      this.push(T_PYDICT, v, t, slot * SLOT_STRIDE + i);
      if (!this.savePairInline(k, x)) return;
    }
  }

  private takeBatch<T>(it: Iterator<T>): T[] {
    const batch: T[] = [];
    while (batch.length < BATCHSIZE) {
      const r = it.next();
      if (r.done) break;
      batch.push(r.value);
    }
    return batch;
  }

  private saveSet(v: object, size: number, values: Iterator<unknown>): void {
    if (this.protocol < 4) {
      // `set(list(items))`: a JS Set holding itself (no Python set can) would recurse forever.
      const items = Array.from({ [Symbol.iterator]: () => values });
      this.memo.freshLists.add(items);
      this.saveReduce(G_SET, [items], v, null, "set contains itself");
      return;
    }
    this.enc.byte(OP.EMPTY_SET);
    this.memoPut(v);
    if (size !== 0) this.push(T_SET, v, values, 0);
  }

  private stepSet(v: unknown, it: Iterator<unknown>): void {
    this.enc.byte(OP.MARK);
    const batch = this.takeBatch(it);
    this.push(batch.length === BATCHSIZE ? T_SET : T_DONE, v, it, 0);
    this.push(T_OP, undefined, undefined, OP.ADDITEMS);
    for (let j = batch.length - 1; j >= 0; j--) this.push(T_SAVE, batch[j], undefined, 0);
  }

  private saveFrozenSet(v: PyFrozenSet): void {
    if (this.protocol < 4) {
      const items = Array.from(v);
      this.memo.freshLists.add(items);
      this.saveReduce(G_FROZENSET, [items], v, null, "frozenset contains itself");
      return;
    }
    this.enter(v, "frozenset contains itself");
    this.enc.byte(OP.MARK);
    this.push(T_FROZENSET_END, v, undefined, 0);
    const items = Array.from(v);
    for (let j = items.length - 1; j >= 0; j--) this.push(T_SAVE, items[j], undefined, 0);
  }

  private saveTuple(v: PyTuple): void {
    const enc = this.enc;
    const items = v.items;
    const len = items.length;
    if (len === 0) {
      if (enc.bin) enc.byte(OP.EMPTY_TUPLE);
      else enc.byte2(OP.MARK, OP.TUPLE);
      return;
    }
    const marked = !(len <= 3 && this.protocol >= 2);
    if (!this.hasPersistentId && allScalar(items)) {
      // No item can lead back to the tuple: no recursion guard, no work pushed.
      if (marked) enc.byte(OP.MARK);
      for (let j = 0; j < len; j++) this.save(items[j], false);
      if (!marked) enc.byte(len === 1 ? OP.TUPLE1 : len === 2 ? OP.TUPLE2 : OP.TUPLE3);
      else enc.byte(OP.TUPLE);
      this.memoPut(v);
      return;
    }
    this.enter(v, "tuple contains itself");
    if (marked) enc.byte(OP.MARK);
    this.push(T_TUPLE_END, v, marked, len);
    for (let j = len - 1; j >= 0; j--) this.push(T_SAVE, items[j], undefined, 0);
  }

  private endTuple(v: PyTuple, len: number, marked: boolean): void {
    const enc = this.enc;
    this.memo.inProgress.delete(v);
    const idx = this.memo.objects.get(v);
    if (idx >= 0) {
      // Recursive: the tuple was memoized while its items were saved. Drop the items, GET it.
      if (!marked) for (let i = 0; i < len; i++) enc.byte(OP.POP);
      else if (enc.bin) enc.byte(OP.POP_MARK);
      else for (let i = 0; i <= len; i++) enc.byte(OP.POP);
      enc.get(idx);
      return;
    }
    if (!marked) enc.byte(len === 1 ? OP.TUPLE1 : len === 2 ? OP.TUPLE2 : OP.TUPLE3);
    else enc.byte(OP.TUPLE);
    this.memoPut(v);
  }

  private saveBytes(v: Uint8Array): void {
    if (this.protocol < 3) {
      // Python 2 has no bytes: `_codecs.encode(latin1 text, "latin1")`, or `bytes()` when empty.
      if (v.length === 0) this.saveReduce(G_BYTES, [], v, null);
      else {
        // One-char latin-1 strs are CPython's cached singletons; longer ones are new objects.
        const text = v.length === 1 ? String.fromCharCode(v[0]!) : new FreshLatin1Str(v);
        this.saveReduce(G_ENCODE, [text, "latin1"], v, null);
      }
      return;
    }
    this.enc.bytesObject(v);
    this.memoPut(v);
  }

  private saveByteArray(v: PyByteArray): void {
    if (this.protocol < 5) {
      if (v.bytes.length === 0) this.saveReduce(G_BYTEARRAY, [], v, null);
      else this.saveReduce(G_BYTEARRAY, [v.bytes.slice()], v, null);
      return;
    }
    this.enc.bytearray8(v.bytes);
    this.memoPut(v);
  }

  private savePickleBuffer(v: PickleBuffer): void {
    if (this.protocol < 5) throw this.cannotPickle(v, "PickleBuffer can only be pickled with protocol >= 5");
    const data = v.raw();
    let inBand = true;
    if (this.bufferCallback !== null) inBand = Boolean(this.bufferCallback(v));
    const enc = this.enc;
    if (inBand) {
      if (v.readonly) enc.bytesObject(data);
      else enc.bytearray8(data);
      this.memoPut(v);
    } else {
      enc.byte(OP.NEXT_BUFFER);
      if (v.readonly) enc.byte(OP.READONLY_BUFFER);
    }
  }

  /** save_global: EXT code, STACK_GLOBAL, getattr reduce for dotted names, or GLOBAL text. */
  private saveGlobal(module: string, name: string): void {
    const enc = this.enc;
    const key = this.globalKeys.key(module, name);
    const idx = this.memo.globals.get(key);
    if (idx !== undefined) {
      enc.get(idx);
      return;
    }
    if (this.protocol >= 2) {
      const code = this.extensionRegistry.codeFor(module, name);
      if (code !== undefined) {
        if (code <= 0 || code > 0x7fffffff) {
          throw new PicklingError(`Can't pickle ${module}.${name}: extension code ${code} is out of range`);
        }
        enc.ext(code);
        return;
      }
    }
    const dot = name.lastIndexOf(".");
    if (this.protocol >= 4) {
      this.push(T_GLOBAL_END, key, undefined, 1);
      // CPython memoizes by identity: a C type's `__qualname__` is a new str on each access,
      // so it is never shared with an equal str (e.g. `datetime.datetime` writes 'datetime' twice).
      const fresh = this.registry.lookup(module, name)?.freshQualname === true;
      this.push(T_SAVE, fresh ? new FreshStr(name) : name, undefined, 0);
      this.push(T_SAVE, module, undefined, 0);
      return;
    }
    if (dot >= 0) {
      // `getattr(parent, lastname)` for a nested qualified name below protocol 4.
      this.push(T_GLOBAL_END, key, undefined, 0);
      this.saveReduce(G_GETATTR, [new PyGlobal(module, name.slice(0, dot)), name.slice(dot + 1)], null, null);
      return;
    }
    let m = module;
    let n = name;
    if (this.fixImports) [m, n] = reverseFixImports(module, name);
    enc.global(m, n);
    this.memo.globals.set(key, this.memo.size);
    enc.put(this.memo.size++);
  }

  /** An inert instance written back as CPython wrote it (REDUCE, NEWOBJ, NEWOBJ_EX). */
  private saveInstance(v: PyInstance): void {
    const rest: ReduceRest = {
      listItems: v.listItems ? v.listItems[Symbol.iterator]() : null,
      dictItems: v.dictItems ? v.dictItems[Symbol.iterator]() : null,
      state: v.state,
      stateSetter: undefined,
    };
    if (v.kind === "reduce") {
      this.saveReduce(v.cls, v.args, v, rest);
    } else if (v.kind === "newobj" && this.protocol < 2 && v.args.length === 0) {
      // CPython's `object.__reduce_ex__` below protocol 2: `copyreg._reconstructor(cls, object, None)`.
      this.saveReduce(G_RECONSTRUCTOR, [v.cls, G_OBJECT, null], v, rest);
    } else if (v.kind === "newobj") {
      this.saveReduce(G_NEWOBJ, [v.cls, ...v.args], v, rest);
    } else {
      this.saveReduce(G_NEWOBJ_EX, [v.cls, new PyTuple(v.args.slice()), v.kwargs ?? new Map()], v, rest);
    }
  }

  /** Checks a `ReduceValue` (or a global name) as save() and save_reduce() do, then saves it. */
  private saveReduceValue(rv: unknown, obj: unknown, reg?: ClassRegistration): void {
    if (typeof rv === "string") {
      const module = reg?.module ?? (brandOf(obj) === "global" ? (obj as PyGlobal).module : undefined);
      if (module === undefined)
        throw this.cannotPickle(obj, "a reducer returned a name but the module is unknown");
      this.saveGlobal(module, rv);
      return;
    }
    let items: readonly unknown[];
    if (Array.isArray(rv)) items = rv;
    else if (brandOf(rv) === "tuple") items = (rv as PyTuple).items;
    else throw this.cannotPickle(obj, "__reduce__ must return a string or tuple");
    if (items.length < 2 || items.length > 6) {
      throw this.cannotPickle(obj, "tuple returned by __reduce__ must contain 2 through 6 elements");
    }
    const callable = items[0];
    const args = items[1];
    let argList: readonly unknown[];
    if (Array.isArray(args)) argList = args;
    else if (brandOf(args) === "tuple") argList = (args as PyTuple).items;
    else throw this.cannotPickle(obj, "second item of the tuple returned by __reduce__ must be a tuple");
    const iter = (x: unknown, what: string): Iterator<unknown> | null => {
      if (x === undefined || x === null) return null;
      const f = (x as { [Symbol.iterator]?: unknown })[Symbol.iterator];
      if (typeof f !== "function")
        throw this.cannotPickle(
          obj,
          `${what} element of the tuple returned by __reduce__ must be an iterator`,
        );
      return (f as () => Iterator<unknown>).call(x);
    };
    const rest: ReduceRest = {
      state: items[2],
      listItems: iter(items[3], "fourth"),
      dictItems: iter(items[4], "fifth"),
      stateSetter: items[5] ?? undefined,
    };
    this.saveReduce(callable, argList, obj, rest);
  }

  /** save_reduce(): callable and args (NEWOBJ/NEWOBJ_EX forms at protocol 2+), memo, items, state. */
  private saveReduce(
    callable: unknown,
    args: readonly unknown[],
    obj: unknown,
    rest: ReduceRest | null,
    why = "its reduce value contains itself",
  ): void {
    if (obj !== null) this.enter(obj, why);
    this.push(T_REDUCE_END, obj, rest, 0);
    const name = brandOf(callable) === "global" ? (callable as PyGlobal).name : "";
    const last = name.slice(name.lastIndexOf(".") + 1);
    if (this.protocol >= 2 && last === "__newobj_ex__") {
      if (args.length !== 3) {
        throw this.cannotPickle(
          obj,
          `length of the NEWOBJ_EX argument tuple must be exactly 3, not ${args.length}`,
        );
      }
      const [cls, a, kw] = args;
      if (this.protocol < 4) {
        throw this.cannotPickle(obj, "NEWOBJ_EX below protocol 4 (functools.partial) is not supported");
      }
      this.push(T_OP, undefined, undefined, OP.NEWOBJ_EX);
      this.push(T_SAVE, kw, undefined, 0);
      this.push(T_SAVE, Array.isArray(a) ? new PyTuple(a.slice()) : a, undefined, 0);
      this.push(T_SAVE, cls, undefined, 0);
      return;
    }
    if (this.protocol >= 2 && last === "__newobj__") {
      if (args.length < 1) throw this.cannotPickle(obj, "__newobj__ arglist is empty");
      this.push(T_OP, undefined, undefined, OP.NEWOBJ);
      this.push(T_SAVE, new PyTuple(args.slice(1)), undefined, 0);
      this.push(T_SAVE, args[0], undefined, 0);
      return;
    }
    this.push(T_OP, undefined, undefined, OP.REDUCE);
    this.push(T_SAVE, new PyTuple(args.slice()), undefined, 0);
    this.push(T_SAVE, callable, undefined, 0);
  }

  private endReduce(obj: unknown, rest: ReduceRest | null): void {
    const enc = this.enc;
    if (obj !== null) {
      this.memo.inProgress.delete(obj);
      const idx = this.memo.objects.get(obj);
      if (idx >= 0) {
        // Recursive through its own arguments: drop the new object, GET the memoized one.
        enc.byte(OP.POP);
        enc.get(idx);
        return;
      }
      this.memoPut(obj);
    }
    if (rest === null) return;
    const state = rest.state;
    if (state !== undefined && state !== null) {
      if (rest.stateSetter === undefined || rest.stateSetter === null) {
        this.push(T_OP, undefined, undefined, OP.BUILD);
        this.push(T_SAVE, state, undefined, 0);
      } else {
        // state_setter(obj, state) through REDUCE, its result popped: stack-neutral.
        this.push(T_POP_STATE, undefined, undefined, 0);
        this.push(T_OP, undefined, undefined, OP.REDUCE);
        this.push(T_OP, undefined, undefined, OP.TUPLE2);
        this.push(T_SAVE, state, undefined, 0);
        this.push(T_SAVE, obj, undefined, 0);
        this.push(T_SAVE, rest.stateSetter, undefined, 0);
      }
    }
    if (rest.dictItems) this.push(T_ITER_DICT, obj, rest.dictItems, 0);
    if (rest.listItems) this.push(T_ITER_LIST, obj, rest.listItems, 0);
  }

  /** batch_list(): generic items (reduce listitems); a lone last item uses APPEND. */
  private stepIterList(obj: unknown, it: Iterator<unknown>): void {
    if (!this.enc.bin) {
      const r = it.next();
      if (r.done) return;
      this.push(T_ITER_LIST, obj, it, 0);
      this.push(T_OP, undefined, undefined, OP.APPEND);
      this.push(T_SAVE, r.value, undefined, 0);
      return;
    }
    const batch = this.takeBatch(it);
    if (batch.length === 0) return;
    if (batch.length === 1) {
      this.push(T_OP, undefined, undefined, OP.APPEND);
      this.push(T_SAVE, batch[0], undefined, 0);
      return;
    }
    this.enc.byte(OP.MARK);
    this.push(batch.length === BATCHSIZE ? T_ITER_LIST : T_DONE, obj, it, 0);
    this.push(T_OP, undefined, undefined, OP.APPENDS);
    for (let j = batch.length - 1; j >= 0; j--) this.push(T_SAVE, batch[j], undefined, 0);
  }

  /** batch_dict(): generic pairs (reduce dictitems); a lone last pair uses SETITEM. */
  private stepIterDict(obj: unknown, it: Iterator<unknown>): void {
    const pair = (x: unknown): readonly [unknown, unknown] => {
      if (Array.isArray(x) && x.length === 2) return x as [unknown, unknown];
      if (brandOf(x) === "tuple" && (x as PyTuple).items.length === 2)
        return (x as PyTuple).items as [unknown, unknown];
      throw this.cannotPickle(obj, "dict items iterator must return 2-tuples");
    };
    if (!this.enc.bin) {
      const r = it.next();
      if (r.done) return;
      const [k, x] = pair(r.value);
      this.push(T_ITER_DICT, obj, it, 0);
      this.push(T_OP, undefined, undefined, OP.SETITEM);
      this.push(T_SAVE, x, undefined, 0);
      this.push(T_SAVE, k, undefined, 0);
      return;
    }
    const batch = this.takeBatch(it).map(pair);
    if (batch.length === 0) return;
    if (batch.length === 1) {
      this.push(T_OP, undefined, undefined, OP.SETITEM);
      this.push(T_SAVE, batch[0]![1], undefined, 0);
      this.push(T_SAVE, batch[0]![0], undefined, 0);
      return;
    }
    this.enc.byte(OP.MARK);
    this.push(batch.length === BATCHSIZE ? T_ITER_DICT : T_DONE, obj, it, 0);
    this.push(T_OP, undefined, undefined, OP.SETITEMS);
    for (let j = batch.length - 1; j >= 0; j--) {
      this.push(T_SAVE, batch[j]![1], undefined, 0);
      this.push(T_SAVE, batch[j]![0], undefined, 0);
    }
  }
}
