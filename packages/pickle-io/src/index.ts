/**
 * @x/pickle-io: Python's pickle module for TypeScript.
 */
// --- unpickling ---
export { PickleEOFError, PickleError, UnpicklingError } from "@x/pickle-core";
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
export { type PickleSource, Unpickler, type UnpicklerOptions } from "./unpickler.js";
// --- registries (copyreg, extension codes, types) ---
