/**
 * The torch globals a checkpoint may call, as registrations: the tensor-rebuilding functions,
 * `torch.Size`, `torch.storage._load_from_bytes`. The storage classes, dtypes and
 * `torch.device` are registered without a loader, so strict mode lets them through while a
 * call on them stays inert data. Nothing else in `torch` (or anywhere) is ever run.
 */
import { type ClassRegistration, ClassRegistry, defaultRegistry } from "@x/pickle-io";
import { isPyGlobal, isPyTuple, PyGlobal, PyInstance } from "@x/pyobject";
import { DTYPES, type DType, dtypeByName } from "./dtype.js";
import { CheckpointError } from "./errors.js";
import { Storage } from "./storage.js";
import { Tensor } from "./tensor.js";

/** The items of a tuple or list (natural arrays or faithful `PyTuple`s). */
export function itemsOf(v: unknown, what: string): readonly unknown[] {
  if (Array.isArray(v)) return v;
  if (isPyTuple(v)) return v.items;
  throw new CheckpointError(`${what} must be a tuple`);
}

/** An int argument as a number. @throws CheckpointError for anything else or beyond 2**53. */
export function intOf(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "bigint" && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(v);
  }
  throw new CheckpointError(`${what} must be an int`);
}

function storageOf(v: unknown, what: string): Storage {
  if (v instanceof Storage) return v;
  throw new CheckpointError(`${what}: expected a storage (a persistent id), got ${typeof v}`);
}

function tensorOf(v: unknown, what: string): Tensor {
  if (v instanceof Tensor) return v;
  throw new CheckpointError(`${what}: expected a tensor`);
}

function rebuild(args: unknown[], what: string, dtype?: DType): Tensor {
  if (args.length < 4) throw new CheckpointError(`${what} expects at least 4 arguments, got ${args.length}`);
  const storage = storageOf(args[0], what);
  const shape = itemsOf(args[2], `${what} size`).map((n) => intOf(n, `${what} size`));
  const stride = itemsOf(args[3], `${what} stride`).map((n) => intOf(n, `${what} stride`));
  const requiresGrad = args.length > 4 ? args[4] === true : false;
  return new Tensor(
    storage,
    intOf(args[1], `${what} storage_offset`),
    shape,
    stride,
    requiresGrad,
    dtype ?? storage.dtype,
  );
}

const G_REBUILD_FROM_TYPE = new PyGlobal("torch._tensor", "_rebuild_from_type_v2");

function registration(module: string, name: string, call?: (args: unknown[]) => unknown): ClassRegistration {
  return call === undefined ? { module, name } : { module, name, call };
}

/**
 * A registry with `base`'s classes plus torch's. `loadFromBytes` reads the legacy-format
 * bytes `torch.storage._load_from_bytes` carries (a storage pickled with `pickle` itself).
 */
export function torchRegistry(
  base: ClassRegistry,
  loadFromBytes: (bytes: Uint8Array) => unknown,
): ClassRegistry {
  const r = new ClassRegistry(base);
  const U = "torch._utils";
  // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
  r.register(registration(U, "_rebuild_tensor_v2", (a) => rebuild(a, "_rebuild_tensor_v2")));
  // _rebuild_tensor(storage, storage_offset, size, stride): torch < 1.0
  r.register(registration(U, "_rebuild_tensor", (a) => rebuild(a, "_rebuild_tensor")));
  // _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype[, metadata]): torch ≥ 2.1
  r.register(
    registration(U, "_rebuild_tensor_v3", (a) => {
      const g = a[6];
      const d = isPyGlobal(g) && g.module === "torch" ? dtypeByName(g.name) : undefined;
      if (d === undefined) throw new CheckpointError("_rebuild_tensor_v3: bad dtype argument");
      return rebuild(a, "_rebuild_tensor_v3", d.name);
    }),
  );
  // _rebuild_parameter(data, requires_grad, backward_hooks) and the torch 2 form with state.
  const parameter = (a: unknown[]): Tensor =>
    tensorOf(a[0], "_rebuild_parameter").withParameter(true, a[1] === true);
  r.register(registration(U, "_rebuild_parameter", parameter));
  r.register(registration(U, "_rebuild_parameter_with_state", parameter));
  // _rebuild_from_type_v2(func, new_type, args, state): tensor subclasses; rebuilt only when
  // func is one of the loaders above, the subclass itself stays a name.
  r.register(
    registration("torch._tensor", "_rebuild_from_type_v2", (a) => {
      const [func, , args] = a;
      const reg = isPyGlobal(func) ? r.lookup(func.module, func.name) : undefined;
      if (reg?.call !== undefined && reg.module === U)
        return reg.call([...itemsOf(args, "_rebuild_from_type_v2 args")]);
      return new PyInstance(G_REBUILD_FROM_TYPE, a, "reduce");
    }),
  );
  // torch.Size((2, 3)) → the sizes as a list (numbers, or bigints in the faithful model)
  r.register(
    registration("torch", "Size", (a) => {
      const sizes = a.length === 0 ? [] : itemsOf(a[0], "torch.Size");
      for (const n of sizes) intOf(n, "torch.Size");
      return sizes.slice();
    }),
  );
  r.register(
    registration("torch.storage", "_load_from_bytes", (a) => {
      const b = a[0];
      if (!(b instanceof Uint8Array)) throw new CheckpointError("_load_from_bytes expects bytes");
      return loadFromBytes(b);
    }),
  );
  for (const d of DTYPES.values()) {
    r.register(registration("torch", d.storage));
    r.register(registration("torch", d.name));
  }
  for (const n of [
    "UntypedStorage",
    "device",
    "float",
    "double",
    "half",
    "long",
    "int",
    "short",
    "cfloat",
    "cdouble",
  ]) {
    r.register(registration("torch", n));
  }
  r.register(registration("torch.storage", "UntypedStorage"));
  r.register(registration("torch.storage", "TypedStorage"));
  return r;
}

/** The registry `loadCheckpoint` uses by default: `defaultRegistry` plus torch's globals. */
export function defaultTorchRegistry(loadFromBytes: (bytes: Uint8Array) => unknown): ClassRegistry {
  return torchRegistry(defaultRegistry, loadFromBytes);
}
