/**
 * The generated opcode descriptor table (src/pickletools/opcode-table.ts) equals CPython's
 * `pickletools.opcodes`, field by field, and agrees with the package's OP byte table.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ARGUMENT_DESCRIPTORS, OP, OPCODES, STACK_OBJECTS } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickletools
def _types(t):
    return [x.__name__ for x in (t if isinstance(t, tuple) else (t,))]
def table():
    return [[op.name, op.code, None if op.arg is None else [op.arg.name, op.arg.n, op.arg.doc],
             [s.name for s in op.stack_before], [s.name for s in op.stack_after], op.proto, op.doc]
            for op in pickletools.opcodes]
def stack_objects():
    objs = {}
    for op in pickletools.opcodes:
        for s in op.stack_before + op.stack_after:
            objs[s.name] = [s.name, _types(s.obtype), s.doc]
    return objs
`);
});
afterAll(async () => {
  await py?.close();
});

test("every opcode, in order, with CPython's code, argument, stack effect, protocol and doc", async () => {
  const expected = await py.call<unknown[]>("table");
  const ours = OPCODES.map((op) => [
    op.name,
    op.code,
    op.arg === null ? null : [op.arg.name, op.arg.n, op.arg.doc],
    op.stackBefore.map((s) => s.name),
    op.stackAfter.map((s) => s.name),
    op.proto,
    op.doc,
  ]);
  expect(ours).toEqual(expected);
});

test("stack objects and argument descriptors match CPython's", async () => {
  const expected = await py.call<Record<string, [string, string[], string]>>("stack_objects");
  for (const [name, [pyName, obtype, doc]] of Object.entries(expected)) {
    const ours = (STACK_OBJECTS as Record<string, { name: string; obtype: readonly string[]; doc: string }>)[
      name
    ];
    expect(ours, name).toEqual({ name: pyName, obtype, doc });
  }
  const descs = await py.eval<[string, number, string][]>(
    "[[a.name, a.n, a.doc] for a in {op.arg.name: op.arg for op in __import__('pickletools').opcodes if op.arg}.values()]",
  );
  expect(descs.length).toBe(Object.keys(ARGUMENT_DESCRIPTORS).length);
  for (const [name, n, doc] of descs) {
    expect((ARGUMENT_DESCRIPTORS as Record<string, unknown>)[name], name).toEqual({ name, n, doc });
  }
});

test("the descriptor table and the OP byte table name the same bytes", () => {
  const fromTable = Object.fromEntries(OPCODES.map((op) => [op.name, op.code.charCodeAt(0)]));
  expect(fromTable).toEqual({ ...OP });
});
