import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import * as source from "../src/index.js";
import * as nodeSource from "../src/node/index.js";

// The built package, imported by name the way users get it (self-reference through "exports").
const cwd = fileURLToPath(new URL("..", import.meta.url));

function exportsVia(code: string, args: string[]): string[] {
  return JSON.parse(
    execFileSync(process.execPath, [...args, "-e", code], { cwd, encoding: "utf8" }),
  ) as string[];
}

test.each([
  ["@x/torch", source],
  ["@x/torch/node", nodeSource],
])("ESM and CommonJS consumers get %s by name", (name, mod) => {
  const esm = exportsVia(`import * as m from "${name}"; console.log(JSON.stringify(Object.keys(m).sort()))`, [
    "--input-type=module",
  ]);
  expect(esm).toEqual(Object.keys(mod).sort());
  const cjs = exportsVia(
    `const m = require("${name}"); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== "__esModule" && k !== "module.exports").sort()))`,
    ["--no-warnings", "--input-type=commonjs"],
  );
  expect(cjs).toEqual(Object.keys(mod).sort());
});
