/**
 * The rare slow path of the natural view's dict promotion: a plain-object dict that was
 * already referenced from containers (through GET or DUP) became a Map, so every reference
 * the machine can reach (stack, memo, and everything inside them) is redirected. Iterative,
 * with a visited set, so it handles cycles and any depth.
 */
import { isPyInstance } from "@x/pyobject";

export function replaceEverywhere(
  from: object,
  to: object,
  stack: unknown[],
  memo: unknown[],
  sparseMemo: Map<number, unknown> | null,
): void {
  const seen = new Set<object>();
  const todo: object[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "object" && v !== null && v !== from && !seen.has(v)) {
      seen.add(v);
      todo.push(v);
    }
  };
  const fix = (v: unknown): unknown => (v === from ? to : v);
  for (let i = 0; i < stack.length; i++) {
    stack[i] = fix(stack[i]);
    visit(stack[i]);
  }
  for (let i = 0; i < memo.length; i++) {
    memo[i] = fix(memo[i]);
    visit(memo[i]);
  }
  if (sparseMemo) {
    for (const [k, v] of sparseMemo) {
      sparseMemo.set(k, fix(v));
      visit(v);
    }
  }
  while (todo.length > 0) {
    const o = todo.pop() as object;
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        o[i] = fix(o[i]);
        visit(o[i]);
      }
    } else if (o instanceof Map) {
      const entries = [...o];
      if (entries.some(([k]) => k === from)) {
        o.clear();
        for (const [k, v] of entries) o.set(fix(k), fix(v));
      } else {
        for (const [k, v] of entries) if (v === from) o.set(k, to);
      }
      for (const [k, v] of o) {
        visit(k);
        visit(v);
      }
    } else if (o instanceof Set) {
      if (o.has(from)) {
        const items = [...o];
        o.clear();
        for (const x of items) o.add(fix(x));
      }
      for (const x of o) visit(x);
    } else if (isPyInstance(o)) {
      for (let i = 0; i < o.args.length; i++) {
        o.args[i] = fix(o.args[i]);
        visit(o.args[i]);
      }
      o.state = fix(o.state);
      visit(o.state);
      if (o.listItems) for (let i = 0; i < o.listItems.length; i++) o.listItems[i] = fix(o.listItems[i]);
      visit(o.listItems);
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
        if (rec[k] === from) {
          Object.defineProperty(rec, k, { value: to, writable: true, enumerable: true, configurable: true });
        }
        visit(rec[k]);
      }
    }
  }
}
