/**
 * The lists `scan` grades globals by. An allow-list decides what is fine (`safe`, `known`);
 * everything else is `unknown`; the dangerous list only sharpens `unknown` into `dangerous`
 * for the globals that run code, import modules, touch files, processes or sockets, or
 * resolve names. A global missing from the dangerous list is still never `safe`.
 *
 * Entries are written `module:name` (the name may be a dotted qualname); `module:*` stands
 * for every name in the module and its submodules.
 */
import { BUILTIN_TYPE_NAMES } from "../builtin-types.js";
import type { Verdict } from "./report.js";

/** Builtin containers and the standard types `@x/pickle-io` rebuilds: their pickles are data. */
export const SAFE_GLOBALS: readonly string[] = [
  ...[...BUILTIN_TYPE_NAMES, "slice", "range", "Ellipsis", "NotImplemented"].map((n) => `builtins:${n}`),
  // how object.__reduce_ex__ and Python 2 bytes pickles rebuild objects: data only
  "copyreg:_reconstructor",
  "copyreg:__newobj__",
  "copyreg:__newobj_ex__",
  "_codecs:encode",
  "collections:OrderedDict",
  "collections:defaultdict",
  "collections:Counter",
  "collections:deque",
  "datetime:date",
  "datetime:time",
  "datetime:datetime",
  "datetime:timedelta",
  "datetime:timezone",
  "decimal:Decimal",
  "fractions:Fraction",
  "uuid:UUID",
  "uuid:SafeUUID",
  "types:SimpleNamespace",
];

/**
 * Data-only globals numpy, pandas, scikit-learn, scipy and torch write for their ordinary
 * objects (arrays, dtypes, random states, frames, indexes, extension arrays, estimators,
 * sparse matrices, tensors, storages, modules). Found by pickling those objects with each
 * library (test/scan-ecosystem.test.ts keeps checking it).
 */
export const KNOWN_GLOBALS: readonly string[] = [
  // numpy 1.x (numpy.core) and 2.x (numpy._core)
  ...["numpy.core", "numpy._core"].flatMap((core) => [
    `${core}.multiarray:_reconstruct`,
    `${core}.multiarray:scalar`,
    `${core}.numeric:_frombuffer`,
  ]),
  "numpy:ndarray",
  "numpy:vectorize",
  "numpy:dtype",
  "numpy.ma.core:MaskedArray",
  "numpy.ma.core:_mareconstruct",
  "numpy.ma:MaskedArray",
  "numpy.random._pickle:__randomstate_ctor",
  "numpy.random._pickle:__generator_ctor",
  "numpy.random._pickle:__bit_generator_ctor",
  "numpy.random.bit_generator:SeedSequence",
  "numpy.random.bit_generator:__pyx_unpickle_SeedSequence",
  "numpy.random._mt19937:MT19937",
  "numpy.random._pcg64:PCG64",
  "numpy.random._pcg64:PCG64DXSM",
  "numpy.random._philox:Philox",
  "numpy.random._sfc64:SFC64",
  "numpy.random.mtrand:RandomState",
  "numpy.random._generator:Generator",
  // numpy scalar types, written as classes (e.g. an estimator's dtype=np.float64)
  ...[
    "bool_",
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "intc",
    "uintc",
    "int_",
    "uint",
    "longlong",
    "ulonglong",
    "float16",
    "float32",
    "float64",
    "longdouble",
    "float128",
    "complex64",
    "complex128",
    "clongdouble",
    "complex256",
    "object_",
    "str_",
    "bytes_",
    "void",
    "datetime64",
    "timedelta64",
  ].map((n) => `numpy:${n}`),
  // scipy.sparse matrices and arrays, under their private modules (1.8+) and the old ones
  ...["csr", "csc", "coo", "lil", "dok", "dia", "bsr"].flatMap((f) =>
    [`scipy.sparse._${f}`, `scipy.sparse.${f}`, "scipy.sparse"].flatMap((m) => [
      `${m}:${f}_matrix`,
      `${m}:${f}_array`,
    ]),
  ),
  // pandas (1.x and 2.x)
  "pandas._libs.arrays:__pyx_unpickle_NDArrayBacked",
  "pandas._libs.internals:_unpickle_block",
  "pandas._libs.tslibs.nattype:__nat_unpickle",
  "pandas._libs.tslibs.timedeltas:_timedelta_unpickle",
  "pandas._libs.tslibs.timestamps:_unpickle_timestamp",
  "pandas.core.indexes.base:_new_Index",
  "pandas.core.indexes.datetimes:_new_DatetimeIndex",
  "pandas.core.indexes.interval:_new_IntervalIndex",
  "pandas.core.indexes.period:_new_PeriodIndex",
  "pandas.core.internals.blocks:new_block",
  "pytz:_UTC",
  "pytz:_p",
  // scikit-learn: Cython extension types rebuilt by their generated helper
  "sklearn.metrics._dist_metrics:newObj",
  "sklearn.neighbors._kd_tree:newObj",
  "sklearn.neighbors._ball_tree:newObj",
  // torch (legacy and zip formats share the pickle)
  "torch._utils:_rebuild_tensor_v2",
  "torch._utils:_rebuild_tensor",
  "torch._utils:_rebuild_parameter",
  "torch._utils:_rebuild_parameter_with_state",
  "torch._utils:_rebuild_sparse_tensor",
  "torch._utils:_rebuild_qtensor",
  "torch._utils:_rebuild_meta_tensor_no_storage",
  "torch._tensor:_rebuild_from_type_v2",
  "torch:Size",
  "torch:Tensor",
  "torch:device",
  "torch:dtype",
  "torch.storage:UntypedStorage",
  "torch.storage:TypedStorage",
  "torch:UntypedStorage",
  ...[
    "Float",
    "Double",
    "Half",
    "BFloat16",
    "Long",
    "Int",
    "Short",
    "Char",
    "Byte",
    "Bool",
    "ComplexFloat",
    "ComplexDouble",
    "QUInt8",
    "QInt8",
    "QInt32",
    "QUInt4x2",
    "QUInt2x4",
  ].map((n) => `torch:${n}Storage`),
  ...[
    "float16",
    "float32",
    "float64",
    "bfloat16",
    "half",
    "float",
    "double",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
    "complex64",
    "complex128",
    "long",
    "int",
    "short",
    "cfloat",
    "cdouble",
    "qint8",
    "quint8",
    "qint32",
  ].map((n) => `torch:${n}`),
  "torch:contiguous_format",
  "torch:channels_last",
  "torch:preserve_format",
  "torch:strided",
  "torch:sparse_coo",
];

/**
 * Modules whose classes (names starting with a capital letter, possibly after `_`) are
 * data-only: constructing them stores their arguments. Functions in them stay `unknown`.
 */
export const KNOWN_CLASS_MODULES: readonly string[] = [
  "pandas",
  "sklearn",
  "scipy.sparse",
  "scipy.stats",
  "torch.nn.modules",
  "torch.nn.parameter",
  "torch.optim",
];

/** Submodules of {@link KNOWN_CLASS_MODULES} whose classes do more than hold data. */
const KNOWN_CLASS_EXCLUDED: readonly string[] = [
  "pandas.io",
  "pandas.util",
  "pandas.testing",
  "pandas._testing",
  "pandas.core.computation",
  "sklearn.utils._testing",
  "sklearn.datasets",
  "sklearn.externals",
  "torch.optim.lr_scheduler",
];

/**
 * Globals that run code, import modules, read or write files, start processes, open sockets,
 * resolve names, deserialize nested data or debug: graded `dangerous` wherever they appear.
 */
export const DANGEROUS_GLOBALS: readonly string[] = [
  // whole modules
  ...[
    "os",
    "posix",
    "nt",
    "posixpath",
    "ntpath",
    "subprocess",
    "_posixsubprocess",
    "pty",
    "sys",
    "importlib",
    "_imp",
    "imp",
    "_frozen_importlib",
    "_frozen_importlib_external",
    "zipimport",
    "pkgutil",
    "pydoc",
    "marshal",
    "pickle",
    "_pickle",
    "cPickle",
    "pickletools",
    "shelve",
    "dbm",
    "runpy",
    "code",
    "codeop",
    "pdb",
    "bdb",
    "trace",
    "timeit",
    "profile",
    "cProfile",
    "doctest",
    "shutil",
    "tempfile",
    "io",
    "_io",
    "fileinput",
    "linecache",
    "tarfile",
    "zipfile",
    "glob",
    "mmap",
    "fcntl",
    "socket",
    "_socket",
    "socketserver",
    "ssl",
    "select",
    "selectors",
    "http",
    "urllib",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "telnetlib",
    "xmlrpc",
    "webbrowser",
    "antigravity",
    "mailcap",
    "ctypes",
    "_ctypes",
    "cffi",
    "multiprocessing",
    "concurrent",
    "asyncio",
    "threading",
    "_thread",
    "signal",
    "atexit",
    "gc",
    "inspect",
    "site",
    "sysconfig",
    "ensurepip",
    "venv",
    "distutils",
    "setuptools",
    "pip",
    "idlelib",
    "_sitebuiltins",
    "platform",
    "logging.config",
    "dill",
    "cloudpickle",
    "joblib",
    "yaml",
    "jsonpickle",
    "numpy.testing",
    "numpy.f2py",
    "numpy.distutils",
    "numpy.lib.npyio",
    "torch.hub",
    "torch.jit",
    "torch.package",
    "torch.serialization",
    "torch.utils.cpp_extension",
    "torch._dynamo",
    "torch.ops",
    "pandas.io",
    "pandas.core.computation",
  ].map((m) => `${m}:*`),
  ...[
    "eval",
    "exec",
    "execfile",
    "compile",
    "getattr",
    "setattr",
    "delattr",
    "__import__",
    "open",
    "breakpoint",
    "input",
    "globals",
    "locals",
    "vars",
    "help",
    "exit",
    "quit",
    "memoryview",
    "__build_class__",
    "__loader__",
    "__spec__",
    "__builtins__",
  ].map((n) => `builtins:${n}`),
  ...[
    "FunctionType",
    "LambdaType",
    "CodeType",
    "MethodType",
    "ModuleType",
    "CellType",
    "new_class",
    "exec_body",
  ].map((n) => `types:${n}`),
  ...["attrgetter", "methodcaller"].map((n) => `operator:${n}`),
  ...["reduce"].map((n) => `functools:${n}`),
  ...["add_extension", "remove_extension", "clear_extension_cache", "pickle", "constructor"].map(
    (n) => `copyreg:${n}`,
  ),
  "numpy:load",
  "numpy:loadtxt",
  "numpy:genfromtxt",
  "numpy:fromfile",
  "numpy:save",
  "numpy:savez",
  "numpy:memmap",
  "numpy:fromregex",
  "numpy.ctypeslib:*",
  "torch:load",
  "torch:save",
  "torch.storage:_load_from_bytes",
  "torch._weights_only_unpickler:*",
  "pandas:read_pickle",
  "pandas:eval",
  "pandas:read_csv",
  "pandas:read_parquet",
  "pandas:read_json",
  "pandas:read_sql",
  "pandas:read_excel",
  "pandas:read_html",
  "pandas:read_hdf",
  "pandas:read_table",
  "pandas:read_fwf",
  "pandas:read_feather",
  "pandas:read_orc",
  "pandas:read_sas",
  "pandas:read_stata",
  "pandas:read_xml",
  "pandas:read_clipboard",
  "scipy.io:*",
  "uuid:_popen",
  "uuid:_get_command_stdout",
];

/**
 * Attribute names that reach code or other modules however they are reached (a re-export
 * like `somepkg.os` or a qualname like `x.system`): any dotted-name segment, or the name itself.
 */
export const DANGEROUS_NAMES: ReadonlySet<string> = new Set([
  "os",
  "sys",
  "subprocess",
  "builtins",
  "__builtins__",
  "__builtin__",
  "importlib",
  "system",
  "popen",
  "Popen",
  "spawn",
  "spawnv",
  "spawnl",
  "execv",
  "execve",
  "execl",
  "execlp",
  "execvp",
  "posix_spawn",
  "check_output",
  "check_call",
  "getoutput",
  "getstatusoutput",
  "eval",
  "exec",
  "compile",
  "getattr",
  "setattr",
  "__import__",
  "import_module",
  "resolve_name",
  "locate",
  "loads",
  "load",
  "open",
  "breakpoint",
  "set_trace",
  "findmatch",
  "attrgetter",
  "methodcaller",
]);

/** A policy's verdict on one global, with the rule that decided it. */
export interface GlobalGrade {
  readonly verdict: Verdict;
  readonly reason: string;
}

/** Extra entries for a {@link GlobalPolicy}, each `module:name` or `module:*`. */
export interface GlobalPolicyOptions {
  /** Globals to grade `safe` (your own data classes). Never overrides the dangerous list. */
  readonly allow?: Iterable<string>;
  /** Globals to grade `known`. Never overrides the dangerous list. */
  readonly known?: Iterable<string>;
  /** Globals to grade `dangerous`, besides {@link DANGEROUS_GLOBALS}. */
  readonly dangerous?: Iterable<string>;
}

/** One list, resolved: exact `module\0name` keys and module prefixes (for `module:*`). */
class NameSet {
  private readonly exact = new Set<string>();
  private readonly modules = new Set<string>();
  constructor(entries: Iterable<string>) {
    for (const e of entries) this.add(e);
  }
  add(entry: string): void {
    const colon = entry.lastIndexOf(":");
    if (colon <= 0 || colon === entry.length - 1) {
      throw new TypeError(`a global is written 'module:name' or 'module:*', not '${entry}'`);
    }
    const module = entry.slice(0, colon);
    const name = entry.slice(colon + 1);
    if (name === "*") this.modules.add(module);
    else this.exact.add(`${module}\0${name}`);
  }
  /** The module (or enclosing package) entry that matches, or undefined. */
  matchModule(module: string): string | undefined {
    if (this.modules.size === 0) return undefined;
    let m = module;
    for (;;) {
      if (this.modules.has(m)) return m;
      const dot = m.lastIndexOf(".");
      if (dot < 0) return undefined;
      m = m.slice(0, dot);
    }
  }
  has(module: string, name: string): boolean {
    return this.exact.has(`${module}\0${name}`) || this.matchModule(module) !== undefined;
  }
}

const CLASS_NAME = /^_?[A-Z][A-Za-z0-9_]*$/;
const DUNDER = /^__.*__$/;

/**
 * Grades globals: the dangerous list and rules first, then the safe list, then the known
 * list and the known class modules; anything else is `unknown`.
 */
export class GlobalPolicy {
  private readonly safe: NameSet;
  private readonly known: NameSet;
  private readonly dangerous: NameSet;

  /** @throws TypeError for an entry not written `module:name` or `module:*`. */
  constructor(options: GlobalPolicyOptions = {}) {
    this.safe = new NameSet([...SAFE_GLOBALS, ...(options.allow ?? [])]);
    this.known = new NameSet([...KNOWN_GLOBALS, ...(options.known ?? [])]);
    this.dangerous = new NameSet([...DANGEROUS_GLOBALS, ...(options.dangerous ?? [])]);
  }

  /** The verdict on `module.name` as Python 3 resolves it (after `fix_imports`). */
  grade(module: string, name: string): GlobalGrade {
    const full = `${module}.${name}`;
    const dangerousModule = this.dangerous.matchModule(module);
    if (dangerousModule !== undefined) {
      return { verdict: "dangerous", reason: `module ${dangerousModule} is on the dangerous list` };
    }
    if (this.dangerous.has(module, name))
      return { verdict: "dangerous", reason: `${full} is on the dangerous list` };
    const segments = name.split(".");
    if (segments.length > 1) {
      // A dotted name walks attributes (protocol 4 qualnames): through a dunder it reaches
      // __globals__, __builtins__, __subclasses__, ..., i.e. anything.
      const dunder = segments.find((s) => DUNDER.test(s));
      if (dunder !== undefined) {
        return { verdict: "dangerous", reason: `the name walks through the attribute ${dunder}` };
      }
      for (let i = 1; i < segments.length; i++) {
        const prefix = segments.slice(0, i).join(".");
        if (this.dangerous.has(module, prefix)) {
          return { verdict: "dangerous", reason: `${module}.${prefix} is on the dangerous list` };
        }
      }
    }
    const bad = segments.find((s) => DANGEROUS_NAMES.has(s));
    if (bad !== undefined && !(module === "json" && (bad === "loads" || bad === "load"))) {
      return {
        verdict: "dangerous",
        reason: `'${bad}' names code execution, a module, a loader or file access`,
      };
    }
    if (
      DUNDER.test(name) &&
      module !== "copyreg" &&
      !this.safe.has(module, name) &&
      !this.known.has(module, name)
    ) {
      // e.g. builtins.__dict__, module.__loader__: reflective access, not a data class
      return { verdict: "dangerous", reason: `'${name}' is a reflective attribute` };
    }
    if (this.safe.has(module, name)) return { verdict: "safe", reason: "on the safe list" };
    if (this.known.has(module, name)) return { verdict: "known", reason: "on the known list" };
    const last = segments[segments.length - 1] as string;
    if (CLASS_NAME.test(segments[0] as string) && CLASS_NAME.test(last) && this.knownClassModule(module)) {
      return { verdict: "known", reason: "a class of a known data library" };
    }
    if (this.knownDistribution(module, name))
      return { verdict: "known", reason: "a scipy.stats distribution" };
    return { verdict: "unknown", reason: "not on the allow-list" };
  }

  /** scipy.stats distributions: `norm_gen` instances and their frozen `rv_*_frozen` forms. */
  private knownDistribution(module: string, name: string): boolean {
    return (
      (module === "scipy.stats" || module.startsWith("scipy.stats.")) &&
      /^(?:[a-z0-9_]+_gen|rv_[a-z_]*frozen|rv_(?:continuous|discrete|histogram|sample))$/.test(name)
    );
  }

  private knownClassModule(module: string): boolean {
    const within = (m: string, root: string): boolean => m === root || m.startsWith(`${root}.`);
    return (
      KNOWN_CLASS_MODULES.some((root) => within(module, root)) &&
      !KNOWN_CLASS_EXCLUDED.some((root) => within(module, root))
    );
  }
}
