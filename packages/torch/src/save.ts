/**
 * `saveCheckpoint`: writes the zip format `torch.load` reads (as `torch.save` does): the object
 * pickled at protocol 2 with each storage replaced by a persistent id `('storage',
 * torch.<Type>Storage, key, location, numel)`, each tensor by
 * `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())`
 * (a parameter wrapped in `_rebuild_parameter`), then `archive/data.pkl`, `archive/byteorder`,
 * `archive/data/<key>` for each storage and `archive/version`.
 */
import { type ClassRegistration, ClassRegistry, defaultRegistry, Pickler, PyOrderedDict } from "@x/pickle-io";
import { PyGlobal, PyTuple } from "@x/pyobject";
import { dtypeInfo } from "./dtype.js";
import { Storage } from "./storage.js";
import { Tensor } from "./tensor.js";
import { ZipWriter } from "./zip-writer.js";

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** The archive's folder name inside the zip. Default `"archive"` (torch ≥ 2 uses it; 1.x the file name). */
  readonly archiveName?: string;
  /** Pickle protocol of `data.pkl`. Default 2, as `torch.save`. */
  readonly protocol?: number;
  /** Classes for the JS objects in `obj` (Tensor is added). Default `defaultRegistry` of `@x/pickle-io`. */
  readonly registry?: ClassRegistry;
}

const G_REBUILD = new PyGlobal("torch._utils", "_rebuild_tensor_v2");
const G_PARAMETER = new PyGlobal("torch._utils", "_rebuild_parameter");

const TENSOR: ClassRegistration<Tensor> = {
  module: "torch",
  name: "Tensor",
  jsClass: Tensor,
  reduce: (t) =>
    t.isParameter
      ? [G_PARAMETER, [t.withParameter(false, false), t.requiresGrad, new PyOrderedDict()]]
      : [
          G_REBUILD,
          [
            t.storage,
            t.storageOffset,
            new PyTuple(t.shape.slice()),
            new PyTuple(t.stride.slice()),
            t.requiresGrad,
            new PyOrderedDict(),
          ],
        ],
};

class CheckpointPickler extends Pickler {
  readonly keys = new Map<Storage, string>();
  override persistentId(obj: unknown): unknown {
    if (!(obj instanceof Storage)) return undefined;
    let key = this.keys.get(obj);
    if (key === undefined) {
      key = String(this.keys.size);
      this.keys.set(obj, key);
    }
    return new PyTuple([
      "storage",
      new PyGlobal("torch", dtypeInfo(obj.dtype).storage),
      key,
      obj.location,
      obj.numel,
    ]);
  }
}

/** The pickle and the storages it names, in key order. */
function pickleCheckpoint(
  obj: unknown,
  options: SaveCheckpointOptions,
): { pickle: Uint8Array; storages: [string, Storage][] } {
  const registry = new ClassRegistry(options.registry ?? defaultRegistry);
  registry.register(TENSOR);
  const p = new CheckpointPickler(null, { protocol: options.protocol ?? 2, registry });
  p.dump(obj);
  return { pickle: p.takeBytes(), storages: [...p.keys].map(([s, k]) => [k, s]) };
}

/**
 * Writes the checkpoint's chunks in order to `emit` (member data without a copy): what
 * {@link saveCheckpoint} concatenates and `@x/torch/node`'s `saveCheckpointFile` writes.
 * `bytesOf` gives each storage's bytes (loading it if needed).
 */
export function writeCheckpoint(
  obj: unknown,
  emit: (chunk: Uint8Array) => void,
  options: SaveCheckpointOptions = {},
  bytesOf: (s: Storage) => Uint8Array = (s) => s.bytesSync(),
): void {
  const { pickle, storages } = pickleCheckpoint(obj, options);
  const dir = options.archiveName ?? "archive";
  const zip = new ZipWriter(emit);
  const ascii = new TextEncoder();
  zip.add(`${dir}/data.pkl`, pickle);
  zip.add(`${dir}/byteorder`, ascii.encode("little"));
  for (const [key, s] of storages) zip.add(`${dir}/data/${key}`, bytesOf(s));
  zip.add(`${dir}/version`, ascii.encode("3\n"));
  zip.finish();
}

/**
 * `torch.save(obj, f)`: the bytes of a zip-format checkpoint `torch.load` reads back. Tensors
 * are `Tensor`s (`Tensor.from(typedArray, { shape })`, or loaded ones); other values pickle as
 * `dumps` pickles them (natural JS values, `PyOrderedDict` for state dicts, ...).
 * @throws CheckpointError when a storage cannot be read synchronously (use `saveCheckpointAsync`);
 *   PicklingError for a value that cannot be pickled.
 */
export function saveCheckpoint(obj: unknown, options: SaveCheckpointOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  writeCheckpoint(obj, (c) => chunks.push(c), options);
  return concat(chunks);
}

/** As {@link saveCheckpoint}, first reading (asynchronously) the storages not yet loaded. */
export async function saveCheckpointAsync(
  obj: unknown,
  options: SaveCheckpointOptions = {},
): Promise<Uint8Array> {
  const { storages } = pickleCheckpoint(obj, options);
  for (const [, s] of storages) await s.bytes();
  return saveCheckpoint(obj, options);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
