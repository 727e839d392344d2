import {
  brandOf,
  type PyComplex,
  type PyDict,
  type PyGlobal,
  type PyInstance,
  type PyTuple,
  strRepr,
} from "@x/pyobject";

const HEX = "0123456789abcdef";

function bytesHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  return s;
}

/**
 * A float as JSON: finite numbers as JSON numbers; the values JSON has no number for, as
 * `{"$float": "<Python's repr>"}`: `"nan"`, `"inf"`, `"-inf"` and `"-0.0"` (JSON's `-0` parses
 * back as 0 in most readers, JSON.parse included).
 */
function numberText(n: number): string {
  if (Number.isNaN(n)) return '{"$float": "nan"}';
  if (n === Infinity) return '{"$float": "inf"}';
  if (n === -Infinity) return '{"$float": "-inf"}';
  if (n === 0 && 1 / n < 0) return '{"$float": "-0.0"}';
  return JSON.stringify(n);
}

/**
 * The natural JS view of a loaded value (what `loads` returns by default) as JSON text, for
 * `pickle --json`. JSON.stringify's mapping, extended where the view holds non-JSON values:
 * bigint as its exact digits; NaN, ±inf and -0.0 as `{"$float": "nan" | "inf" | "-inf" |
 * "-0.0"}` (output is always JSON: `JSON.parse` reads it); bytes as
 * `{"$bytes": "<hex>"}`; a Map (a dict with non-str keys) as `{"$dict": [[key, value], ...]}`;
 * a Set as `{"$set": [...]}`; complex as `{"$complex": [real, imag]}`; a global as
 * `{"$global": "module.name"}`; an inert instance as `{"$instance": "module.name", "args":
 * [...], "state": ...}`; Ellipsis/NotImplemented as `{"$const": "Ellipsis"}`. A container
 * met inside itself prints `{"$recursion": true}`. Indented by 2; walks with an explicit stack.
 */
export function jsonView(value: unknown): string {
  const out: string[] = [];
  type Frame =
    | { kind: "text"; text: string }
    | { kind: "value"; v: unknown; depth: number }
    | { kind: "leave"; o: object };
  const stack: Frame[] = [{ kind: "value", v: value, depth: 0 }];
  const active = new Set<object>();
  const pad = (d: number): string => `\n${"  ".repeat(d)}`;
  const container = (
    o: object,
    open: string,
    close: string,
    items: readonly unknown[] | null,
    entries: readonly [string, unknown][] | null,
    depth: number,
  ): void => {
    const n = items ? items.length : entries!.length;
    if (n === 0) {
      out.push(open + close);
      return;
    }
    out.push(open);
    active.add(o);
    stack.push({ kind: "leave", o }, { kind: "text", text: pad(depth) + close });
    for (let i = n - 1; i >= 0; i--) {
      const sep = i === 0 ? pad(depth + 1) : `,${pad(depth + 1)}`;
      if (items) {
        stack.push({ kind: "value", v: items[i], depth: depth + 1 }, { kind: "text", text: sep });
      } else {
        const [k, x] = entries![i]!;
        stack.push(
          { kind: "value", v: x, depth: depth + 1 },
          { kind: "text", text: `${sep}${JSON.stringify(k)}: ` },
        );
      }
    }
  };
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.kind === "text") {
      out.push(f.text);
      continue;
    }
    if (f.kind === "leave") {
      active.delete(f.o);
      continue;
    }
    const { v, depth } = f;
    switch (typeof v) {
      case "string":
        out.push(JSON.stringify(v));
        continue;
      case "number":
        out.push(numberText(v));
        continue;
      case "bigint":
        out.push(v.toString());
        continue;
      case "boolean":
        out.push(v ? "true" : "false");
        continue;
      case "undefined":
        out.push("null");
        continue;
    }
    if (v === null) {
      out.push("null");
      continue;
    }
    const o = v as object;
    if (o instanceof Uint8Array) {
      out.push(`{"$bytes": "${bytesHex(o)}"}`);
      continue;
    }
    if (active.has(o)) {
      out.push('{"$recursion": true}');
      continue;
    }
    if (Array.isArray(o)) {
      container(o, "[", "]", o, null, depth);
      continue;
    }
    const brand = brandOf(o);
    if (o instanceof Map || brand === "dict") {
      // Keys that are not all str: a list of pairs keeps them as values.
      const pairs = [...(o as Map<unknown, unknown> | PyDict).entries()].map(([k, x]) => [k, x]);
      out.push('{"$dict": ');
      active.add(o);
      stack.push({ kind: "leave", o }, { kind: "text", text: "}" }, { kind: "value", v: pairs, depth });
      continue;
    }
    if (o instanceof Set || brand === "set" || brand === "frozenset") {
      out.push('{"$set": ');
      active.add(o);
      stack.push(
        { kind: "leave", o },
        { kind: "text", text: "}" },
        { kind: "value", v: [...(o as Set<unknown>)], depth },
      );
      continue;
    }
    switch (brand) {
      case "tuple":
        container(o, "[", "]", (o as PyTuple).items, null, depth);
        continue;
      case "bytearray":
        out.push(`{"$bytes": "${bytesHex((o as { bytes: Uint8Array }).bytes)}"}`);
        continue;
      case "complex":
        out.push(
          `{"$complex": [${numberText((o as PyComplex).real)}, ${numberText((o as PyComplex).imag)}]}`,
        );
        continue;
      case "ellipsis":
        out.push('{"$const": "Ellipsis"}');
        continue;
      case "notimplemented":
        out.push('{"$const": "NotImplemented"}');
        continue;
      case "global":
        out.push(`{"$global": ${JSON.stringify(String(o as PyGlobal))}}`);
        continue;
      case "instance": {
        const inst = o as PyInstance;
        const cls = brandOf(inst.cls) === "global" ? String(inst.cls) : strRepr(String(inst.cls));
        const entries: [string, unknown][] = [
          ["$instance", cls],
          ["args", inst.args],
        ];
        if (inst.state !== undefined) entries.push(["state", inst.state]);
        if (inst.listItems) entries.push(["listItems", inst.listItems]);
        if (inst.dictItems) entries.push(["dictItems", inst.dictItems]);
        container(o, "{", "}", null, entries, depth);
        continue;
      }
    }
    // A plain object: a dict whose keys are all str.
    container(o, "{", "}", null, Object.entries(o), depth);
  }
  return out.join("");
}
