import { dirname, join, normalize } from "node:path";
import { describe, expect, test } from "vitest";
import { NEUTRAL_ENTRIES, PACKAGES, readText } from "./workspace.js";

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g;
// Node-only globals that must not appear in a platform-neutral entry's module graph.
const NODE_ONLY = /\b(?:Buffer\.|require\(|process\.|__dirname|__filename)/;

/** Every module reachable from a built entry, following relative imports only. */
function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readText(file).matchAll(IMPORT)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) queue.push(normalize(join(dirname(file), spec)));
    }
  }
  return [...seen];
}

describe.each(PACKAGES.filter((p) => NEUTRAL_ENTRIES[p]))("@x/%s main entry", (pkg) => {
  test("uses no node: modules and no Node-only globals", () => {
    const files = moduleGraph(`packages/${pkg}/dist/index.js`);
    expect(files.length).toBeGreaterThan(0);
    const bad: string[] = [];
    for (const file of files) {
      const text = readText(file);
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1]!;
        if (spec.startsWith("node:") || ["fs", "path", "stream", "os", "child_process"].includes(spec)) {
          bad.push(`${file}: imports ${spec}`);
        }
      }
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const hit = NODE_ONLY.exec(code);
      if (hit) bad.push(`${file}: uses ${hit[0]}`);
    }
    expect(bad).toEqual([]);
  });
});
