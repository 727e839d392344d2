/** Byte helpers for tests: vitest's deep equality is slow on large Uint8Arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A short description of where two byte arrays differ, or "same". */
export function byteDiff(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): string {
  if (!a || !b) return a === b ? "same" : `one is ${a ? "missing" : String(a)}`;
  if (a.length !== b.length) return `length ${a.length} != ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `byte ${i}: ${a[i]} != ${b[i]}`;
  return "same";
}

/** The list differences of two lists of byte arrays, empty when equal. */
export function listDiff(a: readonly Uint8Array[], b: readonly Uint8Array[]): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`count ${a.length} != ${b.length}`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = byteDiff(a[i], b[i]);
    if (d !== "same") out.push(`#${i}: ${d}`);
  }
  return out;
}
