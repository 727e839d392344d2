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
  ValueSource,
  Verdict,
} from "./report.js";
import { worse } from "./report.js";
import { shortRepr } from "./short-repr.js";

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
  verdict: Verdict = "safe";
  /** Index of the pickle being scanned. */
  pickle = 0;
  /** Whether the machine has been handed any marker (a global, call result or persistent object). */
  markers = 0;

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
    /** The byte at an offset of the machine's input (the opcode that called a hook), or -1. */
    private readonly byteAt: (offset: number) => number,
  ) {}

  /**
   * Offset and byte of the opcode the machine is executing. The machine calls hooks with
   * `consumed` just past the opcode byte (its arguments, when it has any, are read after).
   */
  private where(): [offset: number, op: number] {
    const at = (this.decoder?.consumed ?? 0) - 1;
    return [this.base + at, this.byteAt(at)];
  }

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
    let ref = this.seenGlobals.get(key);
    if (ref === undefined) {
      // Python 3 loads protocol 0-2 names through fix_imports; grade what it resolves, and
      // the raw name too when that one is dangerous.
      let resolved: string | null = null;
      let grade = this.policy.grade(module, name);
      if (proto < 3) {
        const [m, n] = fixImportsLoad(module, name);
        if (m !== module || n !== name) {
          resolved = `${m}.${n}`;
          const g = this.policy.grade(m, n);
          if (grade.verdict !== "dangerous") grade = g;
        }
      }
      let { verdict, reason } = grade;
      const effective = resolved ?? `${module}.${name}`;
      if (effective === "builtins.getattr") {
        // getattr rebuilds bound methods (scipy's frozen distributions, enums): each call
        // is graded by what it reads (see getattrVerdict).
        verdict = "known";
        reason = "builtins.getattr: each call is graded by its arguments";
        this.getattrRefs.add(this.globals.length);
      }
      if (extensionCode !== null) {
        verdict = "dangerous";
        reason = `EXT code ${extensionCode} resolves through the loading process's copyreg registry (this registry says ${module}.${name}: ${grade.verdict})`;
      }
      ref = this.globals.length;
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
      this.seenGlobals.set(key, ref);
      this.verdict = worse(this.verdict, verdict);
    }
    this.markers++;
    return new GlobalRef(module, name, ref);
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
  private getattrVerdict(args: readonly unknown[]): [Verdict, string] {
    const [obj, name] = args;
    if (
      (args.length === 2 || args.length === 3) &&
      typeof name === "string" &&
      !name.startsWith("__") &&
      !DANGEROUS_NAMES.has(name) &&
      this.vetted(obj)
    ) {
      return ["known", `getattr reads the plain attribute '${name}' of a vetted object`];
    }
    return ["dangerous", "getattr on an object or name the scan cannot vet"];
  }

  private verdictOf(src: ValueSource, callable: unknown, args: readonly unknown[] = []): [Verdict, string] {
    switch (src.kind) {
      case "global": {
        if (this.getattrRefs.has(src.ref)) return this.getattrVerdict(args);
        const g = this.globals[src.ref] as GlobalFinding;
        return [g.verdict, `calls ${g.module}.${g.name} (${g.verdict})`];
      }
      case "call":
        return ["dangerous", "calls a value an earlier call returned (a callable the pickle computed)"];
      case "persistent":
        return ["dangerous", "calls an object the loader's persistent_load returned"];
      default:
        return ["dangerous", `calls a ${pyTypeName(callable)}`];
    }
  }

  private addCall(
    opcode: CallOpcode,
    offset: number,
    callable: unknown,
    args: readonly unknown[],
    kwargs: unknown,
    override?: [Verdict, string],
  ): number {
    const callableFrom = sourceOf(callable);
    const [verdict, reason] = override ?? this.verdictOf(callableFrom, callable, args);
    this.verdict = worse(this.verdict, verdict);
    const key = `${offset}|${opcode}`;
    const seen = this.seenCalls.get(key);
    if (seen !== undefined) return seen;
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
      callableFrom,
      args: infos,
      verdict,
      reason,
    });
    this.seenCalls.set(key, ref);
    return ref;
  }

  /** The hooks to give the machine. */
  hooks(): DecoderHooks {
    return {
      findClass: (module, name, proto) => {
        const [offset, op] = this.where();
        const opcode: GlobalOpcode =
          op === OP.STACK_GLOBAL ? "STACK_GLOBAL" : op === OP.INST ? "INST" : "GLOBAL";
        return this.addGlobal(module, name, proto, opcode, offset, null);
      },
      extension: (code, proto) => {
        const [offset, op] = this.where();
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
        const [offset] = this.where();
        let ref = this.seenPersistent.get(offset);
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
        const [offset, op] = this.where();
        const opcode: CallOpcode = op === OP.INST ? "INST" : op === OP.OBJ ? "OBJ" : "REDUCE";
        if (!isPyGlobal(callable) && !isPyInstance(callable)) {
          // as the loader (and Python): calling data fails here
          throw new UnpicklingError(`'${pyTypeName(callable)}' object is not callable`);
        }
        const ref = this.addCall(opcode, offset, callable, args, null);
        this.markers++;
        return new CallResult(callable, args, "reduce", ref);
      },
      isClass: (v) => {
        if (isPyGlobal(v)) return true;
        if (isPyInstance(v)) {
          // The loader refuses a computed class; Python accepts any type an earlier call
          // returned, so a load there is out of the scan's sight.
          const [offset, op] = this.where();
          this.note(
            "dangerous",
            `${op === OP.NEWOBJ_EX ? "NEWOBJ_EX" : "NEWOBJ"} on a class an earlier call returned (computed by the pickle)`,
            offset,
          );
        }
        return false;
      },
      newObj: (cls, args, kwargs, kind) => {
        const [offset] = this.where();
        const ref = this.addCall(kind === "newobj" ? "NEWOBJ" : "NEWOBJ_EX", offset, cls, args, kwargs);
        this.markers++;
        return new CallResult(cls, args, kind, ref);
      },
      build: (obj, state) => {
        const [offset] = this.where();
        if (obj instanceof CallResult) {
          const cls = obj.cls;
          const src = sourceOf(cls);
          const [verdict, reason] =
            src.kind === "global"
              ? this.verdictOf(src, cls)
              : ["dangerous" as Verdict, "sets the state of an object of a computed class"];
          this.addCall("BUILD", offset, obj, [state], null, [
            verdict,
            reason.replace(/^calls /, "__setstate__ of "),
          ]);
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
          this.addCall("BUILD", offset, obj, [state], null, [
            "dangerous",
            `sets attributes on the global ${obj.module}.${obj.name}`,
          ]);
        }
        throw new UnpicklingError(`'${pyTypeName(obj)}' object has no attribute '__setstate__'`);
      },
    };
  }
}
