/** numpy arrays, scalars and dtypes. */
export { DTYPE, NumpyDType, normalizeState } from "./dtype.js";
export {
  NDARRAY_RECONSTRUCT,
  NUMPY_SCALAR,
  NUMPY_TYPES,
  NumpyArray,
  type NumpyCore,
  NumpyScalar,
  type NumpyTypedArray,
} from "./ndarray.js";
