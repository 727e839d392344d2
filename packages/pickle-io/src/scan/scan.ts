/**
 * `scan`: what loading a pickle would do, without doing it. It drives the loader's own
 * opcode machine with recording hooks (scan-recorder.ts) over every pickle in the input
 * (several pickles back to back, or a numpy `.npy` file whose object array is a pickle), and
 * grades every global, call and persistent id by an allow-list (allow-list.ts).
 */
import { NEED_MORE, PickleDecoder, PickleEOFError, PickleError } from "@x/pickle-core";
import { defaultExtensionRegistry, type ExtensionRegistry } from "../extension-registry.js";
import type { PickleSource } from "../unpickler.js";
import { GlobalPolicy, type GlobalPolicyOptions } from "./allow-list.js";
import { isNpy, parseNpyHeader } from "./npy.js";
import type { ScanReport, ScanStop } from "./report.js";
import { worse } from "./report.js";
import { ScanRecorder } from "./scan-recorder.js";

/** Options of {@link scan}. */
export interface ScanOptions extends GlobalPolicyOptions {
  /**
   * The grading policy; default one built from `allow`/`known`/`dangerous` (which are
   * ignored when a policy is given).
   */
  readonly policy?: GlobalPolicy;
  /** copyreg's extension codes to resolve EXT1/EXT2/EXT4 by. Default `defaultExtensionRegistry`. */
  readonly extensions?: ExtensionRegistry;
  /**
   * Calls listed in the report (the rest are graded and counted in `callsOmitted`), so a
   * report's size is bounded whatever the pickle holds. Default 1000.
   */
  readonly maxCalls?: number;
  /**
   * Global resolutions listed in the report; past it, another resolution of a name already
   * listed is only counted in `globalsOmitted` (new names are always listed). Default 1000.
   */
  readonly maxGlobals?: number;
  /** Stop after this many pickles in one input. Default unlimited. */
  readonly maxPickles?: number;
  /** Python 2 `str` codec, as `loads` (it decides which STRING opcodes decode). Default `"ASCII"`. */
  readonly encoding?: string;
  /** Error handler for `encoding`, as `loads`. Default `"strict"`. */
  readonly errors?: string;
}

/** The policy of the built-in lists, made once (it is immutable). */
let defaultPolicy: GlobalPolicy | undefined;

/**
 * The opcodes whose failure depends on what earlier calls returned: the loader's inert
 * stand-ins may fail there where Python's real objects would not, so a stop at one of them
 * (after any global or call) means the rest of the pickle is out of the scan's sight.
 */
const VALUE_DEPENDENT = new Set<number>([
  0x93, // STACK_GLOBAL (module/name computed by a call)
  0x52, // REDUCE (argument tuple computed)
  0x81, // NEWOBJ
  0x92, // NEWOBJ_EX
  0x6f, // OBJ
  0x62, // BUILD
  0x61, // APPEND
  0x65, // APPENDS
  0x73, // SETITEM
  0x75, // SETITEMS
  0x90, // ADDITEMS
  0x98, // READONLY_BUFFER
]);

/**
 * Scans pickled data and reports every global it resolves, every call it makes and every
 * persistent id, each graded `safe`/`known`/`unknown`/`dangerous`, and an overall verdict.
 * Nothing named by the data is ever imported or run. The input may hold several pickles back
 * to back (each scanned as `pickle.load` would read it, with a fresh memo, and, for bytes,
 * again with one memo shared across them, as a single `Unpickler` would), or be a `.npy` file.
 *
 * A source (`read(n)`) is read as it is scanned (only the `.npy` check needs its first bytes
 * up front) and is scanned with fresh memos only: pass bytes to also cover shared memos.
 *
 * @throws TypeError for a malformed `allow`/`known`/`dangerous` entry. Malformed or
 *   truncated pickles never throw: the report's `error` says where scanning stopped.
 */
export function scan(input: Uint8Array | PickleSource, options: ScanOptions = {}): ScanReport {
  return scanAt(input, options, 0);
}

/** Nested pickles (`pickle.loads(b'...')` inside a pickle) are scanned this many levels deep. */
const MAX_NESTING = 4;

function scanAt(input: Uint8Array | PickleSource, options: ScanOptions, depth: number): ScanReport {
  const policy =
    options.policy ??
    (options.allow === undefined && options.known === undefined && options.dangerous === undefined
      ? (defaultPolicy ??= new GlobalPolicy())
      : new GlobalPolicy(options));
  const extensions = options.extensions ?? defaultExtensionRegistry;
  const maxCalls = options.maxCalls ?? 1000;
  const maxGlobals = options.maxGlobals ?? 1000;
  const maxPickles = options.maxPickles ?? Number.POSITIVE_INFINITY;
  const decoderOptions = { encoding: options.encoding ?? "ASCII", errors: options.errors ?? "strict" };

  let feeder: Feeder;
  if (input instanceof Uint8Array) feeder = new BytesFeeder(input);
  else feeder = new SourceFeeder(input);

  const nestedOptions: ScanOptions = { ...options, policy, extensions };
  const recorder = new ScanRecorder(
    policy,
    extensions,
    maxCalls,
    maxGlobals,
    (at) => feeder.byteAt(at),
    (bytes) => (depth < MAX_NESTING ? scanAt(bytes, nestedOptions, depth + 1) : null),
  );
  let format: "pickle" | "npy" = "pickle";
  let start = 0;
  const head = feeder.peek(10);
  if (isNpy(head)) {
    format = "npy";
    let header: ReturnType<typeof parseNpyHeader>;
    try {
      header = parseNpyHeader(feeder.peek(12 + readHeaderLength(head)));
    } catch (e) {
      return finish(recorder, format, 0, { message: (e as Error).message, offset: 0, pickle: 0 });
    }
    if (!header.pickled) {
      recorder.note("safe", `.npy array of dtype ${header.descr}: raw data, no pickle`, null);
      return finish(recorder, format, 0, null);
    }
    start = header.dataOffset;
  }

  const first = runPasses(feeder, start, recorder, decoderOptions, false, maxPickles);
  let { error } = first;
  if (first.pickles > 1 && feeder instanceof BytesFeeder) {
    // One Unpickler reading them all shares its memo: MEMOIZE numbers and GETs then differ.
    recorder.dedupe = true;
    const second = runPasses(feeder.restart(), start, recorder, decoderOptions, true, maxPickles);
    error ??= second.error;
  }
  return finish(recorder, format, first.pickles, error);
}

function readHeaderLength(head: Uint8Array): number {
  if (head.length < 10) return 0;
  if (head[6] === 1) return (head[8] as number) | ((head[9] as number) << 8);
  return (
    ((head[8] as number) |
      ((head[9] as number) << 8) |
      (((head[10] ?? 0) as number) << 16) |
      (((head[11] ?? 0) as number) << 24)) >>>
    0
  );
}

function finish(
  recorder: ScanRecorder,
  format: "pickle" | "npy",
  pickles: number,
  error: ScanStop | null,
): ScanReport {
  return {
    verdict: recorder.verdict,
    format,
    pickles,
    globals: recorder.globals,
    calls: recorder.calls,
    callsOmitted: recorder.callsOmitted,
    globalsOmitted: recorder.globalsOmitted,
    persistentIds: recorder.persistentIds,
    notes: recorder.notes,
    error,
  };
}

/** Scans every pickle from `start`; returns how many and where it stopped on an error. */
function runPasses(
  feeder: Feeder,
  start: number,
  recorder: ScanRecorder,
  decoderOptions: { encoding: string; errors: string },
  sharedMemo: boolean,
  maxPickles: number,
): { pickles: number; error: ScanStop | null } {
  const decoder = new PickleDecoder(recorder.hooks(), decoderOptions);
  recorder.decoder = decoder;
  feeder.begin(decoder, start);
  let pickles = 0;
  recorder.pickle = 0;
  recorder.base = start;
  for (;;) {
    if (pickles >= maxPickles) return { pickles, error: null };
    try {
      for (;;) {
        const v = decoder.run();
        if (v !== NEED_MORE) break;
        feeder.more(decoder);
      }
    } catch (e) {
      // the end of the input between pickles: done (an empty input is an error, as in load)
      if (PickleEOFError.isInstance(e) && pickles > 0) return { pickles, error: null };
      const at = PickleError.isInstance(e) ? e.offset : undefined;
      const offset = at === undefined ? null : start + at;
      const opcode = PickleError.isInstance(e) ? e.opcode : undefined;
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      if (opcode !== undefined && VALUE_DEPENDENT.has(opcode) && recorder.markers > 0) {
        recorder.note(
          "dangerous",
          `scanning cannot follow past this opcode: it fails on the loader's inert stand-in for a value an earlier global or call produced, where Python may go on (${message})`,
          offset,
        );
      } else {
        // Python stops here too, but what ran before may be all a truncated file holds.
        recorder.verdict = worse(recorder.verdict, "unknown");
      }
      return { pickles: pickles + 1, error: { message, offset, pickle: pickles } };
    }
    pickles++;
    recorder.pickle = pickles;
    if (!sharedMemo) decoder.resetState();
  }
}

/** Feeds a decoder and answers which byte sits at an absolute offset (for the hooks). */
interface Feeder {
  /** The first `n` bytes (fewer at the end of the input), without consuming them. */
  peek(n: number): Uint8Array;
  begin(decoder: PickleDecoder, start: number): void;
  /** After NEED_MORE: feeds more, or ends the input. */
  more(decoder: PickleDecoder): void;
  byteAt(offset: number): number;
}

class BytesFeeder implements Feeder {
  private start = 0;
  constructor(private readonly bytes: Uint8Array) {}
  peek(n: number): Uint8Array {
    return this.bytes.subarray(0, n);
  }
  begin(decoder: PickleDecoder, start: number): void {
    this.start = start;
    decoder.feed(this.bytes.subarray(start));
    decoder.endInput();
  }
  more(decoder: PickleDecoder): void {
    decoder.endInput();
  }
  restart(): BytesFeeder {
    return this;
  }
  byteAt(offset: number): number {
    return (this.bytes[this.start + offset] as number | undefined) ?? -1;
  }
}

/**
 * Reads a source as the Unpickler does (only what the machine needs), keeping each chunk
 * until the machine has moved past it, so a hook can still read its opcode byte.
 */
class SourceFeeder implements Feeder {
  private readonly chunks: { at: number; bytes: Uint8Array }[] = [];
  private fed = 0;
  private ended = false;
  private prefix: Uint8Array = new Uint8Array(0);
  constructor(private readonly source: PickleSource) {}

  peek(n: number): Uint8Array {
    while (this.prefix.length < n && !this.ended) {
      const chunk = this.source.read(n - this.prefix.length);
      if (chunk.length === 0) {
        this.ended = true;
        break;
      }
      const joined = new Uint8Array(this.prefix.length + chunk.length);
      joined.set(this.prefix);
      joined.set(chunk, this.prefix.length);
      this.prefix = joined;
    }
    return this.prefix.subarray(0, n);
  }

  begin(decoder: PickleDecoder, start: number): void {
    this.peek(start);
    const rest = this.prefix.slice(start);
    this.prefix = new Uint8Array(0);
    if (rest.length > 0) this.push(decoder, rest);
    if (this.ended) decoder.endInput();
  }

  private push(decoder: PickleDecoder, bytes: Uint8Array): void {
    this.chunks.push({ at: this.fed, bytes });
    this.fed += bytes.length;
    decoder.feed(bytes);
  }

  more(decoder: PickleDecoder): void {
    // The machine stopped at the start of a cut opcode: chunks wholly before it are done.
    const done = decoder.consumed;
    let drop = 0;
    while (drop < this.chunks.length - 1) {
      const c = this.chunks[drop] as { at: number; bytes: Uint8Array };
      if (c.at + c.bytes.length > done) break;
      drop++;
    }
    if (drop > 0) this.chunks.splice(0, drop);
    if (this.ended) {
      decoder.endInput();
      return;
    }
    const src = this.source;
    const chunk =
      decoder.needsLine && typeof src.readline === "function"
        ? src.readline()
        : src.read(decoder.bytesNeeded);
    if (chunk.length === 0) {
      this.ended = true;
      decoder.endInput();
    } else this.push(decoder, new Uint8Array(chunk)); // a copy: the source may reuse its buffer
  }

  byteAt(offset: number): number {
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i] as { at: number; bytes: Uint8Array };
      if (offset >= c.at) return (c.bytes[offset - c.at] as number | undefined) ?? -1;
    }
    return -1;
  }
}
