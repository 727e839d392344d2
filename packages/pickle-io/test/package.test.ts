import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import * as source from "../src/index.js";

// The built package, imported by name the way users get it (self-reference through "exports").
const cwd = fileURLToPath(new URL("..", import.meta.url));
const NAME = "@x/pickle-io";

function exportsVia(code: string, args: string[]): string[] {
  const out = execFileSync(process.execPath, [...args, "-e", code], { cwd, encoding: "utf8" });
  return JSON.parse(out) as string[];
}

test("ESM consumers import the built package by name", () => {
  const keys = exportsVia(
    `import * as m from "${NAME}"; console.log(JSON.stringify(Object.keys(m).sort()))`,
    ["--input-type=module"],
  );
  expect(keys).toEqual(Object.keys(source).sort());
});

test("CommonJS consumers require the built package by name", () => {
  const keys = exportsVia(
    `const m = require("${NAME}"); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== "__esModule" && k !== "module.exports").sort()))`,
    ["--no-warnings", "--input-type=commonjs"],
  );
  expect(keys).toEqual(Object.keys(source).sort());
});
