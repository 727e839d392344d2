/**
 * Pickle opcode bytes, named as in CPython's pickle.py and pickletools. Generated from
 * `pickletools.opcodes` (CPython 3.11); the comment is the first line of its doc.
 */
export const OP = {
  /** Push an integer or bool. (protocol 0) */
  INT: 0x49,
  /** Push a four-byte signed integer. (protocol 1) */
  BININT: 0x4a,
  /** Push a one-byte unsigned integer. (protocol 1) */
  BININT1: 0x4b,
  /** Push a two-byte unsigned integer. (protocol 1) */
  BININT2: 0x4d,
  /** Push a long integer. (protocol 0) */
  LONG: 0x4c,
  /** Long integer using one-byte length. (protocol 2) */
  LONG1: 0x8a,
  /** Long integer using found-byte length. (protocol 2) */
  LONG4: 0x8b,
  /** Push a Python string object. (protocol 0) */
  STRING: 0x53,
  /** Push a Python string object. (protocol 1) */
  BINSTRING: 0x54,
  /** Push a Python string object. (protocol 1) */
  SHORT_BINSTRING: 0x55,
  /** Push a Python bytes object. (protocol 3) */
  BINBYTES: 0x42,
  /** Push a Python bytes object. (protocol 3) */
  SHORT_BINBYTES: 0x43,
  /** Push a Python bytes object. (protocol 4) */
  BINBYTES8: 0x8e,
  /** Push a Python bytearray object. (protocol 5) */
  BYTEARRAY8: 0x96,
  /** Push an out-of-band buffer object. (protocol 5) */
  NEXT_BUFFER: 0x97,
  /** Make an out-of-band buffer object read-only. (protocol 5) */
  READONLY_BUFFER: 0x98,
  /** Push None on the stack. (protocol 0) */
  NONE: 0x4e,
  /** Push True onto the stack. (protocol 2) */
  NEWTRUE: 0x88,
  /** Push False onto the stack. (protocol 2) */
  NEWFALSE: 0x89,
  /** Push a Python Unicode string object. (protocol 0) */
  UNICODE: 0x56,
  /** Push a Python Unicode string object. (protocol 4) */
  SHORT_BINUNICODE: 0x8c,
  /** Push a Python Unicode string object. (protocol 1) */
  BINUNICODE: 0x58,
  /** Push a Python Unicode string object. (protocol 4) */
  BINUNICODE8: 0x8d,
  /** Newline-terminated decimal float literal. (protocol 0) */
  FLOAT: 0x46,
  /** Float stored in binary form, with 8 bytes of data. (protocol 1) */
  BINFLOAT: 0x47,
  /** Push an empty list. (protocol 1) */
  EMPTY_LIST: 0x5d,
  /** Append an object to a list. (protocol 0) */
  APPEND: 0x61,
  /** Extend a list by a slice of stack objects. (protocol 1) */
  APPENDS: 0x65,
  /** Build a list out of the topmost stack slice, after markobject. (protocol 0) */
  LIST: 0x6c,
  /** Push an empty tuple. (protocol 1) */
  EMPTY_TUPLE: 0x29,
  /** Build a tuple out of the topmost stack slice, after markobject. (protocol 0) */
  TUPLE: 0x74,
  /** Build a one-tuple out of the topmost item on the stack. (protocol 2) */
  TUPLE1: 0x85,
  /** Build a two-tuple out of the top two items on the stack. (protocol 2) */
  TUPLE2: 0x86,
  /** Build a three-tuple out of the top three items on the stack. (protocol 2) */
  TUPLE3: 0x87,
  /** Push an empty dict. (protocol 1) */
  EMPTY_DICT: 0x7d,
  /** Build a dict out of the topmost stack slice, after markobject. (protocol 0) */
  DICT: 0x64,
  /** Add a key+value pair to an existing dict. (protocol 0) */
  SETITEM: 0x73,
  /** Add an arbitrary number of key+value pairs to an existing dict. (protocol 1) */
  SETITEMS: 0x75,
  /** Push an empty set. (protocol 4) */
  EMPTY_SET: 0x8f,
  /** Add an arbitrary number of items to an existing set. (protocol 4) */
  ADDITEMS: 0x90,
  /** Build a frozenset out of the topmost slice, after markobject. (protocol 4) */
  FROZENSET: 0x91,
  /** Discard the top stack item, shrinking the stack by one item. (protocol 0) */
  POP: 0x30,
  /** Push the top stack item onto the stack again, duplicating it. (protocol 0) */
  DUP: 0x32,
  /** Push markobject onto the stack. (protocol 0) */
  MARK: 0x28,
  /** Pop all the stack objects at and above the topmost markobject. (protocol 1) */
  POP_MARK: 0x31,
  /** Read an object from the memo and push it on the stack. (protocol 0) */
  GET: 0x67,
  /** Read an object from the memo and push it on the stack. (protocol 1) */
  BINGET: 0x68,
  /** Read an object from the memo and push it on the stack. (protocol 1) */
  LONG_BINGET: 0x6a,
  /** Store the stack top into the memo.  The stack is not popped. (protocol 0) */
  PUT: 0x70,
  /** Store the stack top into the memo.  The stack is not popped. (protocol 1) */
  BINPUT: 0x71,
  /** Store the stack top into the memo.  The stack is not popped. (protocol 1) */
  LONG_BINPUT: 0x72,
  /** Store the stack top into the memo.  The stack is not popped. (protocol 4) */
  MEMOIZE: 0x94,
  /** Extension code. (protocol 2) */
  EXT1: 0x82,
  /** Extension code. (protocol 2) */
  EXT2: 0x83,
  /** Extension code. (protocol 2) */
  EXT4: 0x84,
  /** Push a global object (module.attr) on the stack. (protocol 0) */
  GLOBAL: 0x63,
  /** Push a global object (module.attr) on the stack. (protocol 4) */
  STACK_GLOBAL: 0x93,
  /** Push an object built from a callable and an argument tuple. (protocol 0) */
  REDUCE: 0x52,
  /** Finish building an object, via __setstate__ or dict update. (protocol 0) */
  BUILD: 0x62,
  /** Build a class instance. (protocol 0) */
  INST: 0x69,
  /** Build a class instance. (protocol 1) */
  OBJ: 0x6f,
  /** Build an object instance. (protocol 2) */
  NEWOBJ: 0x81,
  /** Build an object instance. (protocol 4) */
  NEWOBJ_EX: 0x92,
  /** Protocol version indicator. (protocol 2) */
  PROTO: 0x80,
  /** Stop the unpickling machine. (protocol 0) */
  STOP: 0x2e,
  /** Indicate the beginning of a new frame. (protocol 4) */
  FRAME: 0x95,
  /** Push an object identified by a persistent ID. (protocol 0) */
  PERSID: 0x50,
  /** Push an object identified by a persistent ID. (protocol 1) */
  BINPERSID: 0x51,
} as const;

export type OpName = keyof typeof OP;
export type OpCode = (typeof OP)[OpName];

/** Name of an opcode byte, for error messages; undefined for bytes that are not opcodes. */
export const OP_NAMES: readonly (OpName | undefined)[] = (() => {
  const names: (OpName | undefined)[] = new Array(256).fill(undefined);
  for (const name of Object.keys(OP) as OpName[]) names[OP[name]] = name;
  return names;
})();

/** The newest protocol this library reads and writes, as `pickle.HIGHEST_PROTOCOL`. */
export const HIGHEST_PROTOCOL = 5;
/** CPython's default protocol since 3.14 (`pickle.DEFAULT_PROTOCOL`). */
export const DEFAULT_PROTOCOL = 5;
