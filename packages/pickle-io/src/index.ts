/**
 * @x/pickle-io: Python's pickle module for TypeScript.
 */
// --- errors, protocol numbers, buffers ---
export {
  DEFAULT_PROTOCOL,
  HIGHEST_PROTOCOL,
  PickleBuffer,
  PickleEOFError,
  PickleError,
  type PickleSink,
  PicklingError,
  UnpicklingError,
} from "@x/pickle-core";
// --- the value model, re-exported: users who install only @x/pickle-io reach it (pnpm's strict layout) ---
export {
  asBytes,
  type BytesLike,
  byteArrayRepr,
  bytesRepr,
  complexRepr,
  Ellipsis,
  floatRepr,
  isBytesLike,
  isPyByteArray,
  isPyComplex,
  isPyDict,
  isPyFrozenSet,
  isPyGlobal,
  isPyInstance,
  isPySet,
  isPyTuple,
  NotImplemented,
  type PformatOptions,
  PY_EQ,
  PY_HASH,
  PY_REPR,
  PY_TYPE_NAME,
  PyByteArray,
  PyComplex,
  PyDict,
  PyEllipsisType,
  PyError,
  PyFrozenSet,
  PyGlobal,
  type PyHooks,
  PyInstance,
  type PyInstanceKind,
  PyKeyError,
  PyNotImplementedType,
  type PyReprOptions,
  PySet,
  PyTuple,
  PyTypeError,
  PyValueError,
  pformat,
  pyEquals,
  pyHash,
  pyRepr,
  pyTypeName,
  strRepr,
  type ToFaithfulOptions,
  type ToNaturalOptions,
  toFaithful,
  toNatural,
} from "@x/pyobject";
// --- pickling ---
export { type DispatchTable, dispatchTable, pickle, type Reducer } from "./dispatch-table.js";
export { dump, dumps } from "./dumps.js";
export {
  addExtension,
  defaultExtensionRegistry,
  ExtensionRegistry,
  removeExtension,
} from "./extension-registry.js";
export { load, loads } from "./loads.js";
export { Pickler, type PicklerOptions } from "./pickler.js";
// --- registries (copyreg, extension codes, types) ---
// --- types (standard Python types: datetime, decimal, fractions, collections, uuid, ...) ---
export { type ClassRegistration, ClassRegistry, defaultRegistry, type ReduceValue } from "./registry.js";
// --- scanning untrusted pickles ---
export {
  DANGEROUS_GLOBALS,
  type GlobalGrade,
  GlobalPolicy,
  type GlobalPolicyOptions,
  KNOWN_CLASS_MODULES,
  KNOWN_GLOBALS,
  SAFE_GLOBALS,
} from "./scan/allow-list.js";
export {
  EXIT_DANGEROUS as SCAN_EXIT_DANGEROUS,
  EXIT_SAFE as SCAN_EXIT_SAFE,
  EXIT_UNKNOWN as SCAN_EXIT_UNKNOWN,
  EXIT_UNREADABLE as SCAN_EXIT_UNREADABLE,
  exitStatusOf as scanExitStatus,
  formatReport as formatScanReport,
  worseStatus as worseScanExitStatus,
} from "./scan/format.js";
export { isNpy, type NpyHeader, parseNpyHeader } from "./scan/npy.js";
export type {
  ArgumentInfo,
  CallFinding,
  CallOpcode,
  GlobalFinding,
  GlobalOpcode,
  PersistentIdFinding,
  ScanReport,
  ScanStop,
  ValueSource,
  Verdict,
} from "./scan/report.js";
export { VERDICTS, worse } from "./scan/report.js";
export { type ScanOptions, scan } from "./scan/scan.js";
export {
  COUNTER,
  DATE,
  DATETIME,
  DECIMAL,
  DEFAULT_DICT,
  DEQUE,
  type DecimalKind,
  DTYPE,
  enumMember,
  enumParts,
  FRACTION,
  JS_DATE,
  NDARRAY_RECONSTRUCT,
  NUMPY_SCALAR,
  NUMPY_TYPES,
  NumpyArray,
  type NumpyCore,
  NumpyDType,
  NumpyScalar,
  type NumpyTypedArray,
  namedTuple,
  ORDERED_DICT,
  PyCounter,
  PyDate,
  PyDateTime,
  PyDecimal,
  PyDefaultDict,
  PyDeque,
  PyFraction,
  PyOrderedDict,
  PyRange,
  PySimpleNamespace,
  PySlice,
  PyTime,
  PyTimeDelta,
  PyTimezone,
  type PyTzInfo,
  PyUUID,
  RANGE,
  type SafeUUID,
  SIMPLE_NAMESPACE,
  SLICE,
  STANDARD_TYPES,
  TIME,
  TIMEDELTA,
  TIMEZONE,
  UUID,
} from "./types/index.js";
export { type PickleSource, Unpickler, type UnpicklerOptions } from "./unpickler.js";
