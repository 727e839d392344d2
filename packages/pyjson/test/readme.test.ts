import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, test } from "vitest";

// Each ```ts block of the README runs as a module importing the built package by name.
const root = new URL("..", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const outDir = fileURLToPath(new URL("node_modules/.cache/readme-blocks/", root));

test("the README has examples", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(7);
});

for (const [i, code] of blocks.entries()) {
  test(`README example ${i + 1} runs`, async () => {
    mkdirSync(outDir, { recursive: true });
    const file = `${outDir}block-${i + 1}.ts`;
    writeFileSync(file, code);
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });
}
