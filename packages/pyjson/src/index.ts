/**
 * @x/pyjson: Python's json module for TypeScript.
 */
// --- encoding (dumps, dump, JSONEncoder) ---
// --- decoding (loads, load, JSONDecoder, JSONDecodeError) ---
export {};
