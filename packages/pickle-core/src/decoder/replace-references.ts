/**
 * The rare slow path of the natural view's dicts: a dict that was already referenced from
 * elsewhere (fetched by GET or DUP) changed form (a plain object became a Map at its first
 * non-str key, or a Map became a PyDict), so the stale references left in containers are
 * redirected, all of them in one pass when a pickle ends, however many dicts changed.
 * Iterative, with a visited set, so it handles cycles and any depth in time linear in the
 * size of the value.
 */
import { isPyDict, isPyInstance } from "@x/pyobject";

/** Follows `forward` to the current form of `v`. */
export function resolveForward(forward: Map<object, object>, v: unknown): unknown {
  let cur = v;
  for (;;) {
    if (typeof cur !== "object" || cur === null) return cur;
    const next = forward.get(cur);
    if (next === undefined) return cur;
    cur = next;
  }
}

/** Replaces every stale reference reachable from `roots` (arrays whose items are fixed in place). */
export function replaceForwarded(forward: Map<object, object>, roots: unknown[][]): void {
  const seen = new Set<object>();
  const todo: object[] = [];
  const fix = (v: unknown): unknown => (typeof v === "object" && v !== null ? resolveForward(forward, v) : v);
  const visit = (v: unknown): void => {
    if (typeof v === "object" && v !== null && !seen.has(v)) {
      seen.add(v);
      todo.push(v);
    }
  };
  for (const root of roots) {
    for (let i = 0; i < root.length; i++) {
      const v = fix(root[i]);
      root[i] = v;
      visit(v);
    }
  }
  while (todo.length > 0) {
    const o = todo.pop() as object;
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const v = fix(o[i]);
        o[i] = v;
        visit(v);
      }
    } else if (o instanceof Map) {
      let stale = false;
      for (const [k, v] of o) {
        if (fix(k) !== k) stale = true;
        else if (fix(v) !== v) o.set(k, fix(v));
      }
      if (stale) {
        const entries = [...o];
        o.clear();
        for (const [k, v] of entries) o.set(fix(k), fix(v));
      }
      for (const [k, v] of o) {
        visit(k);
        visit(v);
      }
    } else if (o instanceof Set) {
      let stale = false;
      for (const x of o) if (fix(x) !== x) stale = true;
      if (stale) {
        const items = [...o];
        o.clear();
        for (const x of items) o.add(fix(x));
      }
      for (const x of o) visit(x);
    } else if (isPyDict(o)) {
      for (const [k, v] of o) {
        if (fix(v) !== v) o.set(k, fix(v));
      }
      for (const [k, v] of o) {
        visit(k);
        visit(v);
      }
    } else if (isPyInstance(o)) {
      for (let i = 0; i < o.args.length; i++) {
        o.args[i] = fix(o.args[i]);
        visit(o.args[i]);
      }
      o.state = fix(o.state);
      visit(o.state);
      visit(o.cls);
      visit(o.kwargs);
      if (o.listItems) {
        for (let i = 0; i < o.listItems.length; i++) o.listItems[i] = fix(o.listItems[i]);
        visit(o.listItems);
      }
      if (o.dictItems) {
        for (const pair of o.dictItems) {
          pair[0] = fix(pair[0]);
          pair[1] = fix(pair[1]);
          visit(pair);
        }
      }
    } else if (Object.getPrototypeOf(o) === Object.prototype) {
      const rec = o as Record<string, unknown>;
      for (const k of Object.keys(rec)) {
        const v = rec[k];
        const f = fix(v);
        if (f !== v) {
          Object.defineProperty(rec, k, { value: f, writable: true, enumerable: true, configurable: true });
        }
        visit(f);
      }
    }
  }
}
