/**
 * One long-lived python3 process per test file. Tests that need CPython as the oracle call
 * `startPython()` in `beforeAll` and `close()` in `afterAll`. A missing python3 throws: it
 * must fail loudly in CI, never skip.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A python exception reported back by the oracle. */
export class PythonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly trace: string,
  ) {
    super(`${type}: ${message}`);
    this.name = "PythonError";
  }
}

export interface PythonOracle {
  /** Run statements in the shared namespace (define helpers, import modules). */
  exec(code: string): Promise<void>;
  /** Call a function defined earlier with `exec`. */
  call<T = unknown>(fn: string, ...args: unknown[]): Promise<T>;
  /** Evaluate an expression; `vars` become local names. */
  eval<T = unknown>(expr: string, vars?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL("./oracle.py", import.meta.url));

/**
 * The python3 to use: `$PYTHON` when set, else the first `python3` on PATH that imports numpy
 * (npm/npx put node's own directory, often /usr/bin, first on PATH, which can hide the python3
 * the user meant behind a system one without numpy), else plain `python3`.
 */
function resolvePython(): string {
  const fromEnv = process.env.PYTHON;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "python3");
    if (!existsSync(candidate)) continue;
    const r = spawnSync(candidate, ["-c", "import numpy, sys; print(sys.executable)"], { encoding: "utf8" });
    if (r.status === 0) {
      const exe = r.stdout.trim() || candidate;
      process.env.PYTHON = exe;
      return exe;
    }
  }
  return "python3";
}

/** The python3 executable the oracle and the tests run. */
export const PYTHON = resolvePython();

const withModules = new Map<string, string>();

/**
 * A python3 that imports every module named: `$PYTHON` when it does, else Debian's system
 * python3 (`/usr/bin/python3`, where `apt-get install python3-torch python3-pandas ...` puts
 * those libraries), else any `python3` on PATH. Throws, naming what is missing, when none does:
 * tests call it so CI fails loudly, never skips.
 */
export function requirePython(modules: readonly string[] = []): string {
  const code = modules.map((m) => `import ${m}`).join("\n") || "pass";
  const cached = withModules.get(code);
  if (cached !== undefined) return cached;
  const candidates = [PYTHON, "/usr/bin/python3"];
  for (const dir of (process.env.PATH ?? "").split(delimiter)) if (dir) candidates.push(join(dir, "python3"));
  let firstError = "";
  for (const exe of candidates) {
    if (exe !== PYTHON && !existsSync(exe)) continue;
    const r = spawnSync(exe, ["-c", code], { encoding: "utf8" });
    if (!r.error && r.status === 0) {
      withModules.set(code, exe);
      return exe;
    }
    firstError ||= r.error?.message ?? r.stderr.trim();
  }
  throw new Error(
    `python3 with ${modules.join(", ") || "no extra modules"} is required for this test (tried ${candidates.join(", ")}): ${firstError}`,
  );
}

/** Tags values that plain JSON cannot carry (bytes, big ints, non-finite floats). */
export function encodeValue(v: unknown): unknown {
  if (v instanceof Uint8Array)
    return { $b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (typeof v === "bigint") return { $int: v.toString() };
  if (typeof v === "number" && !Number.isFinite(v))
    return { $float: String(v).replace("Infinity", "inf").replace("NaN", "nan") };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = encodeValue(x);
    return o;
  }
  return v;
}

export function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const k = keys[0]!;
      const x = o[k];
      if (k === "$b") return new Uint8Array(Buffer.from(x as string, "base64"));
      if (k === "$int") return BigInt(x as string);
      if (k === "$float") return Number((x as string).replace("inf", "Infinity").replace("nan", "NaN"));
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = decodeValue(o[k]);
    return out;
  }
  return v;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/** Starts the oracle on a python3 that imports `modules` (see {@link requirePython}). */
export async function startPython(modules: readonly string[] = []): Promise<PythonOracle> {
  const exe = requirePython(modules);
  const child: ChildProcessWithoutNullStreams = spawn(exe, ["-u", SCRIPT], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, PYTHONHASHSEED: "0", PYTHONIOENCODING: "utf-8" },
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let buf = "";
  let stderr = "";
  let dead: Error | undefined;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buf += chunk;
    let nl = buf.indexOf("\n");
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf("\n");
      const msg = JSON.parse(line) as {
        id: number;
        ok: boolean;
        value?: unknown;
        type?: string;
        error?: string;
        trace?: string;
      };
      const p = pending.get(msg.id);
      if (!p) continue;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(decodeValue(msg.value));
      else p.reject(new PythonError(msg.type ?? "Error", msg.error ?? "", msg.trace ?? ""));
    }
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (c: string) => {
    stderr += c;
  });
  child.on("exit", (code) => {
    dead = new Error(`python3 oracle exited with ${code}: ${stderr.slice(-2000)}`);
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  });
  const send = (req: Record<string, unknown>): Promise<unknown> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ ...req, id })}\n`);
    });
  };
  return {
    exec: async (code) => {
      await send({ op: "exec", code });
    },
    call: async <T>(fn: string, ...args: unknown[]) =>
      (await send({ op: "call", fn, args: encodeValue(args) })) as T,
    eval: async <T>(expr: string, vars: Record<string, unknown> = {}) =>
      (await send({ op: "eval", expr, vars: encodeValue(vars) })) as T,
    close: () =>
      new Promise<void>((resolve) => {
        if (dead) return resolve();
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
