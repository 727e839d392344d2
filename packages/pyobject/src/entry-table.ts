import { TABLE } from "./hash-table.js";

/**
 * The slots of a PyDict, PySet or PyFrozenSet, for a consumer that walks many of them (the
 * pickler) without a generator and a `[key, value]` array per entry. Slot `i` holds
 * `keys[i]`/`values[i]` when `isLive(i)`; the arrays may be replaced when the container
 * changes, so read them through the table each time.
 */
export interface EntryTable {
  readonly keys: readonly unknown[];
  readonly values: readonly unknown[];
  isLive(slot: number): boolean;
}

/** The entry table of a PyDict, PySet or PyFrozenSet of this copy of the package, else undefined. */
export function entryTable(container: object): EntryTable | undefined {
  return (container as { [TABLE]?: EntryTable })[TABLE];
}
