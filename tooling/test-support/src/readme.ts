import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { expect, test } from "vitest";

export interface ReadmeOptions {
  /** The fewest ```ts blocks the README must hold (guards against a regex that matches none). */
  readonly minBlocks: number;
}

/** The ```ts blocks of a Markdown file, in order. */
export function readmeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/**
 * The compiler options of a user's strict project: ES2022 with no DOM and no ambient `@types`
 * (`types: []`), so a package's declarations that need DOM or Node types fail here. Blocks
 * that import Node modules other than `node:assert` (or a package's `/node` entry) get
 * `@types/node`, as a Node user's project has (see `usesNode`).
 */
function compilerOptions(node: boolean): ts.CompilerOptions {
  return {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: node ? ["node"] : [],
    skipLibCheck: false,
    noEmit: true,
  };
}

/** `node:assert/strict`, declared for the neutral blocks (they use nothing else from Node). */
const ASSERT_SHIM = `declare module "node:assert/strict" {
  interface Assert {
    (value: unknown, message?: string): asserts value;
    ok(value: unknown, message?: string): asserts value;
    equal<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    notEqual(actual: unknown, expected: unknown, message?: string): void;
    deepEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    notDeepEqual(actual: unknown, expected: unknown, message?: string): void;
    throws(fn: () => unknown, expected?: unknown, message?: string): void;
    doesNotThrow(fn: () => unknown, message?: string): void;
    rejects(p: Promise<unknown> | (() => Promise<unknown>), expected?: unknown, message?: string): Promise<void>;
    match(value: string, re: RegExp, message?: string): void;
    strict: Assert;
  }
  const assert: Assert;
  export default assert;
}
`;

/**
 * Blocks written for Node (Node modules, a package's `/node` entry, Buffer) or for the Web
 * platform's globals (TextEncoder, streams, fetch), which lib es2022 lacks: checked with
 * `@types/node`, which declares both.
 */
function usesNode(code: string): boolean {
  return (
    /from\s+["'](?:node:(?!assert)[^"']+|@x\/[^"']+\/node)["']/.test(code) ||
    /\b(?:Buffer|process|TextEncoder|TextDecoder|ReadableStream|WritableStream|fetch|Response)\b/.test(code)
  );
}

/**
 * Type-checks the given files as they are (each a module importing the built packages by
 * name) and returns tsc's diagnostics, one formatted string per error.
 */
export function typecheckBlocks(files: readonly string[], dir: string): string[] {
  const shim = `${dir}assert-shim.d.ts`;
  writeFileSync(shim, ASSERT_SHIM);
  const out: string[] = [];
  const groups: [boolean, string[]][] = [
    [false, files.filter((f) => !usesNode(readFileSync(f, "utf8")))],
    [true, files.filter((f) => usesNode(readFileSync(f, "utf8")))],
  ];
  for (const [node, group] of groups) {
    if (group.length === 0) continue;
    const program = ts.createProgram(node ? group : [shim, ...group], compilerOptions(node));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      out.push(
        ts.formatDiagnostic(d, {
          getCanonicalFileName: (f) => f,
          getCurrentDirectory: () => dir,
          getNewLine: () => "\n",
        }),
      );
    }
  }
  return out;
}

/**
 * Registers the README tests of the package whose test file calls it (`import.meta.url`):
 * each ```ts block runs as a module importing the built packages by name, and all blocks
 * type-check under a user's strict settings (`lib: es2022`, `types: []` unless the block uses
 * Node). Blocks are written under the package's `node_modules/.cache/readme-blocks/`, so they
 * resolve the packages as the package itself does.
 */
export function readmeTests(testFileUrl: string, options: ReadmeOptions): void {
  const root = new URL("..", testFileUrl);
  const blocks = readmeBlocks(readFileSync(new URL("README.md", root), "utf8"));
  const outDir = fileURLToPath(new URL("node_modules/.cache/readme-blocks/", root));
  const fileOf = (i: number) => `${outDir}block-${i + 1}.ts`;
  const writeAll = () => {
    mkdirSync(outDir, { recursive: true });
    blocks.forEach((code, i) => {
      writeFileSync(fileOf(i), code);
    });
  };

  test("the README has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(options.minBlocks);
  });

  test("the README examples type-check (strict, lib es2022, no ambient types)", () => {
    writeAll();
    expect(
      typecheckBlocks(
        blocks.map((_, i) => fileOf(i)),
        outDir,
      ),
    ).toEqual([]);
  }, 120_000);

  test("the platform-neutral entries' declarations need no DOM or Node types", () => {
    const manifest = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as {
      name: string;
      exports: Record<string, unknown>;
    };
    const neutral = Object.keys(manifest.exports).filter(
      (k) => k !== "./package.json" && !/(^|\/)(node|cli)(\/|$)/.test(k),
    );
    expect(neutral).toContain(".");
    mkdirSync(outDir, { recursive: true });
    const file = `${outDir}entries.ts`;
    writeFileSync(
      file,
      neutral.map((k, i) => `export * as e${i} from "${manifest.name}${k.slice(1)}";\n`).join(""),
    );
    expect(typecheckBlocks([file], outDir)).toEqual([]);
  }, 120_000);

  for (const [i, code] of blocks.entries()) {
    test(`README example ${i + 1} runs`, async () => {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(fileOf(i), code);
      await import(/* @vite-ignore */ pathToFileURL(fileOf(i)).href);
    });
  }
}
