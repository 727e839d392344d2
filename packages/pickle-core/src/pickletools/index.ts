/**
 * pickletools (`@x/pickle-core/pickletools`): CPython's `pickletools` module — `genops`,
 * `dis`, `optimize` and the opcode descriptor table. It walks opcodes itself; it never
 * unpickles.
 */
export {
  type ArgumentDescriptor,
  type OpcodeInfo,
  type StackObject,
  TAKEN_FROM_ARGUMENT1,
  TAKEN_FROM_ARGUMENT4,
  TAKEN_FROM_ARGUMENT4U,
  TAKEN_FROM_ARGUMENT8U,
  UP_TO_NEWLINE,
} from "./descriptors.js";
export { type DisMemo, type DisOptions, type DisOutput, dis, MAX_DIS_TEXT } from "./dis.js";
export { PickletoolsError, type PickletoolsErrorOptions, type PickletoolsErrorType } from "./errors.js";
export { type GenopsItem, type GenopsItemWithEnd, type GenopsOptions, genops } from "./genops.js";
export { ARGUMENT_DESCRIPTORS, OPCODES, STACK_OBJECTS } from "./opcode-table.js";
export { optimize } from "./optimize.js";
export type { PickleArg } from "./scanner.js";
