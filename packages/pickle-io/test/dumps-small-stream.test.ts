/**
 * A stream of small pickles through one Pickler: the bytes handed to the sink are views of the
 * pickler's buffer (no copy per write), so a sink that keeps them without copying must still
 * hold exactly what CPython wrote, after thousands of later dumps, big frames and failed dumps.
 * Also the str memo's small arrays (a pickle's first strings) around the size where the
 * tables take over, with and without clearMemo() between dumps.
 */

import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps, Pickler } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import io, json, pickle
def canon(v, table):
    # JS strings have no identity: equal ones are one str object (one memo entry), as here.
    if isinstance(v, str):
        return table.setdefault(v, v)
    if isinstance(v, list):
        return [canon(x, table) for x in v]
    if isinstance(v, dict):
        return {canon(k, table): canon(x, table) for k, x in v.items()}
    return v
def py_stream(messages_json, protocol, clear_every):
    f = io.BytesIO()
    p = pickle.Pickler(f, protocol)
    table = {}
    for i, m in enumerate(json.loads(messages_json)):
        m = canon(m, table)
        p.dump(m)
        if (i + 1) % clear_every == 0:
            p.clear_memo()
    return f.getvalue()
def py_each(messages_json, protocol):
    return [pickle.dumps(canon(m, {}), protocol) for m in json.loads(messages_json)]
`);
});
afterAll(async () => {
  await py.close();
});

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Deterministic pseudo-random messages: dicts, lists, repeated and distinct strings, numbers. */
function messages(count: number, seed: number): unknown[] {
  let s = seed;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const out: unknown[] = [];
  for (let m = 0; m < count; m++) {
    // 0..40 distinct strings, each used 1-3 times: around the small memo's 16 entries.
    const distinct = rnd(41);
    const words: string[] = [];
    for (let i = 0; i < distinct; i++)
      words.push(`w${rnd(1000)}-${"x".repeat(rnd(70))}é`.slice(0, 1 + rnd(90)));
    const tags: string[] = [];
    for (const w of words) for (let k = rnd(3); k >= 0; k--) tags.push(w);
    const big = rnd(200) === 0 ? "b".repeat(70_000 + rnd(1000)) : "";
    out.push(
      rnd(4) === 0
        ? tags
        : {
            id: rnd(100_000),
            name: words[0] ?? "",
            ok: rnd(2) === 1,
            values: [rnd(100) / 8, -1 - rnd(9)],
            tags,
            big,
          },
    );
  }
  return out;
}

test("a sink that keeps every write uncopied holds CPython's stream, protocols 0-5", async () => {
  const msgs = messages(1500, 7);
  const json = JSON.stringify(msgs);
  for (let protocol = 0; protocol <= 5; protocol++) {
    for (const clearEvery of [1, 3]) {
      const kept: Uint8Array[] = [];
      const p = new Pickler({ write: (b: Uint8Array) => kept.push(b) }, { protocol });
      msgs.forEach((m, i) => {
        p.dump(m);
        if ((i + 1) % clearEvery === 0) p.clearMemo();
      });
      const theirs = await py.call<Uint8Array>("py_stream", json, protocol, clearEvery);
      expect(hexOf(Buffer.concat(kept)), `protocol ${protocol}, clearMemo every ${clearEvery}`).toBe(
        hexOf(theirs),
      );
    }
  }
});

test("writes kept by the sink survive a failed dump and the dumps after it", () => {
  const kept: Uint8Array[] = [];
  const copies: Uint8Array[] = [];
  const p = new Pickler(
    {
      write: (b: Uint8Array) => {
        kept.push(b);
        copies.push(b.slice());
      },
    },
    { protocol: 5 },
  );
  for (let i = 0; i < 3000; i++) {
    p.dump({ id: i, name: `n${i}`.repeat(1 + (i % 40)), tags: ["a", "b", `t${i}`] });
    p.clearMemo();
    if (i % 97 === 0) {
      // Fails after a frame of 64 KiB was committed and handed to the sink.
      expect(() => p.dump(["x".repeat(70_000), "y".repeat(70_000), () => 0])).toThrow(/Can't pickle/);
      // Fails after filling buffers (a frame under 64 KiB), before anything is handed over.
      const many = Array.from({ length: 1000 }, (_, j) => `${"y".repeat(40)}${i}-${j}`);
      expect(() => p.dump([...many, () => 0])).toThrow(/Can't pickle/);
      p.clearMemo();
    }
  }
  expect(kept.length).toBe(copies.length);
  kept.forEach((b, i) => {
    expect(hexOf(b), `write ${i}`).toBe(hexOf(copies[i]!));
  });
});

test("a pickle's strings around the small str memo's size: CPython's bytes, alone and in a stream", async () => {
  const msgs: unknown[] = [];
  for (let distinct = 0; distinct <= 40; distinct++) {
    // Fresh strings each time (no shared JS string objects); repeats after, between and across.
    const words = Array.from({ length: distinct }, (_, i) => `s${i}`.padEnd(2 + (i % 5), "z"));
    msgs.push([...words, ...words.slice().reverse(), { [words[0] ?? "k"]: words[distinct - 1] ?? "" }]);
    msgs.push({ k: words, again: words.slice(0, 20), k2: "k" });
  }
  const json = JSON.stringify(msgs);
  for (let protocol = 0; protocol <= 5; protocol++) {
    const each = await py.call<Uint8Array[]>("py_each", json, protocol);
    msgs.forEach((m, i) => {
      expect(hexOf(dumps(m, { protocol })), `message ${i} p${protocol}`).toBe(hexOf(each[i]!));
    });
    for (const clearEvery of [1, 2, 1000]) {
      const kept: Uint8Array[] = [];
      const p = new Pickler({ write: (b: Uint8Array) => kept.push(b) }, { protocol });
      msgs.forEach((m, i) => {
        p.dump(m);
        if ((i + 1) % clearEvery === 0) p.clearMemo();
      });
      const theirs = await py.call<Uint8Array>("py_stream", json, protocol, clearEvery);
      expect(hexOf(Buffer.concat(kept)), `p${protocol} clearMemo every ${clearEvery}`).toBe(hexOf(theirs));
    }
  }
});
