/**
 * Ints held in bigints at the edges of the encoder's size classes (int32, int64 written by
 * setBigInt64 and trimmed, 64-bit words up to 2**500, the hex route past it): CPython's bytes at
 * every protocol, alone and in a list (the batch path).
 */

import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumps } from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle
def py_ints(texts, protocol):
    return pickle.dumps([int(t) for t in texts], protocol)
def py_int(text, protocol):
    return pickle.dumps(int(text), protocol)
`);
});
afterAll(async () => {
  await py.close();
});

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

function edges(): bigint[] {
  const out: bigint[] = [];
  for (const bits of [
    7, 8, 15, 16, 31, 32, 39, 40, 47, 48, 55, 56, 63, 64, 65, 127, 128, 499, 500, 501, 511, 512, 600,
  ]) {
    const p = 2n ** BigInt(bits);
    for (const d of [-2n, -1n, 0n, 1n]) out.push(p + d, -(p + d));
  }
  // Sign bytes inside a word: 0x80 / 0xff / 0x7f patterns around the trimmed top bytes.
  out.push(0x80_0000_0000n, -0x80_0000_0000n, 0xff_ffff_ffffn, -0xff_ffff_ffffn, 0x7fff_ff00_0000_0000n);
  out.push(-0x7fff_ff00_0000_0000n, 0xff00_0000_0000_0000n, -(2n ** 63n) + 255n, 12345678901234567890123n);
  return out;
}

test("bigints at every size edge: CPython's bytes, protocols 0-5, in a list and alone", async () => {
  const ints = edges();
  const texts = ints.map(String);
  for (let protocol = 0; protocol <= 5; protocol++) {
    const theirs = await py.call<Uint8Array>("py_ints", texts, protocol);
    expect(hexOf(dumps(ints, { protocol, model: "faithful" })), `list p${protocol}`).toBe(hexOf(theirs));
    for (const n of ints) {
      const one = await py.call<Uint8Array>("py_int", String(n), protocol);
      expect(hexOf(dumps(n, { protocol })), `${n} p${protocol}`).toBe(hexOf(one));
    }
  }
});
