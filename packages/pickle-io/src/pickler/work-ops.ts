/**
 * The pickler's work stack: it never recurses; each entry is one step of CPython's save(), an
 * operation code with two operands (a, b) and a number (n), kept in parallel arrays.
 */

export const T_SAVE = 0; // save(a)
export const T_SAVE_NOPERS = 1; // save(a) without persistentId (the pid itself)
export const T_OP = 2; // write opcode n
export const T_LIST = 3; // exact list a, next index n
export const T_DICT_OBJ = 4; // plain object a, keys b, next index n
export const T_DICT_ITER = 5; // Map/PyDict a, entries iterator b, n: see stepDictIter
export const T_SET = 6; // set a, iterator b (protocol 4+)
export const T_ITER_LIST = 7; // reduce listitems: iterator b (container a)
export const T_ITER_DICT = 8; // reduce dictitems: iterator b (container a)
export const T_TUPLE_END = 9; // tuple a of n items, b = true when MARK-based
export const T_FROZENSET_END = 10; // frozenset a (protocol 4+)
export const T_REDUCE_END = 11; // object a (or null), b = the rest of the reduce value
export const T_GLOBAL_END = 12; // STACK_GLOBAL (n = 1) or nothing, then memoize global key a
export const T_POP_STATE = 13; // after a state setter call: POP
export const T_DONE = 14; // no-op: keeps container a on the stack while its last items are saved (error paths)
export const T_PYDICT = 15; // PyDict a, its entry table b, n: see stepPyDict

/** CPython's `BATCHSIZE`: items per MARK ... APPENDS/SETITEMS batch. */
export const BATCHSIZE = 1000;
/** T_PYDICT packs its slot and batch count in one number: `slot * SLOT_STRIDE + count`. */
export const SLOT_STRIDE = 1024;

/**
 * First index of the batch holding item `i`: `i` itself when a batch starts there (`n >= 0`),
 * else the multiple of 1000 at or below the last item consumed.
 */
export function batchStart(i: number, n: number): number {
  return n >= 0 ? i : Math.floor((i - 1) / BATCHSIZE) * BATCHSIZE;
}
