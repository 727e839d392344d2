/**
 * The `pickle` CLI against `python3 -m pickle` on the same files: the sample pickles kept in
 * the repo and pickles CPython writes for the test, plus `--all`, `--json`, stdin and errors.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PYTHON, type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runPickleCli } from "./support/run-cli.js";

const samplesDir = fileURLToPath(new URL("../samples/", import.meta.url));
const builtCli = fileURLToPath(new URL("../dist/cli/pickle.js", import.meta.url));
let py: PythonOracle;
let dir: string;

beforeAll(async () => {
  py = await startPython();
  dir = mkdtempSync(join(tmpdir(), "pickle-cli-"));
});
afterAll(async () => {
  await py.close();
  rmSync(dir, { recursive: true, force: true });
});

const runOurs = runPickleCli;

function runPython(args: string[], input?: Uint8Array): { out: string; status: number | null } {
  const r = spawnSync(PYTHON, args, {
    encoding: "utf8",
    input,
    env: { ...process.env, PYTHONPATH: samplesDir, PYTHONIOENCODING: "utf-8", PYTHONHASHSEED: "0" },
  });
  if (r.error) throw r.error;
  return { out: r.stdout, status: r.status };
}

/** CPython prints object addresses and ids in pprint's recursion marker: not data. */
const mask = (s: string): string =>
  s.replace(/ at 0x[0-9a-f]+>/g, ">").replace(/ with id=\d+>/g, " with id=N>");

const samples = readdirSync(samplesDir).filter((f) => f.endsWith(".pickle"));

describe("same text as python3 -m pickle", () => {
  test("there are samples", () => {
    expect(samples.length).toBeGreaterThanOrEqual(10);
  });

  test.each(samples)("%s", (name) => {
    const path = join(samplesDir, name);
    const ours = runOurs([path]);
    const theirs = runPython(["-m", "pickle", path]);
    expect(theirs.status).toBe(0);
    expect(ours.status).toBe(0);
    expect(mask(ours.out)).toBe(mask(theirs.out));
  });

  test("several files in one call, and values CPython writes at every protocol", async () => {
    await py.exec(`
import pickle
def write_value(path, proto):
    v = {"rows": [{"id": i, "w": i / 3, "name": "row %d" % i} for i in range(12)],
         "when": (2024, 1, 31), "blob": bytes(range(40)), "flags": frozenset({1, 2}),
         "text": "word " * 30, "nested": [[[["deep"]]]], "neg": -2**70, "c": 3j}
    with open(path, "wb") as f:
        pickle.dump(v, f, proto)
`);
    const paths: string[] = [];
    for (let proto = 0; proto <= 5; proto++) {
      const path = join(dir, `value-${proto}.pickle`);
      await py.call("write_value", path, proto);
      paths.push(path);
    }
    const ours = runOurs(paths);
    const theirs = runPython(["-m", "pickle", ...paths]);
    expect(ours.status).toBe(0);
    expect(ours.out).toBe(theirs.out);
  });
});

describe("options, stdin and errors", () => {
  test("--all prints every pickle of a file", () => {
    const path = join(samplesDir, "three-pickles.pickle");
    const loop =
      "import pickle, pprint, sys\nf = open(sys.argv[1], 'rb')\nwhile True:\n    try:\n        pprint.pprint(pickle.load(f))\n    except EOFError:\n        break";
    const ours = runOurs(["--all", path]);
    expect(ours.out).toBe(runPython(["-c", loop, path]).out);
    expect(ours.out.split("\n").filter(Boolean).length).toBe(3);
    // Python's CLI (and ours without --all) prints the first only.
    expect(runOurs([path]).out).toBe("{'n': 1}\n");
  });

  test("--json prints the natural view as JSON", () => {
    const ours = runOurs(["--json", join(samplesDir, "records-protocol4.pickle")]);
    expect(ours.status).toBe(0);
    const rows = JSON.parse(ours.out) as { id: number; tags: string[]; avatar: { $bytes: string } }[];
    expect(rows.length).toBe(4);
    expect(rows[1]).toMatchObject({
      id: 1,
      name: "user-1",
      tags: ["alpha", "beta"],
      active: true,
      manager: null,
    });
    expect(rows[1]!.avatar).toEqual({ $bytes: "01fe27" });
    const mixed = runOurs(["--json", join(samplesDir, "mixed-protocol4.pickle")]).out;
    expect(mixed).toContain('"$dict": [');
    expect(mixed).toContain("1267650600228229401496703205376");
    expect(() => JSON.parse(mixed)).not.toThrow();
  });

  test("--json output is always JSON: every sample, and the floats JSON has no number for", async () => {
    for (const f of samples) {
      const r = runOurs(["--json", "--all", join(samplesDir, f)]);
      expect(r.status, f).toBe(0);
      for (const doc of r.out.split(/\n(?=[[{"\d-]|true|false|null)/))
        expect(() => JSON.parse(doc), f).not.toThrow();
    }
    const path = join(dir, "floats.pickle");
    writeFileSync(
      path,
      await py.eval<Uint8Array>(
        "pickle.dumps([float('inf'), float('-inf'), float('nan'), -0.0, 0.0, 1.5, 2**80, {'k': -0.0}], 4)",
      ),
    );
    const r = runOurs(["--json", path]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toEqual([
      { $float: "inf" },
      { $float: "-inf" },
      { $float: "nan" },
      { $float: "-0.0" },
      0,
      1.5,
      2 ** 80,
      { k: { $float: "-0.0" } },
    ]);
    // The escape's text is Python's repr of the float.
    expect(await py.eval("[repr(float(x)) for x in ('inf', '-inf', 'nan', '-0.0')]")).toEqual([
      "inf",
      "-inf",
      "nan",
      "-0.0",
    ]);
  });

  test("- reads stdin (the built bin)", async () => {
    const bytes = await py.eval<Uint8Array>("pickle.dumps({'from': 'stdin', 'n': [1, 2]}, 3)");
    const r = spawnSync(process.execPath, [builtCli, "-"], { input: bytes, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("{'from': 'stdin', 'n': [1, 2]}\n");
    expect(r.status).toBe(0);
    const three = await py.eval<Uint8Array>(
      "b''.join(pickle.dumps(v, p) for v, p in [([1], 0), ((2,), 2), ('3', 5)])",
    );
    const all = spawnSync(process.execPath, [builtCli, "--all", "-"], { input: three, encoding: "utf8" });
    expect(all.stdout).toBe("[1]\n(2,)\n'3'\n");
  });

  test("errors are one line on stderr with a non-zero status", () => {
    const bad = join(dir, "bad.pickle");
    writeFileSync(bad, new Uint8Array([0x80, 4, 0xff]));
    const cut = join(dir, "cut.pickle");
    writeFileSync(cut, new Uint8Array([0x80, 4, 0x58, 10, 0, 0, 0, 0x61]));
    const empty = join(dir, "empty.pickle");
    writeFileSync(empty, new Uint8Array(0));
    for (const [file, pattern] of [
      [bad, /UnpicklingError: .*invalid load key/],
      [cut, /UnpicklingError: pickle data was truncated/],
      [empty, /EOFError: Ran out of input/],
    ] as const) {
      const r = runOurs([file]);
      expect(r.status).toBe(1);
      expect(r.err).toMatch(pattern);
      expect(r.err.trimEnd().split("\n").length).toBe(1);
    }
    const usage = runOurs(["--bogus"]);
    expect(usage.status).toBe(2);
    expect(usage.err).toContain("unrecognized arguments: --bogus");
  });
});

describe("exit statuses and --help as python3 -m pickle", () => {
  const prog = (text: string) => text.replaceAll("pickle.py", "pickle");

  test("each case exits with Python's status", () => {
    const bad = join(dir, "bad-status.pickle");
    writeFileSync(bad, new Uint8Array([0x80, 4, 0xff]));
    const good = join(samplesDir, samples[0]!);
    const cases: string[][] = [
      [good],
      [bad],
      [join(dir, "missing.pickle")],
      [good, join(dir, "missing.pickle")],
      ["--bogus"],
      ["--help"],
      [],
    ];
    for (const args of cases) {
      const theirs = runPython(["-m", "pickle", ...args]);
      expect(runOurs(args).status, args.join(" ")).toBe(theirs.status);
    }
  });

  test("a file that cannot be opened is argparse's error, before anything loads", () => {
    const missing = join(dir, "missing.pickle");
    const theirs = spawnSync(PYTHON, ["-m", "pickle", join(samplesDir, samples[0]!), missing], {
      encoding: "utf8",
    });
    const ours = runOurs([join(samplesDir, samples[0]!), missing]);
    expect(ours.out).toBe(theirs.stdout);
    expect(ours.err.split("\n")[1]).toBe(prog(theirs.stderr).split("\n")[1]);
    expect(ours.err).toMatch(/^usage: pickle /);
  });

  test("--help has argparse's layout with the command's own name", () => {
    const theirs = prog(runPython(["-m", "pickle", "--help"]).out);
    const ours = runOurs(["--help"]).out;
    const sections = (t: string) =>
      t.split("\n\n").map((block) => block.split("\n")[0]!.replace(/ \[.*$/, ""));
    expect(sections(ours)).toEqual(sections(theirs));
    expect(ours.split("\n\n")[1]).toBe(theirs.split("\n\n")[1]);
    expect(ours).toMatch(/^usage: pickle \[-h\]/);
    expect(ours).toContain("  -h, --help   show this help message and exit\n");
    expect(theirs).toContain("  -h, --help   show this help message and exit\n");
  });
});
