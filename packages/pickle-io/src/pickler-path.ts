import { brandOf, type PyDict, type PyInstance, type PyTuple } from "@x/pyobject";

/** A container the pickler is inside of, outermost first. */
export type PathFrame = unknown;

function keyText(k: unknown): string {
  return typeof k === "string" ? JSON.stringify(k) : typeof k === "bigint" ? `${k}` : String(k);
}

/** The step from `parent` to `child` (`[3]`, `["key"]`, `.state`...), or "" when not found. */
function step(parent: unknown, child: unknown): string {
  if (Array.isArray(parent)) {
    const i = parent.indexOf(child);
    return i >= 0 ? `[${i}]` : "";
  }
  if (parent instanceof Map) {
    for (const [k, v] of parent) if (v === child || k === child) return `[${keyText(k)}]`;
    return "";
  }
  if (parent instanceof Set) return parent.has(child) ? "{…}" : "";
  switch (brandOf(parent)) {
    case "tuple": {
      const i = (parent as PyTuple).items.indexOf(child);
      return i >= 0 ? `[${i}]` : "";
    }
    case "dict":
      for (const [k, v] of (parent as PyDict).entries())
        if (v === child || k === child) return `[${keyText(k)}]`;
      return "";
    case "set":
    case "frozenset":
      return "{…}";
    case "instance": {
      const inst = parent as PyInstance;
      const i = inst.args.indexOf(child);
      if (i >= 0) return `.args[${i}]`;
      if (inst.state === child) return ".state";
      if (inst.listItems?.includes(child)) return `.listItems[${inst.listItems.indexOf(child)}]`;
      return ".dictItems";
    }
    case undefined:
      if (parent !== null && typeof parent === "object") {
        for (const k of Object.keys(parent)) {
          if ((parent as Record<string, unknown>)[k] === child) return `[${keyText(k)}]`;
        }
      }
      return "";
    default:
      return "";
  }
}

/**
 * The path from the pickled root to `value` through the containers being pickled, e.g.
 * `obj["users"][3].state`, found by identity only when an error is being reported.
 */
export function pathTo(frames: readonly PathFrame[], value: unknown): string {
  let path = "obj";
  for (let i = 0; i < frames.length; i++) {
    const child = i + 1 < frames.length ? frames[i + 1] : value;
    if (child === frames[i]) continue;
    path += step(frames[i], child);
  }
  return path;
}
