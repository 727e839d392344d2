// The fuzz targets: every API that reads untrusted bytes, and what is done with what it returns.
// Each target returns normally or throws; worker.mjs decides whether a throw is allowed.
import { dis, genops, optimize } from "@x/pickle-core/pickletools";
import { dumps, loads } from "@x/pickle-io";
import { loadAsync } from "@x/pickle-io/stream";
import { loads as jsonLoads } from "@x/pyjson";
import { pformat, pyEquals, pyRepr } from "@x/pyobject";

/** Chunks of 1-7 bytes, then the rest, so every opcode boundary gets split somewhere. */
async function* chunked(data, seed) {
  let at = 0;
  let s = seed >>> 0;
  while (at < data.length) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const n = 1 + (s % 7);
    yield data.slice(at, at + n);
    at += n;
  }
}

/** What is done with a loaded value: print it, compare it, pickle it again and reload. */
function useValue(v, natural) {
  const model = natural ? "natural" : "faithful";
  pyRepr(v, { model });
  pformat(v, { model });
  pyEquals(v, v);
  for (const protocol of [0, 2, 5]) {
    const again = dumps(v, { protocol });
    loads(again, { model });
  }
}

/**
 * dis of deeply nested MARKs prints a text quadratic in the input (CPython's too): the sink
 * stops after 32 Mi characters, so the budget measures dis, not the size of its text.
 */
const ENOUGH = Symbol("enough text");
function disBounded(d) {
  let chars = 0;
  try {
    dis(d, {
      annotate: 1,
      out: (t) => {
        chars += t.length;
        if (chars > 2 ** 25) throw ENOUGH;
      },
    });
  } catch (e) {
    if (e !== ENOUGH) throw e;
  }
}

/** Targets for pickle bytes: [name, run]. */
export const PICKLE_TARGETS = [
  ["loads/faithful", (d) => useValue(loads(d, { model: "faithful" }), false)],
  ["loads/natural", (d) => useValue(loads(d, { model: "natural" }), true)],
  ["loads/strict", (d) => loads(d, { strict: true })],
  ["loadAsync/chunked", (d) => loadAsync(chunked(d, d.length), { model: "faithful" })],
  ["dis", (d) => disBounded(d)],
  [
    "genops",
    (d) => {
      for (const _ of genops(d)) {
        // drain
      }
    },
  ],
  ["optimize", (d) => optimize(d)],
];

/** Targets for JSON input: the bytes as bytes (encoding detected) and as latin-1 text. */
export const JSON_TARGETS = [
  ["json.loads/bytes", (d) => jsonLoads(d)],
  [
    "json.loads/text",
    (d) => {
      let s = "";
      for (let i = 0; i < d.length; i++) s += String.fromCharCode(d[i]);
      return jsonLoads(s);
    },
  ],
  ["json.loads/utf8-text", (d) => jsonLoads(new TextDecoder().decode(d))],
];
