/**
 * @x/torch: PyTorch checkpoints (`torch.save` files) for TypeScript: `loadCheckpoint` reads
 * the zip and legacy formats lazily, with random access; `saveCheckpoint` writes what
 * `torch.load` reads. Platform-neutral (bytes, Blob/File); Node files in `@x/torch/node`.
 */
export { DTYPES, type DType, type DTypeInfo, dtypeInfo, type TensorData } from "./dtype.js";
export { CheckpointError } from "./errors.js";
export { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from "./float16.js";
export type { InflateRaw } from "./inflate.js";
export {
  type Checkpoint,
  type LoadCheckpointOptions,
  loadCheckpoint,
  loadCheckpointSync,
  loadsTorchPickle,
  openCheckpoint,
  openCheckpointSync,
} from "./load.js";
export {
  type CheckpointPickle,
  type CheckpointPickles,
  iterCheckpointPickles,
  type ReadPicklesSyncOptions,
  readCheckpointPickles,
  readCheckpointPicklesSync,
} from "./pickles.js";
export { type SaveCheckpointOptions, saveCheckpoint, saveCheckpointAsync, writeCheckpoint } from "./save.js";
export {
  type CheckpointPickleReport,
  type CheckpointScanReport,
  scanCheckpoint,
  scanCheckpointPickles,
  scanCheckpointSync,
} from "./scan.js";
export { type ByteSource, blobSource, bytesSource, type CheckpointSource } from "./source.js";
export { Storage } from "./storage.js";
export { contiguousStride, isTensor, Tensor, type TensorFromOptions } from "./tensor.js";
export { torchRegistry } from "./torch-globals.js";
export { type FoundTensor, findTensors } from "./walk.js";
