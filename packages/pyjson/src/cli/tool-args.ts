/**
 * The command line of `python -m json.tool` (CPython 3.11), parsed as its argparse parser does:
 * long options by unique prefix, `--opt=value`, the indent/tab/no-indent/compact exclusive
 * group, argparse's positional quirk (positionals before the first option are consumed
 * together), and argparse's usage, help and error texts (80 columns), with our program name.
 */

export const PROG = "pyjson-tool";

export const USAGE = `usage: ${PROG} [-h] [--sort-keys] [--no-ensure-ascii] [--json-lines]
                   [--indent INDENT | --tab | --no-indent | --compact]
                   [infile] [outfile]
`;

export const HELP = `${USAGE}
A simple command line interface for json module to validate and pretty-print
JSON objects.

positional arguments:
  infile             a JSON file to be validated or pretty-printed
  outfile            write the output of infile to outfile

options:
  -h, --help         show this help message and exit
  --sort-keys        sort the output of dictionaries alphabetically by key
  --no-ensure-ascii  disable escaping of non-ASCII characters
  --json-lines       parse input using the JSON Lines format. Use with --no-
                     indent or --compact to produce valid JSON Lines output.
  --indent INDENT    separate items with newlines and use this number of
                     spaces for indentation
  --tab              separate items with newlines and use tabs for indentation
  --no-indent        separate items with spaces rather than newlines
  --compact          suppress all whitespace separation (most compact)
`;

/** The parsed command line; `infile` `"-"` (or absent) is stdin. */
export interface ToolArgs {
  infile: string | undefined;
  outfile: string | undefined;
  sortKeys: boolean;
  ensureAscii: boolean;
  jsonLines: boolean;
  /** Python's `indent`: a count, `"\t"`, or null for one line. */
  indent: number | string | null;
  compact: boolean;
}

/** Parsing stopped: print `text` to stdout (help) or stderr (usage error) and exit. */
export class ArgsExit {
  constructor(
    readonly code: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {}
}

const LONG = [
  "--help",
  "--sort-keys",
  "--no-ensure-ascii",
  "--json-lines",
  "--indent",
  "--tab",
  "--no-indent",
  "--compact",
];
const GROUP = new Set(["--indent", "--tab", "--no-indent", "--compact"]);
// argparse treats "-1", "-2.5" as positionals/values when no option looks like a number.
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;
// Python's int(): surrounding whitespace, a sign, digits with single underscores between.
const PY_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

function usageError(message: string): ArgsExit {
  return new ArgsExit(2, "", `${USAGE}${PROG}: error: ${message}\n`);
}

function isOption(arg: string): boolean {
  return arg.startsWith("-") && arg !== "-" && !NEGATIVE_NUMBER.test(arg);
}

/**
 * Parses `argv` (without node and script).
 * @throws {ArgsExit} for `--help` (code 0) and for usage errors (code 2), with argparse's text.
 */
export function parseToolArgs(argv: readonly string[]): ToolArgs {
  const args: ToolArgs = {
    infile: undefined,
    outfile: undefined,
    sortKeys: false,
    ensureAscii: true,
    jsonLines: false,
    indent: 4,
    compact: false,
  };
  const unrecognized: string[] = [];
  const positionals: string[] = [];
  let positionalsDone = false;
  let groupSeen: string | undefined;
  let chunk: string[] = [];
  // argparse fills both '?' positionals from the first run of positional strings it sees.
  const flushChunk = (): void => {
    if (chunk.length === 0) return;
    if (!positionalsDone) {
      positionals.push(...chunk.slice(0, 2));
      unrecognized.push(...chunk.slice(2));
      positionalsDone = true;
    } else unrecognized.push(...chunk);
    chunk = [];
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (!isOption(arg)) {
      chunk.push(arg);
      continue;
    }
    flushChunk();
    if (arg === "-h") throw new ArgsExit(0, HELP, "");
    if (!arg.startsWith("--")) {
      unrecognized.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const explicit = eq < 0 ? undefined : arg.slice(eq + 1);
    let option = LONG.includes(name) ? name : undefined;
    if (option === undefined) {
      const matches = LONG.filter((o) => o.startsWith(name));
      if (matches.length > 1) throw usageError(`ambiguous option: ${name} could match ${matches.join(", ")}`);
      option = matches[0];
    }
    if (option === undefined) {
      unrecognized.push(arg);
      continue;
    }
    if (GROUP.has(option)) {
      if (groupSeen !== undefined && groupSeen !== option)
        throw usageError(`argument ${option}: not allowed with argument ${groupSeen}`);
      groupSeen = option;
    }
    if (option === "--indent") {
      let value = explicit;
      if (value === undefined) {
        const next = argv[i + 1];
        if (next === undefined || isOption(next))
          throw usageError("argument --indent: expected one argument");
        value = next;
        i++;
      }
      if (!PY_INT.test(value)) throw usageError(`argument --indent: invalid int value: '${value}'`);
      args.indent = Number.parseInt(value.trim().replaceAll("_", ""), 10);
      continue;
    }
    if (explicit !== undefined)
      throw usageError(`argument ${option}: ignored explicit argument '${explicit}'`);
    switch (option) {
      case "--help":
        throw new ArgsExit(0, HELP, "");
      case "--sort-keys":
        args.sortKeys = true;
        break;
      case "--no-ensure-ascii":
        args.ensureAscii = false;
        break;
      case "--json-lines":
        args.jsonLines = true;
        break;
      case "--tab":
        args.indent = "\t";
        break;
      case "--no-indent":
        args.indent = null;
        break;
      case "--compact":
        args.compact = true;
        break;
    }
  }
  chunk.push(...argv.slice(i));
  flushChunk();
  if (unrecognized.length > 0) throw usageError(`unrecognized arguments: ${unrecognized.join(" ")}`);
  args.infile = positionals[0];
  args.outfile = positionals[1];
  return args;
}
