#!/usr/bin/env node
/// <reference types="node" />
/**
 * The `pickletools` command: `python -m pickletools` with the same flags and output.
 *
 *   pickletools [-h] [-o OUTPUT] [-m] [-l INDENTLEVEL] [-a] [-p PREAMBLE] [pickle_file ...]
 *
 * `-` reads stdin; several `-` read consecutive pickles from it, as Python does. A bad pickle
 * prints what CPython prints before failing, then Python's last traceback line
 * (`ValueError: ...`) on stderr, exit status 1; a usage error prints one line, exit status 2.
 */
import { closeSync, openSync, readFileSync, realpathSync, writeSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DisMemo, dis, genops, PickletoolsError } from "../pickletools/index.js";
import { strRepr } from "../pickletools/py-repr.js";
import { parsePyInt } from "../pickletools/py-text.js";

const PROG = "pickletools";

// argparse wraps the usage at 78 columns for this prog name.
const USAGE = `usage: ${PROG} [-h] [-o OUTPUT] [-m] [-l INDENTLEVEL] [-a] [-p PREAMBLE]
                   [-t] [-v]
                   [pickle_file ...]
`;

const HELP = `${USAGE}
disassemble one or more pickle files

positional arguments:
  pickle_file           the pickle file

options:
  -h, --help            show this help message and exit
  -o OUTPUT, --output OUTPUT
                        the file where the output should be written
  -m, --memo            preserve memo between disassemblies
  -l INDENTLEVEL, --indentlevel INDENTLEVEL
                        the number of blanks by which to indent a new MARK
                        level
  -a, --annotate        annotate each line with a short opcode description
  -p PREAMBLE, --preamble PREAMBLE
                        if more than one pickle file is specified, print this
                        before each disassembly
  -t, --test            run self-test suite (CPython's doctests; not available)
  -v                    run verbosely; only affects self-test run
`;

/** A command-line mistake: one line on stderr, exit status 2 (argparse's). */
class UsageError extends Error {}

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIO {
  /** Reads all of stdin. */
  readStdin(): Uint8Array;
  stdout(text: string): void;
  stderr(text: string): void;
}

interface Options {
  output: string | undefined;
  memo: boolean;
  indentlevel: number;
  annotate: boolean;
  preamble: string;
  test: boolean;
  files: string[];
  help: boolean;
}

type OptionName = "output" | "memo" | "indentlevel" | "annotate" | "preamble" | "test" | "verbose" | "help";
const LONG: Record<string, OptionName> = {
  "--output": "output",
  "--memo": "memo",
  "--indentlevel": "indentlevel",
  "--annotate": "annotate",
  "--preamble": "preamble",
  "--test": "test",
  "--help": "help",
};
const SHORT: Record<string, OptionName> = {
  o: "output",
  m: "memo",
  l: "indentlevel",
  a: "annotate",
  p: "preamble",
  t: "test",
  v: "verbose",
  h: "help",
};
const TAKES_VALUE = new Set<OptionName>(["output", "indentlevel", "preamble"]);
const LABEL: Record<OptionName, string> = {
  output: "-o/--output",
  memo: "-m/--memo",
  indentlevel: "-l/--indentlevel",
  annotate: "-a/--annotate",
  preamble: "-p/--preamble",
  test: "-t/--test",
  verbose: "-v",
  help: "-h/--help",
};

// argparse accepts any unambiguous prefix of a long option.
function longOption(token: string): OptionName {
  const exact = LONG[token];
  if (exact !== undefined) return exact;
  const matches = Object.keys(LONG).filter((k) => k.startsWith(token));
  if (matches.length === 1) return LONG[matches[0]!]!;
  if (matches.length > 1) {
    throw new UsageError(`ambiguous option: ${token} could match ${matches.join(", ")}`);
  }
  throw new UsageError(`unrecognized arguments: ${token}`);
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    output: undefined,
    memo: false,
    indentlevel: 4,
    annotate: false,
    preamble: "==> {name} <==",
    test: false,
    files: [],
    help: false,
  };
  const set = (name: OptionName, value: string | undefined): void => {
    switch (name) {
      case "output":
        o.output = value;
        break;
      case "preamble":
        o.preamble = value!;
        break;
      case "indentlevel": {
        const bytes = new TextEncoder().encode(value);
        try {
          o.indentlevel = Number(parsePyInt(bytes, 0, bytes.length));
        } catch {
          throw new UsageError(`argument ${LABEL.indentlevel}: invalid int value: ${strRepr(value!)}`);
        }
        break;
      }
      case "memo":
        o.memo = true;
        break;
      case "annotate":
        o.annotate = true;
        break;
      case "test":
        o.test = true;
        break;
      case "help":
        o.help = true;
        break;
      case "verbose":
        break;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") {
      o.files.push(...argv.slice(i + 1));
      break;
    }
    if (token.startsWith("--") && isOptionLike(token)) {
      const eq = token.indexOf("=");
      const name = longOption(eq < 0 ? token : token.slice(0, eq));
      if (TAKES_VALUE.has(name)) {
        if (eq >= 0) set(name, token.slice(eq + 1));
        else if (i + 1 < argv.length && !isOptionLike(argv[i + 1]!)) set(name, argv[++i]);
        else throw new UsageError(`argument ${LABEL[name]}: expected one argument`);
      } else if (eq >= 0) {
        throw new UsageError(
          `argument ${LABEL[name]}: ignored explicit argument ${strRepr(token.slice(eq + 1))}`,
        );
      } else set(name, undefined);
    } else if (isOptionLike(token)) {
      // -ma (several flags), -l4 / -o out (a value attached or next)
      for (let j = 1; j < token.length; j++) {
        const name = SHORT[token[j]!];
        if (name === undefined) throw new UsageError(`unrecognized arguments: ${token}`);
        if (TAKES_VALUE.has(name)) {
          const rest = token.slice(j + 1);
          if (rest !== "") set(name, rest.startsWith("=") ? rest.slice(1) : rest);
          else if (i + 1 < argv.length && !isOptionLike(argv[i + 1]!)) set(name, argv[++i]);
          else throw new UsageError(`argument ${LABEL[name]}: expected one argument`);
          break;
        }
        set(name, undefined);
      }
    } else o.files.push(token);
  }
  return o;
}

// argparse takes "-" alone, negative numbers and anything with a space as values, not options.
function isOptionLike(token: string): boolean {
  return (
    token.length > 1 && token.startsWith("-") && !/^-\d+$|^-\d*\.\d+$/.test(token) && !token.includes(" ")
  );
}

/**
 * Python's `str.format(name=...)` for the preamble: `{name}` with an optional `!r`/`!s`/`!a`
 * conversion and a `[[fill]align][width][.precision]` spec, and `{{`/`}}`.
 */
function formatPreamble(template: string, name: string): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "}") {
      if (template[i + 1] === "}") {
        out += "}";
        i++;
        continue;
      }
      throw new PreambleError("ValueError", "Single '}' encountered in format string");
    }
    if (c !== "{") {
      out += c;
      continue;
    }
    if (template[i + 1] === "{") {
      out += "{";
      i++;
      continue;
    }
    const close = template.indexOf("}", i);
    if (close < 0) throw new PreambleError("ValueError", "expected '}' before end of string");
    const field = template.slice(i + 1, close);
    i = close;
    const m = /^([^!:]*)(?:!(.))?(?::(.*))?$/s.exec(field)!;
    const key = m[1]!;
    if (key === "" || /^\d+$/.test(key)) {
      throw new PreambleError(
        "IndexError",
        `Replacement index ${key === "" ? 0 : key} out of range for positional args tuple`,
      );
    }
    if (key !== "name") throw new PreambleError("KeyError", strRepr(key));
    let value = name;
    const conv = m[2];
    if (conv === "r" || conv === "a") value = strRepr(name);
    else if (conv !== undefined && conv !== "s") {
      throw new PreambleError("ValueError", `Unknown conversion specifier ${conv}`);
    }
    out += applySpec(value, m[3] ?? "");
  }
  return out;
}

function applySpec(value: string, spec: string): string {
  if (spec === "") return value;
  const m = /^(?:(.)?([<>^]))?(\d*)(?:\.(\d+))?s?$/su.exec(spec);
  if (m === null)
    throw new PreambleError("ValueError", `Invalid format specifier '${spec}' for object of type 'str'`);
  const fill = m[1] ?? " ";
  const align = m[2] ?? "<";
  const width = m[3] === "" ? 0 : Number(m[3]);
  let v = m[4] === undefined ? value : [...value].slice(0, Number(m[4])).join("");
  const len = [...v].length;
  if (len < width) {
    const pad = width - len;
    if (align === "<") v += fill.repeat(pad);
    else if (align === ">") v = fill.repeat(pad) + v;
    else v = fill.repeat(Math.floor(pad / 2)) + v + fill.repeat(pad - Math.floor(pad / 2));
  }
  return v;
}

class PreambleError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code !== undefined ? `${err.code}: ${err.message.replace(/^\w+: /, "")}` : String(e);
}

/**
 * Runs the command; returns its exit status. Text goes to `io`; `-o` files are written directly.
 */
export function main(argv: readonly string[], io: CliIO): number {
  let outFd: number | undefined;
  // Output is buffered and flushed in large writes (no syscall per line).
  let pending = "";
  const flush = (): void => {
    if (pending === "") return;
    if (outFd === undefined) io.stdout(pending);
    else writeSync(outFd, pending);
    pending = "";
  };
  const write = (text: string): void => {
    pending += text;
    if (pending.length >= 65536) flush();
  };
  try {
    const opts = parseArgs(argv);
    if (opts.help) {
      io.stdout(HELP);
      return 0;
    }
    if (opts.test)
      throw new UsageError("-t/--test runs CPython's doctest self-test, which this port does not have");
    if (opts.output !== undefined && opts.output !== "-") {
      try {
        outFd = openSync(opts.output, "w");
      } catch (e) {
        throw new UsageError(
          `argument -o/--output: can't open ${strRepr(opts.output)}: ${describeFsError(e)}`,
        );
      }
    }
    // argparse opens every file before any disassembly: a missing one fails up front.
    const inputs: (Uint8Array | "stdin")[] = opts.files.map((f) => {
      if (f === "-") return "stdin";
      try {
        return new Uint8Array(readFileSync(f));
      } catch (e) {
        throw new UsageError(`argument pickle_file: can't open ${strRepr(f)}: ${describeFsError(e)}`);
      }
    });
    if (inputs.length === 0) {
      io.stdout(HELP);
      return 0;
    }
    let stdin: Uint8Array | undefined;
    let stdinPos = 0;
    const annotate = opts.annotate ? 30 : 0;
    const memo: DisMemo | undefined = inputs.length > 1 && opts.memo ? new Map() : undefined;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      let data: Uint8Array;
      let start = 0;
      if (input === "stdin") {
        stdin ??= io.readStdin();
        data = stdin;
        start = stdinPos;
      } else data = input;
      if (inputs.length > 1) {
        write(`${formatPreamble(opts.preamble, opts.files[i] === "-" ? "<stdin>" : opts.files[i]!)}\n`);
      }
      const options = { out: write, indentlevel: opts.indentlevel, annotate, start };
      dis(data, memo === undefined ? options : { ...options, memo });
      if (input === "stdin") {
        // The next "-" continues after this pickle's STOP, as Python's stdin does.
        for (const [, , , end] of genops(data, { yieldEndPos: true, start })) stdinPos = end;
      }
    }
    flush();
    return 0;
  } catch (e) {
    try {
      flush();
    } catch {
      // the output itself failed: report the first error below
    }
    if (e instanceof UsageError) {
      io.stderr(`${PROG}: error: ${e.message}\n`);
      return 2;
    }
    if (PickletoolsError.isInstance(e) || e instanceof PreambleError) {
      io.stderr(`${e.pyType}: ${e.message}\n`);
      return 1;
    }
    io.stderr(`${PROG}: error: ${describeFsError(e)}\n`);
    return 1;
  } finally {
    if (outFd !== undefined) closeSync(outFd);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Runs the command on this process's arguments and standard streams, setting its exit
 * status: the `pickletools` bin (also exposed by `@x/pickle-io`).
 */
export function runPickletools(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    // A closed pipe (`| head`) ends the command quietly.
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2), {
    readStdin: () => new Uint8Array(readFileSync(0)),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}

if (isEntryPoint()) runPickletools();
