import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, test } from "vitest";

// Each ```ts block of the README runs as a module importing the built package by name.
const root = new URL("..", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const outDir = fileURLToPath(new URL("node_modules/.cache/readme-blocks/", root));

test("the README has examples", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(3);
});

for (const [i, code] of blocks.entries()) {
  test(`README example ${i + 1} runs`, async () => {
    mkdirSync(outDir, { recursive: true });
    const file = `${outDir}block-${i + 1}.ts`;
    writeFileSync(file, code);
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });
}

test("the README's command output is what torch-pickle prints", async () => {
  const { execFileSync } = await import("node:child_process");
  const block = /```console\n\$ torch-pickle (\S+)\n([\s\S]*?)```/.exec(readme);
  expect(block).not.toBeNull();
  const out = execFileSync(
    process.execPath,
    [fileURLToPath(new URL("dist/cli/torch-pickle.js", root)), block![1]!],
    {
      cwd: fileURLToPath(root),
      encoding: "utf8",
    },
  );
  expect(out).toBe(block![2]);
});
