/**
 * Where a conversion is inside the value, for error messages like `value.items[3].owner`.
 * Each container being converted keeps its parent and its segment; segments stay raw (an
 * index, a property name, a key) and become text only when an error needs it, so a walk that
 * succeeds builds no strings.
 */
export type Segment =
  | number // an array or tuple index: `[3]`
  | string // a property of a dict converted to/from a plain object: `.owner` or `["a b"]`
  | { readonly mapKey: unknown; readonly isKey: boolean } // a Map/dict entry: `[1n]`, `[1n]<key>`
  | { readonly member: number }; // a set member: `<member 0>`

export interface PathNode {
  readonly parent: PathNode | undefined;
  readonly segment: Segment;
}

export const ROOT: PathNode = { parent: undefined, segment: "value" };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function keyText(key: unknown): string {
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

function segmentText(s: Segment): string {
  switch (typeof s) {
    case "number":
      return `[${s}]`;
    case "string":
      return IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  }
  if ("member" in s) return `<member ${s.member}>`;
  return s.isKey ? `${keyText(s.mapKey)}<key>` : keyText(s.mapKey);
}

/** `value.items[3].owner`: the path of `node`, then `last` when given. */
export function pathText(node: PathNode, last?: Segment): string {
  const parts: string[] = last === undefined ? [] : [segmentText(last)];
  for (let n: PathNode | undefined = node; n !== undefined; n = n.parent) {
    parts.push(n.parent === undefined ? String(n.segment) : segmentText(n.segment));
  }
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
