import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const dir = fileURLToPath(new URL("./types-consumer/", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

test("the built declarations type-check with lib es2022 only (no DOM lib, no @types/node)", () => {
  let out = "";
  try {
    out = execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? String(e);
  }
  expect(out).toBe("");
});
