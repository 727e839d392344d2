import { expect, test } from "vitest";
import { PACKAGES, readText } from "./workspace.js";

test(".ci/run runs the README's test command", () => {
  const readme = readText("README.md");
  const blocks = [...readme.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  const testCommand = blocks.find((b) => b.endsWith(" test"));
  expect(testCommand).toBeDefined();
  const ciLines = readText(".ci/run").split("\n");
  expect(ciLines).toContain(testCommand);
});

test("the README's main-job command names a root script that exists", () => {
  const readme = readText("README.md");
  const main = [...readme.matchAll(/```sh\n([^\n]+)\n```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes(" run "));
  expect(main).toBeDefined();
  const script = main!.split(" run ").pop()!.trim();
  const root = JSON.parse(readText("package.json")) as { scripts: Record<string, string> };
  expect(Object.keys(root.scripts)).toContain(script);
});

test.each(PACKAGES)("@x/%s has a README", (pkg) => {
  expect(readText(`packages/${pkg}/README.md`).length).toBeGreaterThan(200);
});
