/**
 * The packages as users get them: `pnpm pack` each one, check the tarball's contents and
 * manifest, then install the tarballs into fresh projects with pnpm (strict layout) and npm,
 * offline (the temp project's registry is unreachable: the packages have no third-party
 * runtime dependencies), and import them from ESM, CommonJS and a CommonJS TypeScript project.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PACKAGES, type PackageDir, ROOT } from "./workspace.js";

const require = createRequire(import.meta.url);
const TSC = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");

/** pnpm: the one running this test (`npx pnpm test`) when there is one, else `pnpm` on PATH. */
function pnpm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const execpath = process.env.npm_execpath;
  const viaNode = execpath !== undefined && /pnpm\.c?js$/.test(execpath);
  return run(viaNode ? process.execPath : "pnpm", viaNode ? [execpath, ...args] : args, cwd);
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 240_000,
  });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The files of a .tgz (ustar/pax, as npm and pnpm write them): path → bytes. */
function untar(file: string): Map<string, Uint8Array> {
  const data = gunzipSync(readFileSync(file));
  const out = new Map<string, Uint8Array>();
  let pos = 0;
  let longName: string | undefined;
  while (pos + 512 <= data.length) {
    const header = data.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const field = (at: number, len: number) =>
      new TextDecoder().decode(header.subarray(at, at + len)).replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = data.subarray(pos + 512, pos + 512 + size);
    longName = undefined;
    if (type === "x") {
      const m = /\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(body));
      if (m) longName = m[1];
    } else if (type === "0" || type === "") out.set(name, body);
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

let work: string;
const tarballs = {} as Record<PackageDir, string>;
const contents = {} as Record<PackageDir, Map<string, Uint8Array>>;
const manifests = {} as Record<PackageDir, Record<string, unknown>>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "packed-"));
  const dest = join(work, "tarballs");
  mkdirSync(dest);
  for (const p of PACKAGES) {
    const before = new Set(readdirSync(dest));
    ok(pnpm(["pack", "--pack-destination", dest], join(ROOT, "packages", p)), `pnpm pack ${p}`);
    const made = readdirSync(dest).find((f) => !before.has(f));
    if (made === undefined) throw new Error(`pnpm pack ${p} wrote no tarball`);
    tarballs[p] = join(dest, made);
    contents[p] = untar(tarballs[p]);
    manifests[p] = JSON.parse(new TextDecoder().decode(contents[p].get("package/package.json")!));
  }
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const privateNames = ["packages", "tooling"].flatMap((group) =>
  readdirSync(join(ROOT, group))
    .map((d) => join(ROOT, group, d, "package.json"))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, "utf8")) as { name: string; private?: boolean })
    .filter((m) => m.private === true)
    .map((m) => m.name),
);

describe.each(PACKAGES)("the packed %s", (p) => {
  test("carries the repo's LICENSE and the registry metadata", () => {
    const license = contents[p].get("package/LICENSE");
    expect(license, "LICENSE in the tarball").toBeDefined();
    expect(new TextDecoder().decode(license)).toBe(readFileSync(join(ROOT, "LICENSE"), "utf8"));
    const m = manifests[p] as {
      license: string;
      repository: { url: string; directory: string };
      homepage: string;
      bugs: { url: string };
      keywords: string[];
    };
    expect(m.license).toBe("MIT");
    expect(m.repository.directory).toBe(`packages/${p}`);
    expect(m.repository.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(m.homepage).toMatch(/^https:\/\//);
    expect(m.bugs.url).toMatch(/^https:\/\//);
    expect(m.keywords.length).toBeGreaterThanOrEqual(3);
  });

  test("names no unpublished workspace package in any dependency field", () => {
    expect(privateNames).toContain("@x/python-oracle");
    for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
      const deps = Object.keys((manifests[p][field] as Record<string, string> | undefined) ?? {});
      for (const name of privateNames) expect(deps, `${field} of ${p}`).not.toContain(name);
      for (const [name, range] of Object.entries((manifests[p][field] as Record<string, string>) ?? {}))
        expect(range, `${field}.${name}`).not.toMatch(/^workspace:/);
    }
  });

  test("every source map points into sources shipped in the tarball", () => {
    const maps = [...contents[p].keys()].filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources } = JSON.parse(new TextDecoder().decode(contents[p].get(map))) as { sources: string[] };
      for (const s of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), s));
        expect(contents[p].has(target), `${map} → ${s}`).toBe(true);
      }
    }
  });

  test("every bin and export target is in the tarball", () => {
    const m = manifests[p] as { bin?: Record<string, string>; exports: Record<string, unknown> };
    const targets = [...Object.values(m.bin ?? {})];
    const walk = (v: unknown): void => {
      if (typeof v === "string") targets.push(v);
      else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
    };
    walk(m.exports);
    for (const t of targets) expect(contents[p].has(posix.join("package", t)), t).toBe(true);
  });
});

/** A fresh project whose registry cannot be reached: installs must come from the tarballs. */
function freshProject(name: string, type: "module" | "commonjs", installs: PackageDir): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, ".npmrc"),
    "registry=http://127.0.0.1:9/\nfetch-retries=0\naudit=false\nfund=false\n",
  );
  // The inner @x/* dependencies resolve to their tarballs (npm refuses an override of the
  // direct dependency itself).
  const overrides = Object.fromEntries(
    PACKAGES.filter((q) => q !== installs).map((q) => [`@x/${q}`, `file:${tarballs[q]}`]),
  );
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, version: "1.0.0", private: true, type, overrides, pnpm: { overrides } }, null, 2),
  );
  return dir;
}

function install(tool: "pnpm" | "npm", dir: string, p: PackageDir): void {
  if (tool === "pnpm")
    ok(pnpm(["add", `file:${tarballs[p]}`, "--config.confirmModulesPurge=false"], dir), "pnpm add");
  else ok(run("npm", ["install", "--no-audit", "--no-fund", tarballs[p]], dir), "npm install");
}

const ESM_CHECK = `
import { dumps, loads, PyTuple, PyDict, PySet, PyFrozenSet, PyByteArray, PyComplex, PyGlobal, PyInstance,
  isPyTuple, isPyDict, isPyInstance, pyRepr, pformat, pyEquals, pyHash, Ellipsis, NotImplemented,
  PyTypeError, PyValueError, PyKeyError, UnpicklingError, HIGHEST_PROTOCOL, DEFAULT_PROTOCOL } from "@x/pickle-io";
const v = loads(dumps(new PyTuple([1n, "a", new PyDict([[new PyFrozenSet([2n]), new PySet([3n])]])]), { protocol: 5 }), { model: "faithful" });
const out = [pyRepr(v), isPyTuple(v), HIGHEST_PROTOCOL, DEFAULT_PROTOCOL >= 4, pyRepr(loads(new Uint8Array([0x80, 2, 0x4e, 0x2e]).buffer))];
if (typeof PyByteArray !== "function" || typeof PyComplex !== "function" || typeof PyGlobal !== "function" ||
  typeof PyInstance !== "function" || typeof isPyDict !== "function" || typeof isPyInstance !== "function" ||
  typeof pformat !== "function" || typeof pyEquals !== "function" || typeof pyHash !== "function" ||
  Ellipsis === undefined || NotImplemented === undefined || typeof PyTypeError !== "function" ||
  typeof PyValueError !== "function" || typeof PyKeyError !== "function" || typeof UnpicklingError !== "function") throw new Error("missing export");
console.log(JSON.stringify(out));
`;
const EXPECTED = JSON.stringify(["(1, 'a', {frozenset({2}): {3}})", true, 5, true, "None"]);

describe.each(["pnpm", "npm"] as const)("a fresh %s project, offline, installs one package alone", (tool) => {
  test.each(PACKAGES)(
    "%s imports in ESM and CommonJS",
    (p) => {
      const dir = freshProject(`${tool}-${p}`, "module", p);
      install(tool, dir, p);
      const name = `@x/${p}`;
      const esm = ok(
        run(
          process.execPath,
          [
            "--input-type=module",
            "-e",
            `import * as m from "${name}"; console.log(JSON.stringify(Object.keys(m).sort()))`,
          ],
          dir,
        ),
        "esm",
      );
      expect((JSON.parse(esm) as string[]).length).toBeGreaterThan(5);
      const cjs = ok(
        run(
          process.execPath,
          [
            "--no-warnings",
            "--input-type=commonjs",
            "-e",
            `console.log(JSON.stringify(Object.keys(require("${name}")).filter((k) => k !== "__esModule" && k !== "module.exports").sort()))`,
          ],
          dir,
        ),
        "cjs",
      );
      expect(JSON.parse(cjs)).toEqual(JSON.parse(esm));
    },
    240_000,
  );

  test("@x/pickle-io alone gives the value model, in ESM and CommonJS, and both commands", () => {
    const dir = freshProject(`${tool}-model`, "module", "pickle-io");
    install(tool, dir, "pickle-io");
    if (tool === "pnpm") {
      // pnpm's strict layout: the dependency is not importable by the project itself.
      const direct = run(process.execPath, ["--input-type=module", "-e", 'await import("@x/pyobject")'], dir);
      expect(direct.status).not.toBe(0);
      expect(direct.stderr).toContain("ERR_MODULE_NOT_FOUND");
    }
    writeFileSync(join(dir, "check.mjs"), ESM_CHECK);
    expect(ok(run(process.execPath, ["check.mjs"], dir), "esm check").trim()).toBe(EXPECTED);
    writeFileSync(
      join(dir, "check.cjs"),
      `const { dumps, loads, PyTuple, pyRepr, isPyTuple, HIGHEST_PROTOCOL } = require("@x/pickle-io");
console.log(JSON.stringify([pyRepr(loads(dumps(new PyTuple([1n, "a"])), { model: "faithful" })), isPyTuple(new PyTuple([])), HIGHEST_PROTOCOL]));`,
    );
    expect(ok(run(process.execPath, ["--no-warnings", "check.cjs"], dir), "cjs check").trim()).toBe(
      JSON.stringify(["(1, 'a')", true, 5]),
    );
    const bin = join(dir, "node_modules", ".bin");
    const pickleBytes = ok(
      run(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          'import { dumps } from "@x/pickle-io"; process.stdout.write(Buffer.from(dumps([1, -0.0, Infinity], { protocol: 2 })).toString("hex"))',
        ],
        dir,
      ),
      "dumps",
    );
    writeFileSync(join(dir, "x.pickle"), Buffer.from(pickleBytes, "hex"));
    expect(JSON.parse(ok(run(join(bin, "pickle"), ["--json", "x.pickle"], dir), "pickle bin"))).toEqual([
      1,
      { $float: "-0.0" },
      { $float: "inf" },
    ]);
    expect(ok(run(join(bin, "pickletools"), ["x.pickle"], dir), "pickletools bin")).toContain("PROTO      2");
    expect(run(join(bin, "pickletools"), ["missing.pickle"], dir).status).toBe(2);
  }, 240_000);

  test("a CommonJS TypeScript project compiles and runs with module/moduleResolution nodenext", () => {
    const dir = freshProject(`${tool}-cjs-ts`, "commonjs", "pickle-io");
    install(tool, dir, "pickle-io");
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          lib: ["es2022"],
          types: [],
          strict: true,
          outDir: "out",
        },
        files: ["main.ts"],
      }),
    );
    writeFileSync(
      join(dir, "main.ts"),
      `import { dumps, loads, PyTuple, pyRepr } from "@x/pickle-io";
declare const console: { log(text: string): void }; // lib es2022, no @types/node
interface Row { id: number; tags: string[] }
const row = loads<Row>(dumps({ id: 7, tags: ["a"] }));
const n: number = row.id;
const t = loads(dumps(new PyTuple([1n, "x"])), { model: "faithful" });
export const out = [n, row.tags[0] ?? "", pyRepr(t)];
console.log(JSON.stringify(out));
`,
    );
    ok(run(process.execPath, [TSC, "-p", "tsconfig.json"], dir), "tsc");
    expect(readFileSync(join(dir, "out", "main.js"), "utf8")).toContain("require(");
    expect(ok(run(process.execPath, ["--no-warnings", "out/main.js"], dir), "run").trim()).toBe(
      JSON.stringify([7, "a", "(1, 'x')"]),
    );
  }, 240_000);
});
