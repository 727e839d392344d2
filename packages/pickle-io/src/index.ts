/**
 * @x/pickle-io: Python's pickle module for TypeScript.
 */
// --- unpickling ---
// --- pickling ---
// --- registries (copyreg, extension codes, types) ---
export {};
