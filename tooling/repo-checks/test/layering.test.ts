import { describe, expect, test } from "vitest";
import { ALLOWED_DEPS, listFiles, PACKAGES, readText } from "./workspace.js";

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g;

describe.each(PACKAGES)("@x/%s", (pkg) => {
  const sources = listFiles(`packages/${pkg}/src`, ".ts");

  test("imports only the layers below it, by package name", () => {
    const bad: string[] = [];
    for (const file of sources) {
      for (const m of readText(file).matchAll(IMPORT)) {
        const spec = m[1]!;
        if (spec.startsWith("@x/")) {
          const name = spec.split("/").slice(0, 2).join("/");
          if (!ALLOWED_DEPS[pkg].includes(name)) bad.push(`${file}: ${spec}`);
        } else if (spec.startsWith(".") && /\.\.\/\.\.\/\.\.\/|packages\//.test(spec)) {
          bad.push(`${file}: ${spec} reaches outside the package`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  test("declares the workspace packages it imports", () => {
    const manifest = JSON.parse(readText(`packages/${pkg}/package.json`)) as {
      dependencies?: Record<string, string>;
    };
    const declared = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith("@x/"));
    for (const d of declared) expect(ALLOWED_DEPS[pkg]).toContain(d);
    for (const d of declared) expect(manifest.dependencies?.[d]).toBe("workspace:^");
  });
});
