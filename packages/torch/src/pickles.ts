/**
 * Every pickle a checkpoint holds, as bytes, without loading anything: what a scanner needs
 * (`scan` from `@x/pickle-io` runs over each). The zip format's pickles are its `.pkl` members
 * (`data.pkl`; TorchScript archives add `constants.pkl` and `code/**.debug_pkl`); the legacy format's are
 * the magic number, protocol version, sys_info, the object and the storage keys. Storage
 * bytes are looked up by key, read on demand.
 */
import { Unpickler } from "@x/pickle-io";
import { dtypeInfo, dtypeOfStorage } from "./dtype.js";
import { CheckpointError } from "./errors.js";
import { type InflateRaw, inflateRawAsync, inflateRawWith } from "./inflate.js";
import { legacyHeader, readMember, zipLayout } from "./load.js";
import { unpickleAt } from "./pickle-window.js";
import {
  type ByteSource,
  type CheckpointSource,
  type Parse,
  readAt,
  runAsync,
  runSync,
  toByteSource,
} from "./source.js";
import { itemsOf } from "./torch-globals.js";
import { parseStorageId } from "./torch-unpickler.js";
import { looksLikeZip, memberDataOffset, type ZipEntry } from "./zip-reader.js";

/** One pickle of a checkpoint. */
export interface CheckpointPickle {
  /** The zip member name (`archive/data.pkl`), or the legacy pickle's role (`magic_number`, `protocol_version`, `sys_info`, `data`, `storage_keys`). */
  readonly name: string;
  /** Byte offset of the pickle in the file. */
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** True when the zip member was deflated (inflated here); torch deflates TorchScript's `.debug_pkl`. */
  readonly compressed: boolean;
}

/** The pickles of a checkpoint, and its storages' raw bytes by key. */
export interface CheckpointPickles {
  readonly format: "zip" | "legacy";
  readonly pickles: readonly CheckpointPickle[];
  /** The storage keys the file holds. */
  readonly storageKeys: readonly string[];
  /** The raw bytes of a storage. @throws CheckpointError for an unknown key. */
  storageBytes(key: string): Promise<Uint8Array>;
  /** As `storageBytes`, for sources that read synchronously. */
  storageBytesSync(key: string): Uint8Array;
}

/** Where each storage's bytes are: offset and length. */
type Spans = Map<string, { offset: number; length: number } | (() => Parse<Uint8Array>)>;

/** Legacy main pickle, read inertly: only its storage ids are recorded. */
class IdRecorder extends Unpickler {
  readonly ids = new Map<string, number>();
  override persistentLoad(pid: unknown): unknown {
    const id = parseStorageId(pid);
    if (!("module" in id) && !this.ids.has(id.key)) {
      this.ids.set(id.key, id.numel * dtypeInfo(dtypeOfStorage(id.storageClass)!.name).itemSize);
    }
    return pid;
  }
}

/** A pickle as read: for a zip member, its entry; its bytes are still deflated when `compressed`. */
interface RawPickle {
  readonly entry: ZipEntry | null;
  readonly pickle: CheckpointPickle;
}

function* parsePickles(
  source: ByteSource,
): Parse<{ format: "zip" | "legacy"; pickles: RawPickle[]; spans: Spans }> {
  const head = yield* readAt(source, 0, Math.min(source.size, 4), "file header");
  const spans: Spans = new Map();
  const pickles: RawPickle[] = [];
  const plain = (p: Omit<CheckpointPickle, "compressed">): RawPickle => ({
    entry: null,
    pickle: { ...p, compressed: false },
  });
  if (looksLikeZip(head)) {
    const { prefix, entries } = yield* zipLayout(source);
    for (const e of entries.values()) {
      // `.pkl` members, and TorchScript's `.debug_pkl` (also pickles, read by torch.jit.load).
      if (e.name.endsWith(".pkl") || e.name.endsWith(".debug_pkl")) {
        if (e.method !== 0 && e.method !== 8) {
          throw new CheckpointError(
            `zip: member '${e.name}' uses compression method ${e.method} (only stored and deflate are read)`,
          );
        }
        const at = yield* memberDataOffset(source, e, true);
        const bytes = yield* readAt(source, at, e.compressedSize, `zip member '${e.name}'`);
        pickles.push({
          entry: e,
          pickle: { name: e.name, offset: e.localHeaderOffset, bytes, compressed: e.method === 8 },
        });
      } else if (e.name.startsWith(`${prefix}data/`)) {
        spans.set(e.name.slice(prefix.length + 5), () => readMember(source, e));
      }
    }
    return { format: "zip", pickles, spans };
  }
  if (head[0] !== 0x80)
    throw new CheckpointError("not a torch checkpoint (neither a zip archive nor a pickle)");
  const header = yield* legacyHeader(source);
  pickles.push(...header.pickles.map(plain));
  let recorder: IdRecorder | null = null;
  const main = yield* unpickleAt<unknown>(source, header.end, "pickle", (src) => {
    recorder = new IdRecorder(src);
    return recorder;
  });
  pickles.push(plain({ name: "data", offset: header.end, bytes: main.bytes }));
  const keys = yield* unpickleAt<unknown>(source, main.end, "storage keys", (src) => new Unpickler(src));
  pickles.push(plain({ name: "storage_keys", offset: main.end, bytes: keys.bytes }));
  const sizes = (recorder as IdRecorder | null)?.ids ?? new Map<string, number>();
  let pos = keys.end;
  for (const k of itemsOf(keys.value, "storage keys")) {
    const key = String(k);
    const length = sizes.get(key);
    if (length === undefined) throw new CheckpointError(`storage '${key}' is listed but no tensor uses it`);
    spans.set(key, { offset: pos + 8, length });
    pos += 8 + length;
    if (pos > source.size) throw new CheckpointError(`storage '${key}' runs past the end of the file`);
  }
  return { format: "legacy", pickles, spans };
}

function wrap(
  source: ByteSource,
  r: { format: "zip" | "legacy"; spans: Spans },
  pickles: CheckpointPickle[],
): CheckpointPickles {
  const parse = (key: string): Parse<Uint8Array> => {
    const span = r.spans.get(key);
    if (span === undefined) throw new CheckpointError(`no storage '${key}' in the checkpoint`);
    return typeof span === "function" ? span() : readAt(source, span.offset, span.length, `storage '${key}'`);
  };
  return {
    format: r.format,
    pickles,
    storageKeys: [...r.spans.keys()],
    storageBytes: (key) => runAsync(parse(key), source),
    storageBytesSync: (key) => runSync(parse(key), source),
  };
}

/**
 * The pickles of a checkpoint (see {@link CheckpointPickles}); nothing is unpickled but the
 * legacy format's small header pickles and, inertly, its object pickle (for the storage sizes).
 * @throws CheckpointError for a file that is neither format.
 */
export async function readCheckpointPickles(source: CheckpointSource): Promise<CheckpointPickles> {
  const src = toByteSource(source);
  const r = await runAsync(parsePickles(src), src);
  const pickles: CheckpointPickle[] = [];
  for (const { entry, pickle } of r.pickles) {
    pickles.push(
      entry !== null && pickle.compressed
        ? { ...pickle, bytes: await inflateRawAsync(pickle.bytes, entry.size, entry.name) }
        : pickle,
    );
  }
  return wrap(src, r, pickles);
}

/** Options of {@link readCheckpointPicklesSync}. */
export interface ReadPicklesSyncOptions {
  /** Inflates deflated pickle members (`@x/torch/node` passes node:zlib's); without it they throw CheckpointError. */
  readonly inflateRaw?: InflateRaw;
}

/** As {@link readCheckpointPickles}, synchronously (bytes, Node files). */
export function readCheckpointPicklesSync(
  source: CheckpointSource,
  options: ReadPicklesSyncOptions = {},
): CheckpointPickles {
  const src = toByteSource(source);
  const r = runSync(parsePickles(src), src);
  const pickles = r.pickles.map(({ entry, pickle }) =>
    entry !== null && pickle.compressed
      ? { ...pickle, bytes: inflateRawWith(options.inflateRaw, pickle.bytes, entry.size, entry.name) }
      : pickle,
  );
  return wrap(src, r, pickles);
}

/** Yields every pickle of a checkpoint: `for await (const p of iterCheckpointPickles(file)) scan(p.bytes)`. */
export async function* iterCheckpointPickles(
  source: CheckpointSource,
): AsyncGenerator<CheckpointPickle, void> {
  yield* (await readCheckpointPickles(source)).pickles;
}
