/**
 * Where a conversion is inside the value, for error messages like `value.items[3].owner`.
 * Each container being converted keeps its parent and its own segment; the text is built only
 * when an error needs it.
 */
export interface PathNode {
  readonly parent: PathNode | undefined;
  readonly segment: string;
}

export const ROOT: PathNode = { parent: undefined, segment: "value" };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `.name` for identifier-like keys, else `["key"]`. */
export function propertySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** `[k]` for a dict/Map key: strings quoted, numbers as written, bigints with `n`. */
export function keySegment(key: unknown): string {
  switch (typeof key) {
    case "string":
      return `[${JSON.stringify(key)}]`;
    case "number":
    case "boolean":
      return `[${String(key)}]`;
    case "bigint":
      return `[${key}n]`;
  }
  return key === null ? "[null]" : "[<key>]";
}

export function pathText(node: PathNode, last = ""): string {
  const parts: string[] = [last];
  for (let n: PathNode | undefined = node; n !== undefined; n = n.parent) parts.push(n.segment);
  return parts.reverse().join("");
}

/** A short description of a JS value with no Python counterpart. */
export function describeJs(v: unknown): string {
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return "a symbol";
  if (v === null || typeof v !== "object") return `a ${typeof v}`;
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object";
}
