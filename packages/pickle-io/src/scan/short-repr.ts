/**
 * A short, bounded, Python-flavoured repr of a value on the machine's stack, for reports:
 * at most a few items per container, two levels deep, {@link MAX_REPR} characters. It never
 * walks a whole container, so a report costs the same for a huge pickle as for a small one.
 */
import { bytesRepr, isPyGlobal, isPyInstance, pyTypeName, strRepr } from "@x/pyobject";
import { CallResult, GlobalRef, PersistentRef } from "./markers.js";

/** Longest repr kept (longer ones end with "..."). */
export const MAX_REPR = 80;
const MAX_ITEMS = 4;
const MAX_DEPTH = 2;
const MAX_TEXT = 48;

export function shortRepr(v: unknown): string {
  const s = repr(v, 0);
  return s.length > MAX_REPR ? `${s.slice(0, MAX_REPR - 3)}...` : s;
}

function repr(v: unknown, depth: number): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") return strRepr(v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}...` : v);
  if (v instanceof GlobalRef) return `${v.module}.${v.name}`;
  if (v instanceof CallResult) {
    const cls = v.cls instanceof GlobalRef || isPyGlobal(v.cls) ? `${v.cls.module}.${v.cls.name}` : "?";
    return `<${cls}(...) #${v.ref}>`;
  }
  if (v instanceof PersistentRef) return `<persistent id #${v.ref}>`;
  if (v instanceof Uint8Array) {
    const head = bytesRepr(v.subarray(0, MAX_TEXT));
    return v.length > MAX_TEXT ? `${head}... (${v.length} bytes)` : head;
  }
  if (isPyGlobal(v)) return `${v.module}.${v.name}`;
  if (isPyInstance(v)) return `<${pyTypeName(v)} object>`;
  if (depth >= MAX_DEPTH) return Array.isArray(v) ? "[...]" : v instanceof Set ? "{...}" : "{...}";
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length && i < MAX_ITEMS; i++) parts.push(repr(v[i], depth + 1));
    if (v.length > MAX_ITEMS) parts.push(`... (${v.length} items)`);
    return `[${parts.join(", ")}]`;
  }
  if (v instanceof Set) {
    const parts: string[] = [];
    for (const x of v) {
      if (parts.length === MAX_ITEMS) {
        parts.push(`... (${v.size} items)`);
        break;
      }
      parts.push(repr(x, depth + 1));
    }
    return `{${parts.join(", ")}}`;
  }
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, x] of v) {
      if (parts.length === MAX_ITEMS) {
        parts.push(`... (${v.size} items)`);
        break;
      }
      parts.push(`${repr(k, depth + 1)}: ${repr(x, depth + 1)}`);
    }
    return `{${parts.join(", ")}}`;
  }
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const parts: string[] = [];
    const o = v as Record<string, unknown>;
    for (const k in o) {
      if (parts.length === MAX_ITEMS) {
        parts.push("...");
        break;
      }
      parts.push(
        `${strRepr(k.length > MAX_TEXT ? `${k.slice(0, MAX_TEXT)}...` : k)}: ${repr(o[k], depth + 1)}`,
      );
    }
    return `{${parts.join(", ")}}`;
  }
  return `<${pyTypeName(v)}>`;
}
