/**
 * @x/pyjson/node: the Node-only entry. `load` reads a file path, file descriptor, FileHandle or
 * Node Readable; everything else is the platform-neutral main entry, re-exported.
 */
export * from "../index.js";
export { load, type NodeJSONSource } from "./load-node.js";
