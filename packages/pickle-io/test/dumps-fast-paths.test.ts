/**
 * The pickler's fast paths against python3's own pickles: a list item already in the memo is a
 * GET written from the list's loop (small memo and Map, 1- and 4-byte GETs, across frame
 * boundaries, shared before and inside the list), and bytes below protocol 3 are written as
 * the UTF-8 of their latin-1 str straight from the bytes.
 */

import { PyByteArray, PyDict, PyTuple } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps, Pickler } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import io, pickle
def py_shared(distinct, refs, pad, listed_first, protocol):
    names = ["v%d" % k for k in range(5)]
    objs = [{"i": i, "s": names[i % 5]} if i % 3 else [i, ("t", i)] for i in range(distinct)]
    lst = [objs[(j * 7) % distinct] for j in range(refs)]
    head = ["x" * pad] + ([objs] if listed_first else [])
    return pickle.dumps(head + [lst, lst[:3]], protocol)
def py_mixed(protocol):
    d = {"k": [1, 2]}
    t = (d, "z")
    l = [d]
    one = bytes([97])
    return pickle.dumps([d, t, l, d, one, bytes([97]), t, [d, l, t], l, b"", b"", (), ()], protocol)
def latin1_values():
    out = [b"", b"\\x00", b"\\xff", b"ab", bytes(range(256))]
    for n in (2, 127, 128, 255, 256, 40000, 65536, 70000):
        out.append(bytes((j * 131 + n) & 0xff for j in range(n)))
        out.append(bytes((j * 3) & 0x7f for j in range(n)))
    same = bytes(range(100, 140))
    out += [same, same, bytes(range(100, 140)), bytearray(b"\\x80\\x81z"), {"b": same, "t": (same, b"\\xe9\\xe9")}]
    return out
def py_latin1(protocol):
    return pickle.dumps(latin1_values(), protocol)
def py_latin1_pers(protocol):
    class P(pickle.Pickler):
        def persistent_id(self, obj):
            return "pid" if type(obj) is str and len(obj) > 1 and obj[0] == "\\xe9" else None
    f = io.BytesIO()
    P(f, protocol).dump(latin1_values())
    return f.getvalue()
`);
});
afterAll(async () => {
  await py.close();
});

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

function jsShared(
  distinct: number,
  refs: number,
  pad: number,
  listedFirst: boolean,
  pyDict: boolean,
): unknown[] {
  const objs: unknown[] = [];
  for (let i = 0; i < distinct; i++) {
    const s = `v${i % 5}`;
    objs.push(
      i % 3 === 0
        ? [i, new PyTuple(["t", i])]
        : pyDict
          ? new PyDict<string, unknown>([
              ["i", i],
              ["s", s],
            ])
          : { i, s },
    );
  }
  const lst: unknown[] = [];
  for (let j = 0; j < refs; j++) lst.push(objs[(j * 7) % distinct]);
  return ["x".repeat(pad), ...(listedFirst ? [objs] : []), lst, lst.slice(0, 3)];
}

test("list items already in the memo are CPython's GETs: small and large memos, frames, shared first or inside", async () => {
  // 3 objects: the memo's short arrays; 300: its Map and 4-byte GETs past index 255. 40,000
  // two-byte GETs cross the 64 KiB frame boundary; the pads move where it falls.
  for (const [distinct, refs] of [
    [3, 40],
    [300, 2000],
    [3, 40000],
    [300, 40000],
  ] as const) {
    for (const pad of [0, 1, 5]) {
      for (const listedFirst of [false, true]) {
        for (let p = 0; p <= 5; p++) {
          const theirs = hexOf(await py.call<Uint8Array>("py_shared", distinct, refs, pad, listedFirst, p));
          for (const pyDict of [false, true]) {
            const what = `${distinct}/${refs} pad ${pad} first ${listedFirst} p${p} ${pyDict ? "PyDict" : "object"}`;
            const v = jsShared(distinct, refs, pad, listedFirst, pyDict);
            expect(hexOf(dumps(v, { protocol: p })), what).toBe(theirs);
          }
          if (refs === 40000 && pad === 1) {
            // Through a sink: each frame handed over as it closes.
            const parts: Uint8Array[] = [];
            const sink = { write: (b: Uint8Array) => parts.push(b.slice()) };
            new Pickler(sink, { protocol: p }).dump(jsShared(distinct, refs, pad, listedFirst, true));
            expect(hexOf(Buffer.concat(parts)), `${distinct}/${refs} first ${listedFirst} p${p} sink`).toBe(
              theirs,
            );
          }
        }
      }
    }
  }
});

test("shared dicts, lists, tuples and CPython's cached small bytes met again in lists", async () => {
  const d = { k: [1, 2] };
  const t = new PyTuple([d, "z"]);
  const l = [d];
  const one = new Uint8Array([97]);
  const v = [
    d,
    t,
    l,
    d,
    one,
    new Uint8Array([97]),
    t,
    [d, l, t],
    l,
    new Uint8Array(0),
    new Uint8Array(0),
    new PyTuple([]),
    new PyTuple([]),
  ];
  for (let p = 0; p <= 5; p++) {
    expect(hexOf(dumps(v, { protocol: p })), `p${p}`).toBe(hexOf(await py.call<Uint8Array>("py_mixed", p)));
  }
});

function latin1Values(): unknown[] {
  const out: unknown[] = [
    new Uint8Array(0),
    new Uint8Array([0]),
    new Uint8Array([0xff]),
    new Uint8Array([0x61, 0x62]),
    Uint8Array.from({ length: 256 }, (_, i) => i),
  ];
  for (const n of [2, 127, 128, 255, 256, 40000, 65536, 70000]) {
    out.push(Uint8Array.from({ length: n }, (_, j) => (j * 131 + n) & 0xff));
    out.push(Uint8Array.from({ length: n }, (_, j) => (j * 3) & 0x7f));
  }
  const same = Uint8Array.from({ length: 40 }, (_, j) => 100 + j);
  out.push(
    same,
    same,
    same.slice(),
    new PyByteArray(new Uint8Array([0x80, 0x81, 0x7a])),
    new PyDict<string, unknown>([
      ["b", same],
      ["t", new PyTuple([same, new Uint8Array([0xe9, 0xe9])])],
    ]),
  );
  return out;
}

test("bytes below protocol 3: the UTF-8 of their latin-1 str, written from the bytes", async () => {
  for (let p = 0; p <= 5; p++) {
    const theirs = hexOf(await py.call<Uint8Array>("py_latin1", p));
    expect(hexOf(dumps(latin1Values(), { protocol: p })), `p${p}`).toBe(theirs);
    const parts: Uint8Array[] = [];
    new Pickler({ write: (b: Uint8Array) => parts.push(b.slice()) }, { protocol: p }).dump(latin1Values());
    expect(hexOf(Buffer.concat(parts)), `p${p} through a sink`).toBe(theirs);
  }
});

test("persistent_id sees the latin-1 str of bytes below protocol 3", async () => {
  class P extends Pickler {
    override persistentId(obj: unknown): unknown {
      return typeof obj === "string" && obj.length > 1 && obj.charCodeAt(0) === 0xe9 ? "pid" : undefined;
    }
  }
  for (let p = 0; p <= 5; p++) {
    const parts: Uint8Array[] = [];
    new P({ write: (b: Uint8Array) => parts.push(b.slice()) }, { protocol: p }).dump(latin1Values());
    expect(hexOf(Buffer.concat(parts)), `p${p}`).toBe(hexOf(await py.call<Uint8Array>("py_latin1_pers", p)));
  }
});
