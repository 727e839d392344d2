import { ObjectMemo } from "./object-memo.js";
import { StrMemo } from "./str-memo.js";

/**
 * The pickler's memo (CPython's `memo` dict, `clear_memo()`): what was written, to the memo
 * index a GET fetches it by. Objects by identity, strings by value (JS strings have no
 * identity), globals by `module\0name` (a Python class is one object, however many PyGlobal
 * name it). Also the guard against recursing forever through values CPython could not build.
 */
export class PickleMemo {
  /** Objects already written (by identity), to their memo index. */
  readonly objects = new ObjectMemo();
  /** Strings already written, to their memo index. */
  readonly strings = new StrMemo();
  /** Globals by `module\0name`, to their memo index. */
  readonly globals = new Map<string, number>();
  /** Memo entries so far: the next index. */
  size = 0;
  /** The first b"" / 1-byte bytes seen, standing for every equal one (CPython's cached objects). */
  readonly smallBytes = new Map<number, Uint8Array>();
  /**
   * Tuples, frozensets and reduced objects whose items are being saved, with the memo size when
   * last entered. CPython may re-enter one through a list or dict that holds it (the memo grows
   * in between); re-entering with no memo growth can only recurse forever, and is an error.
   */
  readonly inProgress = new Map<unknown, number>();
  /**
   * Lists the pickler makes itself (`list(a_set)` below protocol 4), saved once each; their memo
   * entries are not growth that can end a recursion, so the guard does not count them.
   */
  readonly freshLists = new Set<unknown>();
  freshPuts = 0;

  /** Forgets everything written (empty tables are left alone: clearing a Map allocates). */
  clear(): void {
    this.objects.clear();
    this.strings.clear(this.size);
    if (this.globals.size !== 0) this.globals.clear();
    if (this.smallBytes.size !== 0) this.smallBytes.clear();
    this.size = 0;
    this.freshPuts = 0;
  }
}
