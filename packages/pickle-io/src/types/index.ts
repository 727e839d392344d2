/**
 * The standard Python types this library rebuilds, one registration each; `STANDARD_TYPES`
 * seeds `defaultRegistry`. Types not listed load as inert data and dump back identically.
 */
import type { ClassRegistration } from "../registry.js";
import { BUILTINS_EXTRA_TYPES } from "./builtins-extra.js";
import { COLLECTIONS_TYPES } from "./collections.js";
import { DATETIME_TYPES } from "./datetime.js";
import { DECIMAL } from "./decimal.js";
import { FRACTION } from "./fraction.js";
import { NUMPY_TYPES } from "./numpy/index.js";
import { UUID } from "./uuid.js";

export {
  BUILTINS_EXTRA_TYPES,
  PyRange,
  PySimpleNamespace,
  PySlice,
  RANGE,
  SIMPLE_NAMESPACE,
  SLICE,
} from "./builtins-extra.js";
export {
  COLLECTIONS_TYPES,
  COUNTER,
  DEFAULT_DICT,
  DEQUE,
  namedTuple,
  ORDERED_DICT,
  PyCounter,
  PyDefaultDict,
  PyDeque,
  PyOrderedDict,
} from "./collections.js";
export {
  DATE,
  DATETIME,
  DATETIME_TYPES,
  JS_DATE,
  PyDate,
  PyDateTime,
  PyTime,
  PyTimeDelta,
  PyTimezone,
  type PyTzInfo,
  TIME,
  TIMEDELTA,
  TIMEZONE,
} from "./datetime.js";
export { DECIMAL, type DecimalKind, PyDecimal } from "./decimal.js";
export { enumMember, enumParts } from "./enum.js";
export { FRACTION, PyFraction } from "./fraction.js";
export {
  DTYPE,
  NDARRAY_RECONSTRUCT,
  NUMPY_SCALAR,
  NUMPY_TYPES,
  NumpyArray,
  type NumpyCore,
  NumpyDType,
  NumpyScalar,
  type NumpyTypedArray,
} from "./numpy/index.js";
export { PyUUID, type SafeUUID, UUID } from "./uuid.js";

/** Every standard type registration, in the order `defaultRegistry` gets them. */
export const STANDARD_TYPES: readonly ClassRegistration[] = [
  ...DATETIME_TYPES,
  DECIMAL as ClassRegistration,
  FRACTION as ClassRegistration,
  ...COLLECTIONS_TYPES,
  UUID as ClassRegistration,
  ...BUILTINS_EXTRA_TYPES,
  ...NUMPY_TYPES,
];
