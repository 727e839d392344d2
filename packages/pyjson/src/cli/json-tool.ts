import { open, readFile, writeFile } from "node:fs/promises";
import { PyValueError } from "@x/pyobject";
import { decodeUtf8Strict } from "../decoder/decode-bytes.js";
import { loads } from "../decoder/loads.js";
import { dumps } from "../encoder/dumps.js";
import { ArgsExit, PROG, parseToolArgs, USAGE } from "./tool-args.js";

/** Where the tool reads and writes; the bin passes the process's streams. */
export interface ToolIO {
  readStdin(): Promise<Uint8Array>;
  writeStdout(text: string): void;
  writeStderr(text: string): void;
}

// Python's OSError text for the errno codes a file open commonly fails with.
const ERRNO: Record<string, [number, string]> = {
  ENOENT: [2, "No such file or directory"],
  EACCES: [13, "Permission denied"],
  EISDIR: [21, "Is a directory"],
  ENOTDIR: [20, "Not a directory"],
  ELOOP: [40, "Too many levels of symbolic links"],
  ENAMETOOLONG: [36, "File name too long"],
};

function osErrorText(e: unknown, path: string): string {
  const code = (e as { code?: string }).code ?? "";
  const known = ERRNO[code];
  const quoted = `'${path.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  return known ? `[Errno ${known[0]}] ${known[1]}: ${quoted}` : `${String((e as Error).message ?? e)}`;
}

/**
 * The text Python reads: UTF-8, strictly. A file opened by argparse reads with universal
 * newlines ("\r\n" and "\r" become "\n"); Python's sys.stdin does not translate them.
 */
function readText(raw: Uint8Array, universalNewlines: boolean): string {
  const s = decodeUtf8Strict(raw);
  return !universalNewlines || s.indexOf("\r") < 0 ? s : s.replace(/\r\n?/g, "\n");
}

/** Lines as Python's text file iteration yields them, each with its "\n" (the last maybe not). */
function lines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/**
 * `python -m json.tool` (CPython 3.11): validates and pretty-prints JSON, with the same flags,
 * output bytes, error messages and exit codes (0 ok, 1 invalid JSON, 2 usage error). Values
 * are read in the faithful model so ints, floats and key order print back as Python prints them.
 * @returns the exit status.
 */
export async function jsonTool(argv: readonly string[], io: ToolIO): Promise<number> {
  let args: ReturnType<typeof parseToolArgs>;
  try {
    args = parseToolArgs(argv);
  } catch (e) {
    if (!(e instanceof ArgsExit)) throw e;
    if (e.stdout) io.writeStdout(e.stdout);
    if (e.stderr) io.writeStderr(e.stderr);
    return e.code;
  }
  // argparse.FileType opens the input while parsing: failures are usage errors.
  let raw: Uint8Array;
  const infile = args.infile;
  const fromStdin = infile === undefined || infile === "-";
  if (fromStdin) raw = await io.readStdin();
  else {
    try {
      raw = new Uint8Array(await readFile(infile));
    } catch (e) {
      io.writeStderr(
        `${USAGE}${PROG}: error: argument infile: can't open '${infile}': ${osErrorText(e, infile)}\n`,
      );
      return 2;
    }
  }
  const dumpOptions = {
    sortKeys: args.sortKeys,
    ensureAscii: args.ensureAscii,
    indent: args.compact ? null : args.indent,
    model: "faithful" as const,
    ...(args.compact ? { separators: [",", ":"] as const } : {}),
  };
  const outfile = args.outfile;
  let out = "";
  const flush = async (): Promise<void> => {
    if (outfile === undefined) io.writeStdout(out);
    else await writeFile(outfile, out, { flag: "a" });
    out = "";
  };
  try {
    if (args.jsonLines) {
      // Python opens the output before reading the first line (the generator is lazy).
      if (outfile !== undefined) await (await open(outfile, "w")).close();
      let failure: unknown;
      try {
        for (const line of lines(readText(raw, !fromStdin))) {
          out += `${dumps(loads(line, { model: "faithful" }), dumpOptions)}\n`;
        }
      } catch (e) {
        failure = e;
      }
      await flush();
      if (failure !== undefined) throw failure;
    } else {
      const value = loads(readText(raw, !fromStdin), { model: "faithful" });
      out = `${dumps(value, dumpOptions)}\n`;
      if (outfile !== undefined) await (await open(outfile, "w")).close();
      await flush();
    }
  } catch (e) {
    // json.tool turns ValueError (JSONDecodeError, UnicodeDecodeError, ...) into SystemExit(e).
    if (PyValueError.isInstance(e)) {
      io.writeStderr(`${e.message}\n`);
      return 1;
    }
    if ((e as { code?: string }).code !== undefined && outfile !== undefined) {
      io.writeStderr(`${osErrorText(e, outfile)}\n`);
      return 1;
    }
    throw e;
  }
  return 0;
}
