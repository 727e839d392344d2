/**
 * The built `pickletools` command against `python3 -m pickletools`, on sample pickles that
 * CPython wrote (test/data/pickletools/gen-samples.py): the same stdout for every flag, the
 * same exit status, and Python's last traceback line as our one-line error.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { requirePython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const PYTHON = process.env.PYTHON ?? "python3";
const DATA = fileURLToPath(new URL("./data/pickletools/", import.meta.url));
const CLI = fileURLToPath(new URL("../dist/cli/pickletools.js", import.meta.url));
const SAMPLES = [
  "shared-refs-p0.pickle",
  "mixed-p2.pickle",
  "instance-p4.pickle",
  "framed-p5.pickle",
  "python2-p2.pickle",
  "three-p3.pickle",
];
const BAD = ["bad-memo.pickle", "truncated.pickle"];

let tmp: string;
beforeAll(() => {
  requirePython();
  tmp = mkdtempSync(join(tmpdir(), "pickletools-cli-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function run(cmd: string, args: string[], stdinFile?: string): SpawnSyncReturns<string> {
  const fd = stdinFile === undefined ? undefined : openSync(join(DATA, stdinFile), "r");
  try {
    return spawnSync(cmd, args, {
      cwd: DATA,
      encoding: "utf8",
      stdio: [fd ?? "pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONIOENCODING: "utf-8" },
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const ours = (args: string[], stdinFile?: string) => run(process.execPath, [CLI, ...args], stdinFile);
const theirs = (args: string[], stdinFile?: string) => run(PYTHON, ["-m", "pickletools", ...args], stdinFile);

function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return lines[lines.length - 1]!;
}

/** Same stdout and exit status; on failure, our single stderr line is Python's last one. */
function expectSame(args: string[], stdinFile?: string): SpawnSyncReturns<string> {
  const a = ours(args, stdinFile);
  const b = theirs(args, stdinFile);
  expect(a.stdout, `stdout of ${args.join(" ")}`).toBe(b.stdout);
  expect(a.status, `status of ${args.join(" ")}: ${a.stderr}`).toBe(b.status);
  if (b.status === 0) expect(a.stderr).toBe("");
  else {
    expect(a.stderr.trimEnd().split("\n")).toHaveLength(1);
    if (b.status === 1) expect(a.stderr.trimEnd()).toBe(lastLine(b.stderr));
  }
  return a;
}

// Each case spawns node and python3; the machine is shared, so allow minutes, not seconds.
describe("pickletools CLI matches python -m pickletools", { timeout: 240_000 }, () => {
  test("one file (no preamble) with the default flags, -a, -l 2 and -l0", () => {
    expectSame(["framed-p5.pickle"]);
    expectSame(["-a", "shared-refs-p0.pickle"]);
    expectSame(["-l", "2", "instance-p4.pickle"]);
    expectSame(["-l0", "--annotate", "python2-p2.pickle"]);
  });

  test("several files get the preamble; -m shares the memo; -p and --preamble= set it", () => {
    expectSame(SAMPLES);
    expectSame(["-a", "-l", "2", ...SAMPLES]);
    expectSame(["-m", ...SAMPLES]);
    expectSame(["-ma", "-p", "--- {name!r:>30} {{x}}", ...SAMPLES]);
    expectSame(["--preamble=[{name:.8}]", "--indent=1", ...SAMPLES]);
  });

  test("'-' reads stdin; several '-' read consecutive pickles (with and without -m)", () => {
    expectSame(["-"], "three-p3.pickle");
    expectSame(["-m", "-", "-", "-"], "three-p3.pickle");
    expectSame(["-", "-", "-"], "three-p3.pickle"); // the third pickle needs the memo: an error
    expectSame(["-", "mixed-p2.pickle"], "python2-p2.pickle");
  });

  test("-o writes the disassembly to a file", () => {
    const a = join(tmp, "ours.txt");
    const b = join(tmp, "theirs.txt");
    expect(ours(["-o", a, "-a", ...SAMPLES]).status).toBe(0);
    expect(theirs(["--output", b, "-a", ...SAMPLES]).status).toBe(0);
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    expect(readFileSync(a, "utf8")).toContain("==> framed-p5.pickle <==");
  });

  test.each(BAD)("%s: the output before the error, then Python's error line, exit status 1", (file) => {
    const r = expectSame(["-a", "mixed-p2.pickle", file, "instance-p4.pickle"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("==> mixed-p2.pickle <==");
  });
});

describe("pickletools CLI usage errors", { timeout: 240_000 }, () => {
  test("a missing file, a bad -l value, an unknown or incomplete option: one line, exit status 2", () => {
    for (const args of [["no-such.pickle"], ["-l", "x", "mixed-p2.pickle"], ["--bogus"], ["-o"]]) {
      const r = expectSame(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^pickletools: error: /);
    }
  });

  test("-t (CPython's doctest self-test) is refused with one line, exit status 2", () => {
    const r = ours(["-t"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^pickletools: error: -t\/--test .*\n$/);
  });

  test("no file prints the help and exits 0; -h too", () => {
    for (const args of [[], ["--he"]]) {
      const r = ours(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^usage: pickletools \[-h\] \[-o OUTPUT\] \[-m\]/);
      expect(r.stdout).toContain("-l INDENTLEVEL, --indentlevel INDENTLEVEL");
    }
    expect(theirs([]).status).toBe(0);
  });

  test("--help is argparse's, line for line, with the command's own name (except -t's note)", () => {
    const py = run(PYTHON, [
      "-c",
      'import sys, runpy; sys.argv = ["pickletools", "--help"]; runpy.run_module("pickletools", run_name="__main__")',
    ]);
    expect(py.status).toBe(0);
    const mine = ours(["--help"]);
    expect(mine.status).toBe(0);
    const withoutTest = (t: string) => t.split("\n").filter((l) => !l.startsWith("  -t, --test"));
    expect(withoutTest(mine.stdout)).toEqual(withoutTest(py.stdout));
  });

  test("a bad preamble template fails like str.format", () => {
    const r = expectSame(["-p", "{nope}", "mixed-p2.pickle", "python2-p2.pickle"]);
    expect(r.stderr).toBe("KeyError: 'nope'\n");
  });
});
