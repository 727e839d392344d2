/**
 * The unpickler of a checkpoint's pickle: `persistentLoad` turns torch's storage ids into
 * {@link Storage} objects (one per key, so tensors over one storage share it); the registry
 * (see torch-globals.ts) rebuilds tensors. Everything else loads as `Unpickler` loads it:
 * inert unless registered.
 */
import { type PickleSource, Unpickler, type UnpicklerOptions } from "@x/pickle-io";
import { isPyGlobal } from "@x/pyobject";
import { dtypeOfStorage } from "./dtype.js";
import { CheckpointError } from "./errors.js";
import type { Storage } from "./storage.js";
import { intOf, itemsOf } from "./torch-globals.js";

/** What a storage persistent id says. */
export interface StorageId {
  readonly storageClass: string;
  readonly key: string;
  readonly location: string;
  readonly numel: number;
  /** Legacy format only: `(view_key, offset, view_size)` when the id names a slice of a storage. */
  readonly view: { readonly key: string; readonly offset: number; readonly numel: number } | null;
}

const ascii = new TextDecoder("latin1");

function text(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return ascii.decode(v); // a Python 2 str loaded with encoding "bytes"
  throw new CheckpointError(`${what} must be a str`);
}

/**
 * Parses a persistent id as `torch.load` does: `('storage', storage_class, key, location,
 * numel)` in the zip format, plus `view_metadata` in the legacy one; `('module', cls, ...)`
 * (legacy) yields `{ module }`.
 * @throws CheckpointError for anything else.
 */
export function parseStorageId(pid: unknown): StorageId | { readonly module: unknown } {
  const items = itemsOf(pid, "persistent id");
  const typename = text(items[0], "persistent id type");
  if (typename === "module") return { module: items[1] };
  if (typename !== "storage") {
    throw new CheckpointError(
      `Unknown typename for persistent_load, expected 'storage' but got '${typename}'`,
    );
  }
  if (items.length !== 5 && items.length !== 6)
    throw new CheckpointError(`storage persistent id of ${items.length} items`);
  const cls = items[1];
  if (!isPyGlobal(cls) || !cls.module.startsWith("torch") || dtypeOfStorage(cls.name) === undefined) {
    throw new CheckpointError("storage persistent id: unknown storage class");
  }
  const viewItems = items[5] === undefined || items[5] === null ? null : itemsOf(items[5], "view metadata");
  return {
    storageClass: cls.name,
    key: text(items[2], "storage key"),
    location: text(items[3], "storage location"),
    numel: intOf(items[4], "storage size"),
    view:
      viewItems === null
        ? null
        : {
            key: text(viewItems[0], "view key"),
            offset: intOf(viewItems[1], "view offset"),
            numel: intOf(viewItems[2], "view size"),
          },
  };
}

/** Gives the storage a persistent id stands for (creating it on first sight). */
export type StorageResolver = (id: StorageId) => Storage;

export class TorchUnpickler extends Unpickler {
  constructor(
    source: Uint8Array | PickleSource,
    options: UnpicklerOptions,
    private readonly resolve: StorageResolver,
  ) {
    super(source, options);
  }

  override persistentLoad(pid: unknown): unknown {
    const id = parseStorageId(pid);
    if ("module" in id) return id.module;
    return this.resolve(id);
  }
}
