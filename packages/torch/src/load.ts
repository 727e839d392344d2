/**
 * `loadCheckpoint`: reads a `torch.save` file. The format is told by its first bytes: a zip
 * (torch ≥ 1.6) or pickles followed by raw storages (the legacy format). Only the directory,
 * the pickle and the storage headers are read here; storages are read when a tensor is touched.
 */
import { type ClassRegistry, Unpickler, type UnpicklerOptions } from "@x/pickle-io";
import { dtypeInfo, dtypeOfStorage } from "./dtype.js";
import { CheckpointError } from "./errors.js";
import { unpickleAt } from "./pickle-window.js";
import {
  type ByteSource,
  bytesSource,
  type CheckpointSource,
  type Parse,
  readAt,
  runAsync,
  runSync,
  toByteSource,
} from "./source.js";
import { Storage } from "./storage.js";
import { defaultTorchRegistry, itemsOf, torchRegistry } from "./torch-globals.js";
import { type StorageId, TorchUnpickler } from "./torch-unpickler.js";
import { looksLikeZip, memberDataOffset, readZipDirectory, type ZipEntry } from "./zip-reader.js";

/** Options of {@link loadCheckpoint}: those of `Unpickler` that apply to a checkpoint. */
export interface LoadCheckpointOptions {
  /** `"natural"` (default) or `"faithful"`, as `loads`. */
  readonly model?: "natural" | "faithful";
  /** Refuse (throw on) any global that is neither torch's tensor machinery nor a registered/standard type. Default false: such globals load inert. */
  readonly strict?: boolean;
  /** Extra classes to rebuild (torch's are added to it). Default `defaultRegistry` of `@x/pickle-io`. */
  readonly registry?: ClassRegistry;
  /** Python 2 `str` decoding of legacy files, as `Unpickler`'s `encoding`. Default `"ASCII"`. */
  readonly encoding?: string;
}

/** A loaded checkpoint: the object and what it was read from. */
export interface Checkpoint {
  /** What `torch.load` returns, with tensors as `Tensor`s. */
  readonly object: unknown;
  readonly format: "zip" | "legacy";
  /** Every storage, by key (tensors over one storage share one `Storage`). */
  readonly storages: ReadonlyMap<string, Storage>;
  /** Zip format: the archive's folder name (`archive`, or the file name torch used) and its `version` record. */
  readonly archiveName: string | null;
  readonly version: string | null;
  /** Zip format: `byteorder` record ("little" when absent, as torch ≤ 1.13 writes none). */
  readonly byteOrder: "little" | "big";
}

/** Legacy format header values (torch/serialization.py). */
const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;
/** `_load_from_bytes` may nest a checkpoint in a checkpoint; hostile files could nest deeply. */
const MAX_NESTING = 8;

interface Resolved {
  readonly unpickler: UnpicklerOptions;
  readonly depth: number;
}

function resolve(options: LoadCheckpointOptions, depth: number): Resolved {
  const loadFromBytes = (bytes: Uint8Array): unknown => {
    if (depth + 1 > MAX_NESTING)
      throw new CheckpointError("checkpoints nested too deeply (_load_from_bytes)");
    const source = bytesSource(bytes);
    return runSync(parseCheckpoint(source, resolve(options, depth + 1)), source).object;
  };
  const registry: ClassRegistry =
    options.registry === undefined
      ? defaultTorchRegistry(loadFromBytes)
      : torchRegistry(options.registry, loadFromBytes);
  return {
    unpickler: {
      model: options.model ?? "natural",
      strict: options.strict ?? false,
      registry,
      encoding: options.encoding ?? "ASCII",
    },
    depth,
  };
}

const text = new TextDecoder("utf-8");

/** The parser of a whole checkpoint (see {@link loadCheckpoint}). */
export function* parseCheckpoint(source: ByteSource, options: Resolved): Parse<Checkpoint> {
  const head = yield* readAt(source, 0, Math.min(source.size, 512), "file header");
  if (looksLikeZip(head)) return yield* parseZip(source, options);
  if (head.length >= 262 && text.decode(head.subarray(257, 262)) === "ustar") {
    throw new CheckpointError("this is a tar checkpoint (torch < 0.4), which is not supported");
  }
  if (head.length === 0) throw new CheckpointError("empty file");
  if (head[0] !== 0x80)
    throw new CheckpointError("not a torch checkpoint (neither a zip archive nor a pickle)");
  return yield* parseLegacy(source, options);
}

/** The zip archive's folder and member map. @throws CheckpointError when it has no data.pkl. */
export function* zipLayout(source: ByteSource): Parse<{ prefix: string; entries: Map<string, ZipEntry> }> {
  const list = yield* readZipDirectory(source);
  const first = list[0];
  const slash = first === undefined ? -1 : first.name.indexOf("/");
  if (first === undefined || slash < 0)
    throw new CheckpointError("zip: not a torch archive (no archive folder)");
  const entries = new Map<string, ZipEntry>();
  for (const e of list) entries.set(e.name, e);
  return { prefix: first.name.slice(0, slash + 1), entries };
}

/** A member's bytes. */
export function* readMember(source: ByteSource, entry: ZipEntry): Parse<Uint8Array> {
  const at = yield* memberDataOffset(source, entry);
  return yield* readAt(source, at, entry.size, `zip member '${entry.name}'`);
}

function* parseZip(source: ByteSource, options: Resolved): Parse<Checkpoint> {
  const { prefix, entries } = yield* zipLayout(source);
  const record = function* (name: string): Parse<string | null> {
    const e = entries.get(prefix + name);
    return e === undefined ? null : text.decode(yield* readMember(source, e)).trim();
  };
  const data = entries.get(`${prefix}data.pkl`);
  if (data === undefined) throw new CheckpointError(`zip: no ${prefix}data.pkl in the archive`);
  const version = (yield* record("version")) ?? (yield* record(".data/version"));
  const order = (yield* record("byteorder")) ?? "little";
  if (order !== "little" && order !== "big") throw new CheckpointError(`zip: unknown byteorder '${order}'`);
  const pickle = yield* readMember(source, data);
  const storages = new Map<string, Storage>();
  const resolveStorage = (id: StorageId): Storage => {
    const known = storages.get(id.key);
    if (known !== undefined) return known;
    const dtype = dtypeOfStorage(id.storageClass)!.name;
    const s = new Storage(dtype, id.numel, id.key, id.location);
    const entry = entries.get(`${prefix}data/${id.key}`);
    if (entry === undefined)
      throw new CheckpointError(`zip: storage '${id.key}' has no member ${prefix}data/${id.key}`);
    if (entry.size < s.nbytes) {
      throw new CheckpointError(
        `zip: storage '${id.key}' needs ${s.nbytes} bytes, its member holds ${entry.size}`,
      );
    }
    s.bind(source, () => memberDataOffset(source, entry), order === "big");
    storages.set(id.key, s);
    return s;
  };
  const object = new TorchUnpickler(pickle, options.unpickler, resolveStorage).load();
  return { object, format: "zip", storages, archiveName: prefix.slice(0, -1), version, byteOrder: order };
}

/** A plain, inert unpickler for the legacy header pickles. */
const plain = (src: ConstructorParameters<typeof Unpickler>[0]) => new Unpickler(src);

/** Reads and checks the legacy header: magic number, protocol version, sys_info. Returns where the main pickle starts. */
export function* legacyHeader(
  source: ByteSource,
): Parse<{ end: number; pickles: { name: string; offset: number; bytes: Uint8Array }[] }> {
  const magic = yield* unpickleAt<unknown>(source, 0, "magic number", plain);
  if (magic.value !== MAGIC_NUMBER) throw new CheckpointError("Invalid magic number; corrupt file?");
  const proto = yield* unpickleAt<unknown>(source, magic.end, "protocol version", plain);
  if (proto.value !== PROTOCOL_VERSION)
    throw new CheckpointError(`Invalid protocol version: ${String(proto.value)}`);
  const sys = yield* unpickleAt<unknown>(source, proto.end, "sys_info", plain);
  return {
    end: sys.end,
    pickles: [
      { name: "magic_number", offset: 0, bytes: magic.bytes },
      { name: "protocol_version", offset: magic.end, bytes: proto.bytes },
      { name: "sys_info", offset: proto.end, bytes: sys.bytes },
    ],
  };
}

/**
 * After the main pickle: the sorted storage keys, then each storage as an int64 element count
 * and its bytes. Binds every storage to its bytes (reading only the 8-byte counts).
 */
function* bindLegacyStorages(
  source: ByteSource,
  at: number,
  storages: Map<string, Storage>,
): Parse<{ end: number; bytes: Uint8Array }> {
  const keys = yield* unpickleAt<unknown>(source, at, "storage keys", plain);
  let pos = keys.end;
  for (const k of itemsOf(keys.value, "storage keys")) {
    const key = String(k);
    const s = storages.get(key);
    if (s === undefined) throw new CheckpointError(`storage '${key}' is listed but no tensor uses it`);
    const head = yield* readAt(source, pos, 8, `size of storage '${key}'`);
    const numel = new DataView(head.buffer, head.byteOffset, 8).getBigInt64(0, true);
    if (numel !== BigInt(s.numel)) {
      throw new CheckpointError(
        `storage has wrong size: expected ${s.numel} got ${numel} (storage '${key}')`,
      );
    }
    const dataAt = pos + 8;
    if (dataAt + s.nbytes > source.size)
      throw new CheckpointError(`storage '${key}' runs past the end of the file`);
    s.bind(source, dataAt);
    pos = dataAt + s.nbytes;
  }
  return { end: keys.end, bytes: keys.bytes };
}

function* parseLegacy(source: ByteSource, options: Resolved): Parse<Checkpoint> {
  const header = yield* legacyHeader(source);
  let storages = new Map<string, Storage>();
  let views: [Storage, string, number][] = [];
  const main = yield* unpickleAt<unknown>(source, header.end, "pickle", (src) => {
    // A retry with a larger window starts over: so do the storages it saw.
    storages = new Map();
    views = [];
    const resolveStorage = (id: StorageId): Storage => {
      let root = storages.get(id.key);
      if (root === undefined) {
        root = new Storage(dtypeOfStorage(id.storageClass)!.name, id.numel, id.key, id.location);
        storages.set(id.key, root);
      }
      if (id.view === null) return root;
      let v = storages.get(id.view.key);
      if (v === undefined) {
        v = new Storage(root.dtype, id.view.numel, id.view.key, id.location);
        storages.set(id.view.key, v);
        views.push([v, id.key, id.view.offset]);
      }
      return v;
    };
    return new TorchUnpickler(src, options.unpickler, resolveStorage);
  });
  yield* bindLegacyStorages(source, main.end, storages);
  for (const [v, rootKey, offset] of views) {
    const root = storages.get(rootKey)!;
    v.viewOf(root, offset * dtypeInfo(root.dtype).itemSize);
  }
  return {
    object: main.value,
    format: "legacy",
    storages,
    archiveName: null,
    version: null,
    byteOrder: "little",
  };
}

/**
 * Reads a `torch.save` file (zip or legacy format) and returns the saved object, every
 * tensor a lazy {@link Tensor}. From bytes, a `Blob`/`File` or any `ByteSource` (Node paths
 * and descriptors: `@x/torch/node`).
 * @throws CheckpointError for a malformed, truncated or unsupported file; UnpicklingError from
 *   the pickle (and, in strict mode, for a global that is not allowed).
 */
export async function loadCheckpoint(
  source: CheckpointSource,
  options: LoadCheckpointOptions = {},
): Promise<unknown> {
  return (await openCheckpoint(source, options)).object;
}

/** As {@link loadCheckpoint}, returning the {@link Checkpoint} (object, format, storages). */
export async function openCheckpoint(
  source: CheckpointSource,
  options: LoadCheckpointOptions = {},
): Promise<Checkpoint> {
  const src = toByteSource(source);
  return runAsync(parseCheckpoint(src, resolve(options, 0)), src);
}

/**
 * As {@link loadCheckpoint}, synchronously, for sources that read synchronously (bytes, Node
 * files); tensors then offer `dataSync()`.
 * @throws CheckpointError for a Blob (which reads only asynchronously), and as loadCheckpoint.
 */
export function loadCheckpointSync(source: CheckpointSource, options: LoadCheckpointOptions = {}): unknown {
  return openCheckpointSync(source, options).object;
}

/** As {@link openCheckpoint}, synchronously. */
export function openCheckpointSync(
  source: CheckpointSource,
  options: LoadCheckpointOptions = {},
): Checkpoint {
  const src = toByteSource(source);
  return runSync(parseCheckpoint(src, resolve(options, 0)), src);
}

/**
 * Unpickles a plain pickle of torch objects (`pickle.dumps(tensor)`, a DataLoader cache...),
 * not a `torch.save` file: torch pickles each storage there as
 * `torch.storage._load_from_bytes(<a legacy checkpoint>)`, read here from those bytes.
 * @throws UnpicklingError (CheckpointError) as loadCheckpoint.
 */
export function loadsTorchPickle(data: Uint8Array, options: LoadCheckpointOptions = {}): unknown {
  const noStorages = (): Storage => {
    throw new CheckpointError("a plain pickle cannot name checkpoint storages (persistent ids)");
  };
  return new TorchUnpickler(data, resolve(options, 0).unpickler, noStorages).load();
}
