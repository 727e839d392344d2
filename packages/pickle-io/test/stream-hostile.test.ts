/**
 * Hostile streams: random bytes, and CPython's pickles truncated or with bytes flipped, cut
 * into random chunks. Loading them through the stream readers ends with a value or the
 * library's own errors (UnpicklingError, PickleEOFError), never a hang, a raw RangeError or
 * TypeError, or a read of more than the stream holds.
 */
import { PickleError } from "@x/pickle-core";
import { type PythonOracle, startPython } from "@x/python-oracle";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { iterLoadSync } from "../src/node/index.js";
import { iterLoad } from "../src/stream/index.js";
import { CORPUS_PY } from "./support/corpus.js";

let py: PythonOracle;
let corpus: Uint8Array[];

beforeAll(async () => {
  py = await startPython();
  await py.exec(CORPUS_PY);
  // The small pickles: flips in the large ones mostly land in payload bytes.
  corpus = (await py.call<Uint8Array[]>("corpus")).filter((p) => p.length < 4096);
});
afterAll(async () => {
  await py.close();
});

async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.slice(at, at + n);
    at += n;
  }
}

/** Loads every pickle; returns "ok" or the error's kind, failing on foreign errors. */
async function loadAll(bytes: Uint8Array, sizes: readonly number[]): Promise<string> {
  try {
    for await (const _ of iterLoad(chunked(bytes, sizes))) {
      // values are not checked here: only how reading ends
    }
    return "ok";
  } catch (e) {
    if (PickleError.isInstance(e)) return e.name;
    throw e;
  }
}

const sizes = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 });

test("random bytes end in a value or the library's errors", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), sizes, async (bytes, s) => {
      expect(typeof (await loadAll(bytes, s))).toBe("string");
    }),
    { numRuns: 400 },
  );
});

test("CPython's pickles truncated or with bytes flipped, chunked at random", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 10_000 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      fc.nat(),
      sizes,
      async (which, flips, cut, s) => {
        const base = corpus[which % corpus.length]!.slice();
        for (const [at, b] of flips) base[at % base.length] = b;
        const bytes = base.subarray(0, base.length - (cut % (base.length + 1)));
        const kind = await loadAll(bytes, s);
        expect(typeof kind).toBe("string");
        // Sync reading of the same bytes ends the same way.
        let sync = "ok";
        try {
          for (const _ of iterLoadSync(bytes)) {
            // as above
          }
        } catch (e) {
          if (!PickleError.isInstance(e)) throw e;
          sync = e.name;
        }
        expect(sync).toBe(kind);
      },
    ),
    { numRuns: 600 },
  );
});
