/**
 * `pickle --scan` end to end: the built bin on files CPython writes and on stdin, the exit
 * statuses (0 safe, 1 unknown, 2 dangerous, 3 unreadable), --json, --allow/--known/--dangerous,
 * and files named like options or subcommands.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runPickleCli } from "./support/run-cli.js";

const builtCli = fileURLToPath(new URL("../dist/cli/pickle.js", import.meta.url));
let py: PythonOracle;
let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  py = await startPython();
  dir = mkdtempSync(join(tmpdir(), "pickle-scan-"));
  const data = await py.eval<Record<string, Uint8Array>>(`(lambda pickle, os, np, argparse, fractions: {
    "evil.pkl": pickle.dumps(type("E", (), {"__reduce__": lambda self: (os.system, ("true",))})()),
    "safe.pkl": pickle.dumps({"a": [1, 2], "b": fractions.Fraction(1, 3)}),
    "numpy.pkl": pickle.dumps(np.arange(4)),
    "unknown.pkl": pickle.dumps(argparse.Namespace(a=1)),
    "truncated.pkl": pickle.dumps(list(range(100)))[:50],
    "several.pkl": pickle.dumps(1) + pickle.dumps(fractions.Fraction(1, 2)) + pickle.dumps(type("E", (), {"__reduce__": lambda self: (os.system, ("true",))})()),
  })(__import__("pickle"), __import__("os"), __import__("numpy"), __import__("argparse"), __import__("fractions"))`);
  for (const [name, bytes] of Object.entries(data)) {
    files[name] = join(dir, name);
    writeFileSync(files[name], bytes);
  }
  // files named like options and subcommands
  writeFileSync(join(dir, "--json"), data["evil.pkl"] as Uint8Array);
  writeFileSync(join(dir, "scan"), data["safe.pkl"] as Uint8Array);
});
afterAll(async () => {
  await py?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = runPickleCli;

function bin(args: string[], input?: Uint8Array): { out: string; err: string; status: number | null } {
  const r = spawnSync(process.execPath, [builtCli, ...args], { input, encoding: "utf8", cwd: dir });
  if (r.error) throw r.error;
  return { out: r.stdout, err: r.stderr, status: r.status };
}

test("exit statuses: 0 safe or known, 1 unknown, 2 dangerous, 3 unreadable", () => {
  expect(run(["--scan", files["safe.pkl"] as string]).status).toBe(0);
  expect(run(["--scan", files["numpy.pkl"] as string]).status).toBe(0);
  expect(run(["--scan", files["unknown.pkl"] as string]).status).toBe(1);
  expect(run(["--scan", files["evil.pkl"] as string]).status).toBe(2);
  expect(run(["--scan", files["truncated.pkl"] as string]).status).toBe(3);
  const missing = run(["--scan", join(dir, "nope.pkl")]);
  expect(missing.status).toBe(3);
  expect(missing.err).toMatch(/ENOENT/);
  // the worst over several files, dangerous first
  expect(run(["--scan", files["safe.pkl"] as string, files["unknown.pkl"] as string]).status).toBe(1);
  expect(run(["--scan", files["truncated.pkl"] as string, files["evil.pkl"] as string]).status).toBe(2);
});

test("readable report names the global, the opcode, the offset and the call", () => {
  const r = run(["--scan", files["evil.pkl"] as string]);
  expect(r.out).toMatch(/DANGEROUS/);
  expect(r.out).toMatch(/dangerous +STACK_GLOBAL +@\d+ +posix\.system/);
  expect(r.out).toMatch(/dangerous +REDUCE +@\d+ +posix\.system\('true'\)/);
});

test("several pickles in one file: the third one is the dangerous one", () => {
  const r = run(["--scan", "--json", files["several.pkl"] as string]);
  expect(r.status).toBe(2);
  const [entry] = JSON.parse(r.out);
  expect(entry.report.pickles).toBe(3);
  expect(entry.report.globals.find((g: { name: string }) => g.name === "system").pickle).toBe(2);
});

test("--json: one entry per file with the report", () => {
  const r = run(["--scan", "--json", files["numpy.pkl"] as string, join(dir, "nope.pkl")]);
  expect(r.status).toBe(3);
  const parsed = JSON.parse(r.out);
  expect(parsed).toHaveLength(2);
  expect(parsed[0].report.verdict).toBe("known");
  expect(
    parsed[0].report.globals.map((g: { module: string; name: string }) => `${g.module}.${g.name}`),
  ).toContain("numpy.ndarray");
  expect(parsed[1].report).toBeNull();
  expect(parsed[1].error).toMatch(/ENOENT/);
});

test("--allow / --known / --dangerous extend the lists", () => {
  expect(run(["--scan", "--allow", "argparse:Namespace", files["unknown.pkl"] as string]).status).toBe(0);
  expect(run(["--scan", "--known", "argparse:*", files["unknown.pkl"] as string]).status).toBe(0);
  expect(run(["--scan", "--dangerous", "numpy:ndarray", files["numpy.pkl"] as string]).status).toBe(2);
  // the allow-list never overrides the dangerous list
  expect(run(["--scan", "--allow", "posix:system", files["evil.pkl"] as string]).status).toBe(2);
  const bad = run(["--scan", "--allow", "nocolon", files["safe.pkl"] as string]);
  expect(bad.status).toBe(2);
  expect(bad.err).toMatch(/module:name/);
});

test("the built bin: files, stdin, and files named like options or subcommands", async () => {
  expect(bin(["--scan", "evil.pkl"]).status).toBe(2);
  const stdin = bin(["--scan", "-"], await py.eval<Uint8Array>("__import__('pickle').dumps({'x': 1})"));
  expect(stdin.status).toBe(0);
  expect(stdin.out).toMatch(/^<stdin>: SAFE/);
  const evilStdin = bin(
    ["--scan", "--json", "-"],
    await py.eval<Uint8Array>("b'cos\\nsystem\\n(S\\'true\\'\\ntR.'"),
  );
  expect(evilStdin.status).toBe(2);
  expect(JSON.parse(evilStdin.out)[0].file).toBe("<stdin>");
  // a file named "scan" and a file named "--json" (after --)
  const named = bin(["--scan", "scan"]);
  expect(named.status).toBe(0);
  expect(named.out).toMatch(/^scan: SAFE/);
  const option = bin(["--scan", "--", "--json"]);
  expect(option.status).toBe(2);
  expect(option.out).toMatch(/^--json: DANGEROUS/);
  // without --scan, pickle still prints the object
  expect(bin(["scan"]).out).toMatch(/'a': \[1, 2\]/);
});

test("--help and bad usage", () => {
  const help = run(["--scan", "--help"]);
  expect(help.status).toBe(0);
  expect(help.out).toMatch(/exit status: 0 safe, 1 unknown globals, 2 dangerous, 3 unreadable/);
  expect(run(["--scan"]).status).toBe(2);
  expect(run(["--scan", "--bogus", "x"]).status).toBe(2);
});
