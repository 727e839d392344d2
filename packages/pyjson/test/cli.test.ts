/**
 * The json.tool CLI against CPython 3.11's json.tool (its parser renamed to our program name so
 * usage and error texts compare byte for byte): stdout, stderr, exit status and output files.
 * CPython's tool runs in one long-lived python3 (stdio swapped per case, SystemExit handled as
 * the interpreter does); a few cases also run `python3 -c` for real to check that harness.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PYTHON, type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { jsonTool } from "../src/cli/json-tool.js";

const PY_TOOL = `
import argparse, sys, runpy
_init = argparse.ArgumentParser.__init__
def _patched(self, *a, **k):
    k["prog"] = "pyjson-tool"
    _init(self, *a, **k)
argparse.ArgumentParser.__init__ = _patched
sys.argv[0] = "pyjson-tool"
runpy.run_module("json.tool", run_name="__main__", alter_sys=True)
`;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  files: Record<string, string | null>;
}

// Runs json.tool's main() in-process the way \`python3 -m json.tool\` would run it.
const PY_IN_PROCESS = `
import argparse, io, os, sys, json.tool
class _Keep(io.BytesIO):
    def close(self):
        pass
def run_tool(args, stdin, cwd):
    os.chdir(cwd)
    out, err = _Keep(), _Keep()
    saved = sys.argv, sys.stdin, sys.stdout, sys.stderr
    sys.argv = ["pyjson-tool"] + list(args)
    sys.stdin = io.TextIOWrapper(_Keep(stdin), encoding="utf-8", newline="\\n")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", newline="\\n", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", newline="\\n", write_through=True)
    code = 0
    try:
        json.tool.main()
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            sys.stderr.write(str(e.code) + "\\n")
            code = 1
    finally:
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except ValueError:
                pass
        sys.argv, sys.stdin, sys.stdout, sys.stderr = saved
    return {"code": code, "stdout": out.getvalue().decode("utf-8"), "stderr": err.getvalue().decode("utf-8")}
_init = argparse.ArgumentParser.__init__
def _patched(self, *a, **k):
    k["prog"] = "pyjson-tool"
    _init(self, *a, **k)
argparse.ArgumentParser.__init__ = _patched
`;

let dir: string;
let py: PythonOracle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pyjson-cli-"));
  py = await startPython();
  await py.exec(PY_IN_PROCESS);
});
afterAll(async () => {
  await py.close();
  rmSync(dir, { recursive: true, force: true });
});

const OUT_FILES = ["out.json", "out2.json"];

function snapshotFiles(cwd: string): Record<string, string | null> {
  const files: Record<string, string | null> = {};
  for (const f of OUT_FILES) {
    try {
      files[f] = readFileSync(join(cwd, f), "utf8");
    } catch {
      files[f] = null;
    }
  }
  return files;
}

function setup(name: string, inputs: Record<string, string | Uint8Array>): string {
  const cwd = join(dir, name);
  rmSync(cwd, { recursive: true, force: true });
  spawnSync("mkdir", ["-p", cwd]);
  for (const [f, data] of Object.entries(inputs)) writeFileSync(join(cwd, f), data);
  return cwd;
}

async function runPythonInProcess(
  args: string[],
  stdin: string | Uint8Array,
  inputs: Record<string, string | Uint8Array>,
): Promise<Result> {
  const cwd = setup("py", inputs);
  const bytes = typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin;
  const r = await py.call<Omit<Result, "files">>("run_tool", args, bytes, cwd);
  return { ...r, files: snapshotFiles(cwd) };
}

function runPython(
  args: string[],
  stdin: string | Uint8Array,
  inputs: Record<string, string | Uint8Array>,
): Result {
  const cwd = setup("py", inputs);
  const r = spawnSync(PYTHON, ["-c", PY_TOOL, ...args], {
    cwd,
    input: stdin,
    env: { ...process.env, COLUMNS: "80", PYTHONIOENCODING: "utf-8" },
  });
  return {
    code: r.status ?? -1,
    stdout: r.stdout.toString("utf8"),
    stderr: r.stderr.toString("utf8"),
    files: snapshotFiles(cwd),
  };
}

async function runOurs(
  args: string[],
  stdin: string | Uint8Array,
  inputs: Record<string, string | Uint8Array>,
): Promise<Result> {
  const cwd = setup("ts", inputs);
  let stdout = "";
  let stderr = "";
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await jsonTool(args, {
      readStdin: async () => (typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin),
      writeStdout: (t) => {
        stdout += t;
      },
      writeStderr: (t) => {
        stderr += t;
      },
    });
    return { code, stdout, stderr, files: snapshotFiles(cwd) };
  } finally {
    process.chdir(previous);
  }
}

const DOC =
  '{"b": [1.0, 2, -0.0, 1e400, NaN, 12345678901234567890], "a": {"\u00e9": "\ud83d\ude00", "1": null, "0": true}}';
const LINES = '{"b":1,"a":2}\n[1, 2.5]\r\n"x"\n';
const CASES: Array<[string, string[], string | Uint8Array, Record<string, string | Uint8Array>?]> = [
  ["default from stdin", [], DOC],
  ["stdin via -", ["-"], DOC],
  ["--sort-keys", ["--sort-keys"], DOC],
  ["--no-ensure-ascii", ["--no-ensure-ascii"], DOC],
  ["--indent 2", ["--indent", "2"], DOC],
  ["--indent=0", ["--indent=0"], DOC],
  ["--indent -1", ["--indent", "-1"], DOC],
  ["--indent ' +3 '", ["--indent", " +3 "], DOC],
  ["--tab", ["--tab"], DOC],
  ["--no-indent", ["--no-indent"], DOC],
  ["--compact", ["--compact"], DOC],
  ["abbreviated options", ["--so", "--comp"], DOC],
  ["empty object and array", [], '[{}, [], [[]], {"a": {}}]'],
  ["scalar", [], " 12 "],
  ["infile", ["in.json"], "", { "in.json": DOC }],
  ["infile outfile", ["in.json", "out.json", "--sort-keys"], "", { "in.json": DOC }],
  ["options then files", ["--compact", "in.json", "out.json"], "", { "in.json": DOC }],
  ["json lines", ["--json-lines"], LINES],
  ["json lines compact to file", ["--json-lines", "--compact", "-", "out.json"], LINES],
  ["json lines with a bad line", ["--json-lines", "--no-indent"], '{"a": 1}\n[1,]\n"never"\n'],
  ["json lines bad line to file", ["--json-lines", "-", "out.json"], '{"a": 1}\n\n'],
  ["invalid JSON", [], "[1, 2"],
  ["invalid JSON with CRLF lines", [], '{\r\n"a": 1,\r\n"b" 2}'],
  ["invalid JSON with CRLF lines in a file", ["in.json"], "", { "in.json": '{\r\n"a": 1,\r"b" 2}' }],
  [
    "json lines with CR line ends in a file",
    ["--json-lines", "in.json"],
    "",
    { "in.json": "1\r2\r\n[3,\r4]" },
  ],
  ["invalid JSON to outfile leaves no file", ["-", "out.json"], "{"],
  ["BOM in the file", ["in.json"], "", { "in.json": "\ufeff[1]" }],
  ["invalid UTF-8", ["in.json"], "", { "in.json": new Uint8Array([0x5b, 0xff, 0x5d]) }],
  ["extra data", [], "[1] [2]"],
  ["empty input", [], ""],
  ["missing infile", ["nope.json"], ""],
  ["--help", ["--help"], ""],
  ["-h", ["-h"], ""],
  ["bad indent", ["--indent", "x"], DOC],
  ["indent without value", ["--indent"], DOC],
  ["exclusive group", ["--tab", "--indent", "3"], DOC],
  ["exclusive group 2", ["--compact", "--no-indent"], DOC],
  ["ambiguous", ["--no"], DOC],
  ["explicit argument to a flag", ["--tab=1"], DOC],
  ["unknown options", ["--foo", "-x"], DOC],
  ["positional quirk", ["in.json", "--sort-keys", "out.json"], "", { "in.json": DOC }],
  ["too many positionals", ["in.json", "out.json", "out2.json"], "", { "in.json": DOC }],
];

describe("pyjson-tool matches python3 -m json.tool", () => {
  test.each(CASES)("%s", async (_name, args, stdin, inputs = {}) => {
    const want = await runPythonInProcess(args, stdin, inputs);
    const got = await runOurs(args, stdin, inputs);
    expect(got).toEqual(want);
  });

  // The in-process harness against a real python3 process, on a few representative cases.
  test.each(
    CASES.filter(([name]) =>
      [
        "default from stdin",
        "invalid JSON with CRLF lines",
        "bad indent",
        "json lines with a bad line",
      ].includes(name),
    ),
  )("real python3 process: %s", async (_name, args, stdin, inputs = {}) => {
    expect(await runPythonInProcess(args, stdin, inputs)).toEqual(runPython(args, stdin, inputs));
  });
});

describe("the built bin", () => {
  test("runs as a command with stdin and exit status", () => {
    const bin = fileURLToPath(new URL("../dist/cli/bin.js", import.meta.url));
    const ok = spawnSync(process.execPath, [bin, "--compact"], { input: '{"a": [1.0, 2]}' });
    expect([ok.status, ok.stdout.toString()]).toEqual([0, '{"a":[1.0,2]}\n']);
    const bad = spawnSync(process.execPath, [bin], { input: "[1,]" });
    expect([bad.status, bad.stderr.toString()]).toEqual([1, "Expecting value: line 1 column 4 (char 3)\n"]);
  });
});
