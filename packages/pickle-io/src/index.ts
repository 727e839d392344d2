/**
 * @x/pickle-io: Python's pickle module for TypeScript.
 */
// --- unpickling ---
export {
  addExtension,
  defaultExtensionRegistry,
  ExtensionRegistry,
  removeExtension,
} from "./extension-registry.js";
// --- pickling ---
export { type DispatchTable, dispatchTable, pickle, type Reducer } from "./dispatch-table.js";
export { dump, dumps } from "./dumps.js";
export { Pickler, type PicklerOptions } from "./pickler.js";
// --- registries (copyreg, extension codes, types) ---
