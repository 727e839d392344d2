/**
 * Finds every tensor in a loaded object, with a Python-like path to it (`['sd']['fc.weight']`),
 * walking with an explicit stack (no recursion over the data) and visiting each object once.
 */
import { isPyDict, isPyInstance, isPyTuple, pyRepr } from "@x/pyobject";
import { Tensor } from "./tensor.js";

/** One tensor found by {@link findTensors}. */
export interface FoundTensor {
  readonly path: string;
  readonly tensor: Tensor;
}

function keyText(k: unknown): string {
  try {
    return pyRepr(k);
  } catch {
    return String(k);
  }
}

/** Every tensor reachable from `obj`, in the order Python would print them. */
export function findTensors(obj: unknown): FoundTensor[] {
  const out: FoundTensor[] = [];
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[obj, ""]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Tensor) {
      out.push({ path: path || "(top)", tensor: v });
      continue;
    }
    const children: [unknown, string][] = [];
    if (Array.isArray(v)) for (const [i, x] of v.entries()) children.push([x, `${path}[${i}]`]);
    else if (isPyTuple(v)) for (const [i, x] of v.items.entries()) children.push([x, `${path}[${i}]`]);
    else if (v instanceof Map || isPyDict(v)) {
      for (const [k, x] of (v as Map<unknown, unknown>).entries())
        children.push([x, `${path}[${keyText(k)}]`]);
    } else if (isPyInstance(v)) {
      for (const [i, x] of v.args.entries()) children.push([x, `${path}.args[${i}]`]);
      for (const [k, x] of v.dictItems ?? []) children.push([x, `${path}[${keyText(k)}]`]);
      for (const [i, x] of (v.listItems ?? []).entries()) children.push([x, `${path}[${i}]`]);
      if (v.state !== undefined) children.push([v.state, `${path}.__state__`]);
    } else if (Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, x] of Object.entries(v)) children.push([x, `${path}[${keyText(k)}]`]);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}
