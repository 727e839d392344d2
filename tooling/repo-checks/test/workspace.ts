import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const PACKAGES = ["pyobject", "pickle-core", "pickle-io", "pyjson", "torch"] as const;
export type PackageDir = (typeof PACKAGES)[number];

/** Which workspace packages each package may import (the layering of the design card). */
export const ALLOWED_DEPS: Record<PackageDir, readonly string[]> = {
  pyobject: [],
  "pickle-core": ["@x/pyobject"],
  "pickle-io": ["@x/pickle-core", "@x/pyobject"],
  pyjson: ["@x/pyobject"],
  torch: ["@x/pickle-io", "@x/pyobject"],
};

/** Packages whose main entry must run in browsers, Deno and Bun as well as Node. */
export const NEUTRAL_ENTRIES: Record<PackageDir, boolean> = {
  pyobject: true,
  "pickle-core": true,
  "pickle-io": true,
  pyjson: true,
  torch: true,
};

export function readText(...parts: string[]): string {
  return readFileSync(join(ROOT, ...parts), "utf8");
}

export function listFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(join(ROOT, d), { withFileTypes: true })) {
      const rel = join(d, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(suffix)) out.push(rel);
    }
  };
  walk(dir);
  return out;
}
