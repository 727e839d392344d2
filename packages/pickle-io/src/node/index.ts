/**
 * @x/pickle-io/node: pickle over Node files, descriptors, FileHandles and streams, plus the
 * platform-neutral Web stream helpers.
 */

export { type ByteStream, releaseStream } from "../stream/pickle-stream-reader.js";
export type { StreamLoadOptions, UnpicklerClass } from "../stream/unpickle-bytes.js";
export { fdSource } from "./fd-source.js";
export {
  type AsyncSink,
  type AsyncSource,
  dump,
  dumpAsync,
  type FilePath,
  type FileSource,
  iterLoad,
  iterLoadSync,
  load,
  loadAsync,
} from "./load-node.js";
