// Mutation and structure-aware generation of inputs, from a seeded PRNG (runs are replayable).
import { OPCODES } from "@x/pickle-core";
import { dumps } from "@x/pickle-io";
import { PyDict, PyFrozenSet, PySet, PyTuple } from "@x/pyobject";

export class Rng {
  constructor(seed) {
    this.s = seed >>> 0 || 1;
  }
  next() {
    // xorshift32
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return this.s;
  }
  int(n) {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick(xs) {
    return xs[this.int(xs.length)];
  }
  chance(p) {
    return this.next() / 0x100000000 < p;
  }
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x28, 0x2e, 0x30, 0x0a, 0x5c, 0x22, 0x27];
const BIG_LENGTHS = [0x7fffffff, 0xffffffff, 0x10000, 0xffff, 0x100, 0x80000000];
const OPCODE_BYTES = OPCODES.map((o) => o.code.charCodeAt(0));

function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One random edit of `data` (bit flips, interesting bytes, length fields, splices, repeats). */
export function mutate(rng, data, other) {
  const d = data.slice();
  const at = rng.int(d.length + 1);
  switch (rng.int(10)) {
    case 0:
      if (d.length) d[rng.int(d.length)] ^= 1 << rng.int(8);
      return d;
    case 1:
      if (d.length) d[rng.int(d.length)] = rng.pick(INTERESTING);
      return d;
    case 2:
      if (d.length) d[rng.int(d.length)] = rng.pick(OPCODE_BYTES);
      return d;
    case 3: {
      // a 4-byte little-endian length somewhere
      const v = rng.pick(BIG_LENGTHS);
      const b = new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
      return concat([d.subarray(0, at), b, d.subarray(Math.min(d.length, at + 4))]);
    }
    case 4: {
      const n = 1 + rng.int(16);
      return concat([d.subarray(0, at), d.subarray(Math.min(d.length, at + n))]);
    }
    case 5: {
      // repeat a chunk many times (deep nesting, long runs)
      const n = 1 + rng.int(8);
      const chunk = d.subarray(at, at + n);
      const times = 1 + rng.int(rng.chance(0.2) ? 20000 : 64);
      const reps = [];
      for (let i = 0; i < times; i++) reps.push(chunk);
      return concat([d.subarray(0, at), ...reps, d.subarray(at)]);
    }
    case 6: {
      const start = rng.int(other.length + 1);
      const piece = other.subarray(start, start + 1 + rng.int(64));
      return concat([d.subarray(0, at), piece, d.subarray(at)]);
    }
    case 7:
      return d.subarray(0, at);
    case 8: {
      const ins = new Uint8Array(1 + rng.int(8));
      for (let i = 0; i < ins.length; i++) ins[i] = rng.int(256);
      return concat([d.subarray(0, at), ins, d.subarray(at)]);
    }
    default: {
      const b = new TextEncoder().encode(
        rng.pick([
          "1",
          "9".repeat(rng.int(6000)),
          "-",
          ".",
          "e",
          "\\",
          "\\x",
          "'",
          '"',
          "\n",
          "L",
          "inf",
          "\\u",
        ]),
      );
      return concat([d.subarray(0, at), b, d.subarray(at)]);
    }
  }
}

/** A random Python value in the faithful model (structure-aware seeds for dumps). */
export function randomValue(rng, depth = 0) {
  const leafOnly = depth > 4;
  switch (rng.int(leafOnly ? 7 : 13)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return BigInt(rng.next() - 0x80000000) * (rng.chance(0.2) ? 10n ** BigInt(rng.int(80)) : 1n);
    case 3:
      return rng.pick([0.5, -0.0, 1e300, Number.NaN, Number.POSITIVE_INFINITY, rng.next() / 7]);
    case 4: {
      let s = "";
      for (let i = rng.int(12); i > 0; i--)
        s += String.fromCodePoint(
          rng.pick([0x61, 0xe9, 0x20ac, 0x1f600, 0x0a, 0x5c, 0x27, rng.int(0x10000)]),
        );
      return s;
    }
    case 5: {
      const b = new Uint8Array(rng.int(20));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
      return b;
    }
    case 6:
      return BigInt(rng.int(256));
    case 7:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
    case 8:
      return new PyTuple(Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1)));
    case 9: {
      const d = new PyDict();
      for (let i = rng.int(5); i > 0; i--) d.set(randomKey(rng), randomValue(rng, depth + 1));
      return d;
    }
    case 10:
      return new PySet(Array.from({ length: rng.int(5) }, () => randomKey(rng)));
    case 11:
      return new PyFrozenSet(Array.from({ length: rng.int(5) }, () => randomKey(rng)));
    default: {
      const shared = randomValue(rng, depth + 1);
      return [shared, shared];
    }
  }
}

function randomKey(rng) {
  switch (rng.int(4)) {
    case 0:
      return `k${rng.int(100)}`;
    case 1:
      return BigInt(rng.int(1000)) << BigInt(rng.int(100));
    case 2:
      return new PyTuple([BigInt(rng.int(10)), `t${rng.int(10)}`]);
    default:
      return rng.next() / 3;
  }
}

/** A pickle of a random value at a random protocol (or an opcode soup), for the structure-aware side. */
export function generatePickle(rng) {
  if (rng.chance(0.2)) {
    // opcode soup: random opcodes with small random arguments, ending in STOP
    const parts = [new Uint8Array([0x80, rng.int(6)])];
    for (let i = rng.int(40); i > 0; i--) {
      const op = new Uint8Array(1 + rng.int(5));
      op[0] = rng.pick(OPCODE_BYTES);
      for (let j = 1; j < op.length; j++) op[j] = rng.pick([0, 1, 2, 0x0a, 0x31, 0x61, rng.int(256)]);
      parts.push(op);
    }
    parts.push(new Uint8Array([0x2e]));
    return concat(parts);
  }
  return dumps(randomValue(rng), { protocol: rng.int(6) });
}
