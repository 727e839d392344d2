import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import * as nodeSource from "../src/node/index.js";
import * as streamSource from "../src/stream/index.js";

// The built subpath entries, imported by name the way users get them.
const cwd = fileURLToPath(new URL("..", import.meta.url));

function keysOf(spec: string): string[] {
  const code = `import * as m from "${spec}"; console.log(JSON.stringify(Object.keys(m).sort()))`;
  return JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd, encoding: "utf8" }),
  );
}

test("@x/pickle-io/node exports what src/node/index.ts names", () => {
  expect(keysOf("@x/pickle-io/node")).toEqual(Object.keys(nodeSource).sort());
});

test("@x/pickle-io/stream exports what src/stream/index.ts names", () => {
  expect(keysOf("@x/pickle-io/stream")).toEqual(Object.keys(streamSource).sort());
});
