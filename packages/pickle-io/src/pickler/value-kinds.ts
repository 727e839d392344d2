/** Small tests and texts about JS values the pickler needs: kind, readability, names. */

/** "function f", "Symbol(x)", "'Foo' object"...: what `cannotPickle` names. */
export function describeValue(v: unknown): string {
  return typeof v === "function"
    ? `function ${(v as { name?: string }).name || "<anonymous>"}`
    : typeof v === "symbol"
      ? String(v)
      : typeof v === "object" && v !== null
        ? `'${(v as { constructor?: { name?: string } }).constructor?.name ?? "Object"}' object`
        : typeof v;
}

/** A value saved without pushing work (no container, no reduce): it can be saved inline. */
export function isScalar(x: unknown): boolean {
  const t = typeof x;
  return x === null || (t !== "object" && t !== "function" && t !== "symbol");
}

/** Every item is a scalar (see isScalar). */
export function allScalar(items: readonly unknown[]): boolean {
  for (let j = 0; j < items.length; j++) if (!isScalar(items[j])) return false;
  return true;
}

/** A typed array over a detached ArrayBuffer (it reads as empty; only constructing tells). */
export function isDetached(v: Uint8Array): boolean {
  const buffer = v.buffer;
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** Bytes as a latin-1 str (one char per byte), for protocol 0-2's `_codecs.encode` form. */
export function latin1(v: Uint8Array): string {
  let s = "";
  for (let i = 0; i < v.length; i += 0x2000) {
    s += String.fromCharCode.apply(null, v.subarray(i, i + 0x2000) as unknown as number[]);
  }
  return s;
}
