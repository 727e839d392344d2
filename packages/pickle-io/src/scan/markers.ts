/**
 * What the scanning hooks hand back to the opcode machine instead of Python objects: inert
 * stand-ins that remember which finding produced them, so a later call can say where its
 * callable and arguments came from. They carry the same brands as the loader's inert values
 * (`PyGlobal`, `PyInstance`), so the machine treats them exactly as a load does.
 */
import { PyGlobal, PyInstance } from "@x/pyobject";
import type { ValueSource } from "./report.js";

/** A resolved global; `ref` indexes the report's globals. */
export class GlobalRef extends PyGlobal {
  constructor(
    module: string,
    name: string,
    readonly ref: number,
  ) {
    super(module, name);
  }
}

/** What `persistent_load` returned for a persistent id; `ref` indexes the report's persistent ids. */
export class PersistentRef extends PyGlobal {
  constructor(readonly ref: number) {
    super("<persistent>", String(ref));
  }
}

/** The result of a call; `ref` indexes the report's calls (-1 once `maxCalls` is reached). */
export class CallResult extends PyInstance {
  constructor(
    cls: unknown,
    args: unknown[],
    kind: "reduce" | "newobj" | "newobj_ex",
    readonly ref: number,
  ) {
    super(cls, args, kind);
  }
}

const DATA: ValueSource = Object.freeze({ kind: "data" });

/** Where a value on the machine's stack came from. */
export function sourceOf(v: unknown): ValueSource {
  if (v instanceof GlobalRef) return { kind: "global", ref: v.ref };
  if (v instanceof CallResult) return { kind: "call", ref: v.ref };
  if (v instanceof PersistentRef) return { kind: "persistent", ref: v.ref };
  return DATA;
}
