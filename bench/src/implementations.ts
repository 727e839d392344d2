/**
 * The implementations under test, imported dynamically: our packages are being written while the
 * bench exists, so a missing package or export becomes an "n/a" cell instead of a crash.
 */

export type Model = "natural" | "faithful";

export interface Implementations {
  /** @x/pickle-io `loads(bytes, { model })`. */
  readonly pickleLoads: ((data: Uint8Array, model: Model) => unknown) | null;
  /** @x/pickle-io `dumps(value, { protocol, model })`. */
  readonly pickleDumps: ((value: unknown, protocol: number, model: Model) => Uint8Array) | null;
  /** @x/pyjson `loads(text, { model })`. */
  readonly jsonLoads: ((text: string, model: Model) => unknown) | null;
  /** @x/pyjson `dumps(value, { model })`. */
  readonly jsonDumps: ((value: unknown, model: Model) => string) | null;
  /** pickleparser's `new Parser().parse(bytes)`, the best JS peer. */
  readonly pickleparser: ((data: Uint8Array) => unknown) | null;
  /** A streaming loader: every object of a byte stream of concatenated pickles, in order. */
  readonly iterLoad: ((source: AsyncIterable<Uint8Array>) => AsyncIterable<unknown>) | null;
  /** Why each missing one is missing, for the report. */
  readonly missing: Readonly<Record<string, string>>;
}

type Module = Record<string, unknown>;

/** What to import: a worker timing one cell loads only the module it times (a faster start). */
export type Part = "pickle" | "stream" | "json" | "pickleparser";
export const ALL_PARTS: ReadonlySet<Part> = new Set<Part>(["pickle", "stream", "json", "pickleparser"]);

async function importOrNull(spec: string, missing: Record<string, string>): Promise<Module | null> {
  try {
    return (await import(spec)) as Module;
  } catch (e) {
    missing[spec] = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    return null;
  }
}

function fn(mod: Module | null, name: string, label: string, missing: Record<string, string>) {
  const f = mod?.[name];
  if (typeof f === "function") return f as (...args: unknown[]) => unknown;
  if (mod) missing[label] = `no export "${name}"`;
  return null;
}

/**
 * Imports every implementation that exists right now. BENCH_PICKLE_IO / BENCH_PYJSON name another
 * module (a specifier or a file URL) to bench in place of the workspace packages, e.g. a branch's
 * build.
 */
export async function loadImplementations(
  env: NodeJS.ProcessEnv = process.env,
  parts: ReadonlySet<Part> = ALL_PARTS,
): Promise<Implementations> {
  const missing: Record<string, string> = {};
  const pio = parts.has("pickle") ? await importOrNull(env.BENCH_PICKLE_IO ?? "@x/pickle-io", missing) : null;
  const pioNode =
    env.BENCH_PICKLE_IO || !parts.has("stream") ? null : await importOrNull("@x/pickle-io/node", {});
  const pyjson = parts.has("json") ? await importOrNull(env.BENCH_PYJSON ?? "@x/pyjson", missing) : null;
  const pp = parts.has("pickleparser") ? await importOrNull("pickleparser", missing) : null;

  const loads = fn(pio, "loads", "@x/pickle-io loads", missing);
  const dumps = fn(pio, "dumps", "@x/pickle-io dumps", missing);
  const jLoads = fn(pyjson, "loads", "@x/pyjson loads", missing);
  const jDumps = fn(pyjson, "dumps", "@x/pyjson dumps", missing);

  const Parser = (pp?.Parser ?? (pp?.default as Module | undefined)?.Parser) as
    | (new () => { parse(b: Uint8Array): unknown })
    | undefined;
  if (pp && typeof Parser !== "function") missing.pickleparser = 'no export "Parser"';

  // The streaming loader: a free `iterLoad` (main or ./node entry) or a static `Unpickler.iter`.
  const unpickler = pio?.Unpickler as { iter?: unknown } | undefined;
  const iter = [pio?.iterLoad, pioNode?.iterLoad, unpickler?.iter].find((f) => typeof f === "function") as
    | ((source: AsyncIterable<Uint8Array>) => AsyncIterable<unknown>)
    | undefined;
  if (!iter && parts.has("stream")) missing["streaming loader"] = "no iterLoad / Unpickler.iter export";

  return {
    pickleLoads: loads ? (data, model) => loads(data, { model }) : null,
    pickleDumps: dumps ? (value, protocol, model) => dumps(value, { protocol, model }) as Uint8Array : null,
    jsonLoads: jLoads ? (text, model) => jLoads(text, { model }) : null,
    jsonDumps: jDumps ? (value, model) => jDumps(value, { model }) as string : null,
    pickleparser:
      typeof Parser === "function"
        ? (() => {
            const parser = new Parser();
            // pickleparser console.warn()s every int beyond 2**53; printing 100,000 lines would
            // time the terminal, not the parser, so its warnings are muted during the call.
            const mute = (): void => {};
            return (data: Uint8Array) => {
              const warn = console.warn;
              console.warn = mute;
              try {
                return parser.parse(data);
              } finally {
                console.warn = warn;
              }
            };
          })()
        : null,
    iterLoad: iter ? (source) => iter.call(pio?.Unpickler, source) : null,
    missing,
  };
}
