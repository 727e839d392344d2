import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PyTypeError } from "@x/pyobject";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JSONDecodeError } from "../src/index.js";
import { load } from "../src/node/index.js";

let dir: string;
let file: string;
const DOC = '{"a": [1, 2.5, 12345678901234567890], "\u00e9": "\ud83d\ude00"}';
const VALUE = { a: [1, 2.5, 12345678901234567890n], "\u00e9": "\ud83d\ude00" };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pyjson-node-"));
  file = join(dir, "doc.json");
  writeFileSync(file, DOC);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("load from Node sources", () => {
  test("a file path and a file: URL", async () => {
    expect(await load(file)).toEqual(VALUE);
    expect(await load(pathToFileURL(file))).toEqual(VALUE);
  });

  test("UTF-16 files are detected like json.loads on bytes", async () => {
    const f16 = join(dir, "utf16.json");
    const units = new Uint16Array([
      0xfeff,
      ...Array.from({ length: DOC.length }, (_, i) => DOC.charCodeAt(i)),
    ]);
    writeFileSync(f16, new Uint8Array(units.buffer));
    expect(await load(f16)).toEqual(VALUE);
  });

  test("a file descriptor, read from its current position", async () => {
    const f = join(dir, "prefixed.json");
    writeFileSync(f, "skip[1, 2.5]");
    const fd = openSync(f, "r");
    try {
      readSync(fd, new Uint8Array(4), 0, 4, null);
      expect(await load(fd)).toEqual([1, 2.5]);
    } finally {
      closeSync(fd);
    }
  });

  test("a FileHandle", async () => {
    const h = await open(file, "r");
    try {
      expect(await load(h, { model: "faithful" })).toBeTypeOf("object");
    } finally {
      await h.close();
    }
  });

  test("a Readable of Buffers split mid-character, and of strings", async () => {
    const bytes = Buffer.from(DOC, "utf8");
    const parts = [bytes.subarray(0, 3), bytes.subarray(3, 45), bytes.subarray(45)];
    expect(await load(Readable.from(parts))).toEqual(VALUE);
    expect(await load(Readable.from(["[1,", " 2]"]))).toEqual([1, 2]);
  });

  test("Web streams still work through the Node entry", async () => {
    expect(await load(new Blob([DOC]).stream())).toEqual(VALUE);
  });

  test("errors: malformed JSON, missing file, unsupported source", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "[1,\n2,,]");
    await expect(load(bad)).rejects.toSatisfy(
      (e) => JSONDecodeError.isInstance(e) && e.message === "Expecting value: line 2 column 3 (char 6)",
    );
    await expect(load(join(dir, "missing.json"))).rejects.toHaveProperty("code", "ENOENT");
    await expect(load(true as unknown as string)).rejects.toSatisfy((e) => PyTypeError.isInstance(e));
  });
});

test("the built package's ./node entry imports by name", () => {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  const out = execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { load, loads } from "@x/pyjson/node"; console.log(JSON.stringify([typeof load, loads("[1]")]))`,
    ],
    { cwd, encoding: "utf8" },
  );
  expect(JSON.parse(out)).toEqual(["function", [1]]);
});
