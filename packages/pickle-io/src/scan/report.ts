/**
 * The report `scan` returns: plain data (JSON-serializable), one entry per global the
 * pickle resolves, per call it would make and per persistent id, each with its verdict.
 */

/**
 * A finding's grade, from best to worst: `safe` (a builtin container or a standard type this
 * library rebuilds), `known` (a curated data-only global of numpy, pandas, scikit-learn,
 * scipy or torch), `unknown` (anything else: importing its module and calling it runs code
 * nobody vetted), `dangerous` (runs code, imports modules, touches files, processes or
 * sockets, resolves names, or mutates global state).
 */
export type Verdict = "safe" | "known" | "unknown" | "dangerous";

/** Verdicts in order of severity (index = rank). */
export const VERDICTS: readonly Verdict[] = ["safe", "known", "unknown", "dangerous"];

/** The worse of two verdicts. */
export function worse(a: Verdict, b: Verdict): Verdict {
  return VERDICTS.indexOf(a) >= VERDICTS.indexOf(b) ? a : b;
}

/** The opcode that resolved a global. */
export type GlobalOpcode = "GLOBAL" | "STACK_GLOBAL" | "INST" | "EXT1" | "EXT2" | "EXT4";

/** One resolution of a global (`find_class(module, name)` in Python). */
export interface GlobalFinding {
  /** Module and qualified name as the pickle names them. */
  readonly module: string;
  readonly name: string;
  /**
   * What Python 3 resolves them to when they differ: protocols < 3 map Python 2 names
   * (`__builtin__` -> `builtins`, `copy_reg` -> `copyreg`, ...), as `fix_imports` does.
   */
  readonly resolved: string | null;
  readonly opcode: GlobalOpcode;
  /** Byte offset of that opcode in the scanned input. */
  readonly offset: number;
  /** Index of the pickle in the input (files may hold several). */
  readonly pickle: number;
  /**
   * `literal`: written in the opcode's argument (GLOBAL, INST); `stack`: STACK_GLOBAL's
   * strings, which the pickle may have built anywhere (e.g. fetched from the memo);
   * `extension`: an EXT code, resolved by the loading process's copyreg registry.
   */
  readonly nameFrom: "literal" | "stack" | "extension";
  /** The EXT code, for EXT1/EXT2/EXT4. */
  readonly extensionCode: number | null;
  readonly verdict: Verdict;
  /** Why it got its verdict (which list, which rule). */
  readonly reason: string;
}

/** Where a call's callable or argument came from. */
export type ValueSource =
  /** A value the pickle wrote or built from data (ints, strings, containers of them). */
  | { readonly kind: "data" }
  /** A global; `ref` indexes `ScanReport.globals`. */
  | { readonly kind: "global"; readonly ref: number }
  /** What an earlier call returned; `ref` indexes `ScanReport.calls` (-1 when not recorded). */
  | { readonly kind: "call"; readonly ref: number }
  /** What the loader's `persistent_load` returned; `ref` indexes `ScanReport.persistentIds`. */
  | { readonly kind: "persistent"; readonly ref: number };

/** An argument (or BUILD's state) of a call: a short repr and its origin. */
export interface ArgumentInfo {
  readonly repr: string;
  readonly from: ValueSource;
}

/** The opcodes that call Python code. BUILD calls `__setstate__` or sets attributes. */
export type CallOpcode = "REDUCE" | "NEWOBJ" | "NEWOBJ_EX" | "INST" | "OBJ" | "BUILD";

/** One call the pickle makes when loaded. */
export interface CallFinding {
  readonly opcode: CallOpcode;
  readonly offset: number;
  readonly pickle: number;
  /** The callable (for NEWOBJ the class; for BUILD the object whose state is set), as a short repr. */
  readonly callable: string;
  readonly callableFrom: ValueSource;
  /** Positional arguments (for BUILD: the state); keyword arguments of NEWOBJ_EX last, as `name=repr`. */
  readonly args: readonly ArgumentInfo[];
  readonly verdict: Verdict;
  readonly reason: string;
  /**
   * For a call that deserializes bytes it is given (`pickle.loads`, `_pickle.loads`,
   * `torch.storage._load_from_bytes`, ...): the scan of those bytes, nested a few levels deep.
   */
  readonly nested: ScanReport | null;
}

/** One persistent id (PERSID/BINPERSID): the loader's `persistent_load` decides what it is. */
export interface PersistentIdFinding {
  readonly offset: number;
  readonly pickle: number;
  readonly repr: string;
  /** The persistent id itself may name globals (torch: the storage class); those are graded as globals. */
  readonly from: ValueSource;
  readonly verdict: Verdict;
}

/** Why scanning stopped before the end of the input (the loader stops at the same opcode). */
export interface ScanStop {
  readonly message: string;
  /** Byte offset of the opcode that failed, when known. */
  readonly offset: number | null;
  readonly pickle: number;
}

/** What `scan` returns. */
export interface ScanReport {
  /** The worst verdict over every finding; `dangerous` too when scanning lost track (see README). */
  readonly verdict: Verdict;
  /** The container the pickles were found in. */
  readonly format: "pickle" | "npy";
  /** How many pickles were scanned (complete or not). */
  readonly pickles: number;
  readonly globals: readonly GlobalFinding[];
  /** Resolutions of already-listed names not listed because `maxGlobals` was reached. */
  readonly globalsOmitted: number;
  readonly calls: readonly CallFinding[];
  /** Calls not listed because `maxCalls` was reached (they are still graded). */
  readonly callsOmitted: number;
  readonly persistentIds: readonly PersistentIdFinding[];
  /** Findings about the pickle's structure rather than one global (e.g. lost track). */
  readonly notes: readonly {
    readonly verdict: Verdict;
    readonly message: string;
    readonly offset: number | null;
  }[];
  /** Set when the input is not fully readable as pickles (truncated, malformed, not a pickle). */
  readonly error: ScanStop | null;
}
