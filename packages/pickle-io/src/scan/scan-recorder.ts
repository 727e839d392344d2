/**
 * The scanning hooks: what the opcode machine asks its host for (globals, persistent ids,
 * extension codes, calls, BUILD), answered with inert markers while every request is
 * recorded and graded. The machine itself is the loader's, so the memo, MARK, STACK_GLOBAL,
 * INST/OBJ, EXT codes and BUILD resolve exactly as in a load; these hooks mirror the
 * loader's inert ones (same values accepted, same errors), so a scan stops where a load does.
 */
import { type DecoderHooks, OP, type PickleDecoder, UnpicklingError } from "@x/pickle-core";
import { isPyGlobal, isPyInstance, pyTypeName } from "@x/pyobject";
import { fixImportsLoad } from "../compat-pickle.js";
import type { ExtensionRegistry } from "../extension-registry.js";
import { DANGEROUS_NAMES, type GlobalPolicy } from "./allow-list.js";
import { CallResult, GlobalRef, PersistentRef, sourceOf } from "./markers.js";
import type {
  ArgumentInfo,
  CallFinding,
  CallOpcode,
  GlobalFinding,
  GlobalOpcode,
  PersistentIdFinding,
  ScanReport,
  Verdict,
} from "./report.js";
import { worse } from "./report.js";
import { shortRepr } from "./short-repr.js";

const GETATTR_REASON = "builtins.getattr: each call is graded by its arguments";

/**
 * Vetted functions that call some of their arguments (by position): a computed value there
 * is a hidden call. Keys are the names Python 3 resolves.
 */
const CALLS_ARGUMENTS: ReadonlyMap<string, readonly number[]> = new Map([
  ["copyreg._reconstructor", [0, 1]],
  ["copyreg.__newobj__", [0]],
  ["copyreg.__newobj_ex__", [0]],
  ["torch._tensor._rebuild_from_type_v2", [0, 1]],
  ["numpy.core.multiarray._reconstruct", [0]],
  ["numpy._core.multiarray._reconstruct", [0]],
  ["numpy.ma.core._mareconstruct", [0, 1]],
  ["numpy.random._pickle.__randomstate_ctor", [1]], // an instance as the first argument is kept, not called
  ["numpy.random._pickle.__generator_ctor", [1]],
  ["numpy.random._pickle.__bit_generator_ctor", [0]],
  ["numpy.random.bit_generator.__pyx_unpickle_SeedSequence", [0]],
  ["pandas._libs.arrays.__pyx_unpickle_NDArrayBacked", [0]],
  ["pandas.core.indexes.base._new_Index", [0]],
  ["pandas.core.indexes.datetimes._new_DatetimeIndex", [0]],
  ["pandas.core.indexes.interval._new_IntervalIndex", [0]],
  ["pandas.core.indexes.period._new_PeriodIndex", [0]],
  ["sklearn.metrics._dist_metrics.newObj", [0]],
  ["sklearn.neighbors._kd_tree.newObj", [0]],
  ["sklearn.neighbors._ball_tree.newObj", [0]],
]);

/** Functions that unpickle the bytes they are given: their argument is scanned too. */
const NESTED_LOADERS: ReadonlySet<string> = new Set([
  "pickle.loads",
  "pickle._loads",
  "_pickle.loads",
  "torch.storage._load_from_bytes",
  "dill.loads",
  "dill._dill.loads",
  "cloudpickle.loads",
]);

/** Arguments listed per call (the rest are counted). */
const MAX_ARGS = 8;

type Note = { verdict: Verdict; message: string; offset: number | null };

/** Collects the findings of one scan (every pickle of the input, every pass). */
export class ScanRecorder {
  readonly globals: GlobalFinding[] = [];
  readonly calls: CallFinding[] = [];
  readonly persistentIds: PersistentIdFinding[] = [];
  readonly notes: Note[] = [];
  callsOmitted = 0;
  globalsOmitted = 0;
  /** The first listed finding of each global name (for the ones past `maxGlobals`). */
  private readonly firstByName = new Map<string, number>();
  verdict: Verdict = "safe";
  /** Index of the pickle being scanned. */
  pickle = 0;
  /** Whether the machine has been handed any marker (a global, call result or persistent object). */
  markers = 0;

  /** Whether findings may repeat (the second, shared-memo pass): then dedupe by offset. */
  dedupe = false;
  /** Grades by name (a pickle names the same few globals many times). */
  private readonly grades = new Map<string, { verdict: Verdict; reason: string; resolved: string | null }>();
  /** Dedupe across the two memo passes: the same opcode at the same offset is one finding. */
  private readonly seenGlobals = new Map<string, number>();
  private readonly seenCalls = new Map<string, number>();
  private readonly seenPersistent = new Map<number, number>();
  private readonly seenNotes = new Set<string>();
  /** Globals that are builtins.getattr (graded per call). */
  private readonly getattrRefs = new Set<number>();

  decoder: PickleDecoder | null = null;
  /** Offset of the machine's input in the scanned input (the `.npy` header before a pickle). */
  base = 0;

  constructor(
    private readonly policy: GlobalPolicy,
    private readonly extensions: ExtensionRegistry,
    private readonly maxCalls: number,
    private readonly maxGlobals: number,
    /** The byte at an offset of the machine's input (the opcode that called a hook), or -1. */
    private readonly byteAt: (offset: number) => number,
    /** Scans a nested pickle (null when too deep). */
    private readonly scanNested: (bytes: Uint8Array) => ScanReport | null,
  ) {}

  /**
   * Offset and byte of the opcode the machine is executing. The machine calls hooks with
   * `consumed` just past the opcode byte (its arguments, when it has any, are read after).
   */
  private where(): void {
    const at = (this.decoder?.consumed ?? 0) - 1;
    this.at = this.base + at;
    this.op = this.byteAt(at);
  }
  /** Offset and byte of the current opcode, set by {@link where}. */
  private at = 0;
  private op = 0;
  /** BUILD's state as a one-item argument list, reused. */
  private readonly one: unknown[] = [null];

  note(verdict: Verdict, message: string, offset: number | null): void {
    const key = `${offset}|${message}`;
    if (this.seenNotes.has(key)) return;
    this.seenNotes.add(key);
    this.notes.push({ verdict, message, offset });
    this.verdict = worse(this.verdict, verdict);
  }

  private addGlobal(
    module: string,
    name: string,
    proto: number,
    opcode: GlobalOpcode,
    offset: number,
    extensionCode: number | null,
  ): GlobalRef {
    const key = `${offset}|${module}\0${name}`;
    let ref = this.dedupe ? this.seenGlobals.get(key) : undefined;
    if (ref === undefined && this.globals.length >= this.maxGlobals) {
      // past the cap, a name already listed is only counted (its grade is the listed one's)
      ref = this.firstByName.get(`${extensionCode ?? ""}\0${module}\0${name}`);
      if (ref !== undefined) this.globalsOmitted++;
    }
    if (ref === undefined) {
      const { verdict, reason, resolved } = this.gradeGlobal(module, name, proto, extensionCode);
      ref = this.globals.length;
      if (verdict === "known" && reason === GETATTR_REASON) this.getattrRefs.add(ref);
      this.globals.push({
        module,
        name,
        resolved,
        opcode,
        offset,
        pickle: this.pickle,
        nameFrom: extensionCode !== null ? "extension" : opcode === "STACK_GLOBAL" ? "stack" : "literal",
        extensionCode,
        verdict,
        reason,
      });
      if (this.dedupe) this.seenGlobals.set(key, ref);
      const nameKey = `${extensionCode ?? ""}\0${module}\0${name}`;
      if (!this.firstByName.has(nameKey)) this.firstByName.set(nameKey, ref);
      if (verdict !== this.verdict) this.verdict = worse(this.verdict, verdict);
    }
    this.markers++;
    return new GlobalRef(module, name, ref);
  }

  private gradeGlobal(
    module: string,
    name: string,
    proto: number,
    extensionCode: number | null,
  ): { verdict: Verdict; reason: string; resolved: string | null } {
    const key = `${proto < 3 ? 2 : 3}\0${extensionCode ?? ""}\0${module}\0${name}`;
    let g = this.grades.get(key);
    if (g !== undefined) return g;
    // Python 3 loads protocol 0-2 names through fix_imports; grade what it resolves, and
    // the raw name too when that one is dangerous.
    let resolved: string | null = null;
    let grade = this.policy.grade(module, name);
    if (proto < 3) {
      const [m, n] = fixImportsLoad(module, name);
      if (m !== module || n !== name) {
        resolved = `${m}.${n}`;
        if (grade.verdict !== "dangerous") grade = this.policy.grade(m, n);
      }
    }
    let { verdict, reason } = grade;
    if ((resolved ?? `${module}.${name}`) === "builtins.getattr") {
      // getattr rebuilds bound methods (scipy's frozen distributions, enums): each call
      // is graded by what it reads (see getattrVerdict).
      verdict = "known";
      reason = GETATTR_REASON;
    }
    if (extensionCode !== null) {
      verdict = "dangerous";
      reason = `EXT code ${extensionCode} resolves through the loading process's copyreg registry (this registry says ${module}.${name}: ${grade.verdict})`;
    }
    g = { verdict, reason, resolved };
    this.grades.set(key, g);
    return g;
  }

  /** Whether `v` is a global or an object of a class the policy grades safe or known (not a getattr result). */
  private vetted(v: unknown): boolean {
    const cls = v instanceof CallResult ? v.cls : v;
    if (!(cls instanceof GlobalRef) || this.getattrRefs.has(cls.ref)) return false;
    const verdict = (this.globals[cls.ref] as GlobalFinding).verdict;
    return verdict === "safe" || verdict === "known";
  }

  /**
   * `getattr(obj, name)`: `known` when `obj` is a vetted global or an object of a vetted class
   * and `name` a plain attribute (no dunder, nothing on the dangerous names list); else
   * `dangerous`. What it returns stays a computed value: calling it is dangerous.
   */
  private getattrVerdict(args: readonly unknown[]): Verdict {
    const obj = args[0];
    const name = args[1];
    return (args.length === 2 || args.length === 3) &&
      typeof name === "string" &&
      !name.startsWith("__") &&
      !DANGEROUS_NAMES.has(name) &&
      this.vetted(obj)
      ? "known"
      : "dangerous";
  }

  /**
   * The verdict on calling `callable(*args)`: the callable global's, else dangerous. A vetted
   * function that calls some of its arguments (`copyreg._reconstructor(cls, base, state)` calls
   * `base.__new__` and `base.__init__`) is dangerous when those arguments are values the
   * pickle computed: it would make, inside a vetted call, a call nothing vetted.
   */
  private verdictOf(callable: unknown, args: readonly unknown[]): Verdict {
    if (callable instanceof GlobalRef) {
      if (this.getattrRefs.has(callable.ref)) return this.getattrVerdict(args);
      const g = this.globals[callable.ref] as GlobalFinding;
      const called = CALLS_ARGUMENTS.get(g.resolved ?? `${g.module}.${g.name}`);
      if (called !== undefined) {
        for (const i of called) {
          const a = args[i];
          if (a instanceof CallResult || a instanceof PersistentRef) return "dangerous";
          if (a instanceof GlobalRef && this.getattrRefs.has(a.ref)) return "dangerous";
        }
      }
      return g.verdict;
    }
    return "dangerous";
  }

  /** Why a call got its verdict (only computed for the calls the report lists). */
  private reasonOf(callable: unknown, args: readonly unknown[], verdict: Verdict): string {
    if (callable instanceof GlobalRef) {
      if (this.getattrRefs.has(callable.ref)) {
        return verdict === "known"
          ? `getattr reads the plain attribute '${String(args[1])}' of a vetted object`
          : "getattr on an object or name the scan cannot vet";
      }
      const g = this.globals[callable.ref] as GlobalFinding;
      if (verdict !== g.verdict) {
        return `${callable.module}.${callable.name} would call an argument the pickle computed`;
      }
      return `calls ${callable.module}.${callable.name} (${verdict})`;
    }
    if (callable instanceof CallResult) {
      return "calls a value an earlier call returned (a callable the pickle computed)";
    }
    if (callable instanceof PersistentRef) return "calls an object the loader's persistent_load returned";
    return `calls a ${pyTypeName(callable)}`;
  }

  /** The scan of the pickle a deserializing call is given, or null. */
  private nestedOf(callable: unknown, args: readonly unknown[]): ScanReport | null {
    if (!(callable instanceof GlobalRef)) return null;
    const g = this.globals[callable.ref] as GlobalFinding;
    if (!NESTED_LOADERS.has(g.resolved ?? `${g.module}.${g.name}`)) return null;
    let data = args[0];
    // protocols 0-2 write bytes as _codecs.encode(str, 'latin1')
    if (data instanceof CallResult && data.cls instanceof GlobalRef) {
      const c = data.cls;
      if (
        c.module === "_codecs" &&
        c.name === "encode" &&
        (data.args[1] === "latin1" || data.args[1] === "latin-1")
      ) {
        data = data.args[0];
      }
    }
    if (data instanceof Uint8Array) return this.scanNested(data);
    if (typeof data === "string" && /^[\0-\xff]*$/.test(data)) {
      // a Python 2 str (protocols 0-2 without a bytes opcode): its latin-1 bytes
      return this.scanNested(Uint8Array.from(data, (c) => c.charCodeAt(0)));
    }
    return null;
  }

  /**
   * Grades a call and lists it (up to `maxCalls`); returns its index in `calls`, or -1.
   * `reason` overrides the default explanation.
   */
  private addCall(
    opcode: CallOpcode,
    offset: number,
    callable: unknown,
    args: readonly unknown[],
    kwargs: unknown,
    verdict: Verdict,
    reason: string | null,
  ): number {
    if (verdict !== this.verdict) this.verdict = worse(this.verdict, verdict);
    if (this.dedupe) {
      const seen = this.seenCalls.get(`${offset}|${opcode}`);
      if (seen !== undefined) return seen;
    }
    if (this.calls.length >= this.maxCalls) {
      this.callsOmitted++;
      return -1;
    }
    const infos: ArgumentInfo[] = [];
    for (let i = 0; i < args.length && i < MAX_ARGS; i++) {
      infos.push({ repr: shortRepr(args[i]), from: sourceOf(args[i]) });
    }
    if (args.length > MAX_ARGS)
      infos.push({ repr: `... (${args.length} arguments)`, from: { kind: "data" } });
    if (kwargs !== null && kwargs !== undefined) {
      infos.push({ repr: `**${shortRepr(kwargs)}`, from: { kind: "data" } });
    }
    const ref = this.calls.length;
    this.calls.push({
      opcode,
      offset,
      pickle: this.pickle,
      callable: shortRepr(callable),
      callableFrom: sourceOf(callable),
      args: infos,
      verdict,
      reason: reason ?? this.reasonOf(callable, args, verdict),
      nested: this.nestedOf(callable, args),
    });
    if (this.dedupe) this.seenCalls.set(`${offset}|${opcode}`, ref);
    return ref;
  }

  /** The hooks to give the machine. */
  hooks(): DecoderHooks {
    return {
      findClass: (module, name, proto) => {
        this.where();
        const offset = this.at;
        const op = this.op;
        const opcode: GlobalOpcode =
          op === OP.STACK_GLOBAL ? "STACK_GLOBAL" : op === OP.INST ? "INST" : "GLOBAL";
        return this.addGlobal(module, name, proto, opcode, offset, null);
      },
      extension: (code, proto) => {
        this.where();
        const offset = this.at;
        const op = this.op;
        const opcode: GlobalOpcode = op === OP.EXT1 ? "EXT1" : op === OP.EXT2 ? "EXT2" : "EXT4";
        const key = this.extensions.lookupCode(code);
        if (key === undefined) {
          this.note(
            "dangerous",
            `EXT code ${code} names a global through the loading process's copyreg registry, which a scan cannot see`,
            offset,
          );
          throw new UnpicklingError(`unregistered extension code ${code}`);
        }
        return this.addGlobal(key[0], key[1], proto, opcode, offset, code);
      },
      persistentLoad: (pid) => {
        this.where();
        const offset = this.at;
        let ref = this.dedupe ? this.seenPersistent.get(offset) : undefined;
        if (ref === undefined) {
          // torch's ids: ('storage', storage class, key, location, numel) and, in legacy
          // files of whole modules, ('module', module class, file, source); the classes are
          // globals, graded on their own. Other ids mean whatever the application's
          // persistent_load makes of them.
          const torch = Array.isArray(pid) && (pid[0] === "storage" || pid[0] === "module");
          const verdict: Verdict = torch ? "known" : "unknown";
          ref = this.persistentIds.length;
          this.persistentIds.push({
            offset,
            pickle: this.pickle,
            repr: shortRepr(pid),
            from: sourceOf(pid),
            verdict,
          });
          this.seenPersistent.set(offset, ref);
          this.verdict = worse(this.verdict, verdict);
        }
        this.markers++;
        // torch's legacy loader returns the class itself for a module id
        if (Array.isArray(pid) && pid[0] === "module" && pid[1] instanceof GlobalRef) return pid[1];
        return new PersistentRef(ref);
      },
      nextBuffer: () => {
        // Out-of-band buffers are bytes the application passes in: data, never code.
        return new Uint8Array(0);
      },
      reduce: (callable, args) => {
        this.where();
        const offset = this.at;
        const op = this.op;
        const opcode: CallOpcode = op === OP.INST ? "INST" : op === OP.OBJ ? "OBJ" : "REDUCE";
        if (!isPyGlobal(callable) && !isPyInstance(callable)) {
          // as the loader (and Python): calling data fails here
          throw new UnpicklingError(`'${pyTypeName(callable)}' object is not callable`);
        }
        const ref = this.addCall(opcode, offset, callable, args, null, this.verdictOf(callable, args), null);
        this.markers++;
        return new CallResult(callable, args, "reduce", ref);
      },
      isClass: (v) => {
        if (isPyGlobal(v)) return true;
        if (isPyInstance(v)) {
          // The loader refuses a computed class; Python accepts any type an earlier call
          // returned, so a load there is out of the scan's sight.
          this.where();
          const offset = this.at;
          const op = this.op;
          this.note(
            "dangerous",
            `${op === OP.NEWOBJ_EX ? "NEWOBJ_EX" : "NEWOBJ"} on a class an earlier call returned (computed by the pickle)`,
            offset,
          );
        }
        return false;
      },
      newObj: (cls, args, kwargs, kind) => {
        this.where();
        const offset = this.at;
        const ref = this.addCall(
          kind === "newobj" ? "NEWOBJ" : "NEWOBJ_EX",
          offset,
          cls,
          args,
          kwargs,
          this.verdictOf(cls, args),
          null,
        );
        this.markers++;
        return new CallResult(cls, args, kind, ref);
      },
      build: (obj, state) => {
        this.where();
        const offset = this.at;
        const one = this.one;
        one[0] = state;
        if (obj instanceof CallResult) {
          // __setstate__ of the object's class (or the default attribute update)
          const cls = obj.cls;
          const computed = !(cls instanceof GlobalRef) || this.getattrRefs.has(cls.ref);
          const verdict = computed ? "dangerous" : (this.globals[cls.ref] as GlobalFinding).verdict;
          this.addCall(
            "BUILD",
            offset,
            obj,
            one,
            null,
            verdict,
            computed
              ? "sets the state of an object the scan cannot vet (a computed class or an attribute read by getattr)"
              : `__setstate__ of ${cls.module}.${cls.name} (${verdict})`,
          );
          obj.state = state;
          return;
        }
        if (isPyInstance(obj)) {
          obj.state = state;
          return;
        }
        if (isPyGlobal(obj)) {
          // Attribute setting on a global (a class, a function, a module attribute): it
          // changes what later names resolve to, in this load and in the whole process.
          this.addCall(
            "BUILD",
            offset,
            obj,
            one,
            null,
            "dangerous",
            `sets attributes on the global ${obj.module}.${obj.name}`,
          );
        }
        throw new UnpicklingError(`'${pyTypeName(obj)}' object has no attribute '__setstate__'`);
      },
    };
  }
}
