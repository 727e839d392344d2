/**
 * Hostile and broken files: every failure is a typed error (CheckpointError, UnpicklingError,
 * PickleEOFError — all PickleErrors), never a RangeError/TypeError, a hang or an allocation
 * sized by the file; globals the file names stay inert.
 */
import { dumps, PickleError, Pickler, PyOrderedDict, UnpicklingError } from "@x/pickle-io";
import { isPyInstance, PyGlobal, PyInstance, PyTuple } from "@x/pyobject";
import { describe, expect, test } from "vitest";
import {
  CheckpointError,
  findTensors,
  loadCheckpoint,
  loadCheckpointSync,
  readCheckpointPicklesSync,
  Storage,
  saveCheckpoint,
  Tensor,
} from "../src/index.js";
import { ZipWriter } from "../src/zip-writer.js";

function zip(members: [string, Uint8Array][]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new ZipWriter((c) => chunks.push(c));
  for (const [n, d] of members) w.add(n, d);
  w.finish();
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const MARK = {};
/** A pickler whose MARK object is written as a storage persistent id. */
function pickleWith(obj: unknown, pid: unknown): Uint8Array {
  class P extends Pickler {
    override persistentId(o: unknown): unknown {
      return o === MARK ? pid : undefined;
    }
  }
  const p = new P(null, { protocol: 2 });
  p.dump(obj);
  return p.takeBytes();
}

const rebuild = (args: unknown[]) =>
  new PyInstance(new PyGlobal("torch._utils", "_rebuild_tensor_v2"), args, "reduce");
const floatPid = (numel: number, key = "0") =>
  new PyTuple(["storage", new PyGlobal("torch", "FloatStorage"), key, "cpu", numel]);

/** The legacy format around a main pickle: magic, protocol, sys_info, the pickle, the keys. */
function legacy(main: Uint8Array, keys: string[] = [], storages: Uint8Array[] = []): Uint8Array {
  const parts = [
    dumps(0x1950a86a20f9469cfc6cn, { protocol: 2 }),
    dumps(1001, { protocol: 2 }),
    dumps({}, { protocol: 2 }),
    main,
    dumps(keys, { protocol: 2 }),
    ...storages,
  ];
  const out = new Uint8Array(parts.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of parts) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function expectTyped(f: () => unknown): void {
  try {
    const obj = f();
    for (const { tensor } of findTensors(obj)) tensor.dataSync();
  } catch (e) {
    if (!PickleError.isInstance(e)) throw e;
  }
}

const sample = () => {
  const s = Storage.fromBytes(new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer), "float32");
  return saveCheckpoint({
    a: new Tensor(s, 0, [2, 3], [3, 1]),
    b: new Tensor(s, 1, [2], [2]),
    c: Tensor.from(new BigInt64Array([1n, 2n])),
  });
};

describe("zip structure", () => {
  test("every truncation is a CheckpointError", () => {
    const good = sample();
    for (let n = 0; n < good.length; n += 7) {
      expect(() => loadCheckpointSync(good.subarray(0, n))).toThrow(CheckpointError);
    }
  });

  test("random byte flips never escape as untyped errors", () => {
    const good = sample();
    let x = 12345;
    for (let i = 0; i < 3000; i++) {
      const bad = good.slice();
      for (let k = 0; k < 3; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        bad[x % bad.length] = x >>> 24;
      }
      expectTyped(() => loadCheckpointSync(bad));
      expectTyped(() => readCheckpointPicklesSync(bad));
    }
  });

  test("an entry count the directory cannot hold is refused before allocating", () => {
    const good = sample();
    const bad = good.slice();
    const dv = new DataView(bad.buffer);
    // zip64 end record: total entries (offset 32 in it); it sits 98 bytes from the end.
    dv.setBigUint64(bad.length - 98 + 32, 2n ** 50n, true);
    expect(() => loadCheckpointSync(bad)).toThrow(/entries cannot fit/);
  });

  test("a member pointing past the end of the file is refused", () => {
    const good = sample();
    const bad = good.slice();
    const dv = new DataView(bad.buffer);
    const cdOffset = Number(dv.getBigUint64(bad.length - 98 + 48, true));
    dv.setUint32(cdOffset + 42, 0xfffffff0, true); // local header offset of the first entry
    expect(() => loadCheckpointSync(bad)).toThrow(CheckpointError);
  });

  test("a compressed member is refused with a clear error", () => {
    const good = sample();
    const bad = good.slice();
    const dv = new DataView(bad.buffer);
    const cdOffset = Number(dv.getBigUint64(bad.length - 98 + 48, true));
    dv.setUint16(cdOffset + 10, 8, true); // data.pkl: deflate
    expect(() => loadCheckpointSync(bad)).toThrow(/compressed \(method 8\)/);
  });

  test("a zip with no archive folder or no data.pkl is not a checkpoint", () => {
    expect(() => loadCheckpointSync(zip([["data.pkl", dumps(1)]]))).toThrow(/no archive folder/);
    expect(() => loadCheckpointSync(zip([["a/other.pkl", dumps(1)]]))).toThrow(/no a\/data.pkl/);
    expect(loadCheckpointSync(zip([["a/data.pkl", dumps([1, "x"])]]))).toEqual([1, "x"]);
  });
});

describe("tensors and storages", () => {
  test("a tensor reaching past its storage is refused at load", () => {
    const data = pickleWith(
      rebuild([MARK, 0, new PyTuple([10]), new PyTuple([1]), false, new PyOrderedDict()]),
      floatPid(2),
    );
    const file = zip([
      ["a/data.pkl", data],
      ["a/data/0", new Uint8Array(8)],
    ]);
    expect(() => loadCheckpointSync(file)).toThrow(/needs 10 elements; its storage '0' holds 2/);
  });

  test("a storage member shorter than its declared size is refused", () => {
    const data = pickleWith(
      rebuild([MARK, 0, new PyTuple([2]), new PyTuple([1]), false, new PyOrderedDict()]),
      floatPid(1000),
    );
    expect(() =>
      loadCheckpointSync(
        zip([
          ["a/data.pkl", data],
          ["a/data/0", new Uint8Array(8)],
        ]),
      ),
    ).toThrow(/needs 4000 bytes, its member holds 8/);
  });

  test("a missing storage member, bad sizes and strides, unknown storage classes are CheckpointErrors", () => {
    const ok = (size: unknown, stride: unknown, pid: unknown = floatPid(4)) =>
      zip([
        ["a/data.pkl", pickleWith(rebuild([MARK, 0, size, stride, false, new PyOrderedDict()]), pid)],
        ["a/data/0", new Uint8Array(16)],
      ]);
    expect(loadCheckpointSync(ok(new PyTuple([2, 2]), new PyTuple([2, 1])))).toBeInstanceOf(Tensor);
    expect(() => loadCheckpointSync(ok(new PyTuple([-1]), new PyTuple([1])))).toThrow(/bad tensor size/);
    expect(() => loadCheckpointSync(ok(new PyTuple([2]), new PyTuple([-1])))).toThrow(/bad tensor stride/);
    expect(() => loadCheckpointSync(ok(new PyTuple([2, 2]), new PyTuple([1])))).toThrow(/differ in length/);
    expect(() => loadCheckpointSync(ok(new PyTuple([2 ** 40, 2 ** 40]), new PyTuple([0, 0])))).toThrow(
      /too large/,
    );
    expect(() => loadCheckpointSync(ok("x", new PyTuple([1])))).toThrow(/must be a tuple/);
    expect(() =>
      loadCheckpointSync(
        ok(
          new PyTuple([1]),
          new PyTuple([1]),
          new PyTuple(["storage", new PyGlobal("os", "system"), "0", "cpu", 1]),
        ),
      ),
    ).toThrow(/unknown storage class/);
    expect(() =>
      loadCheckpointSync(ok(new PyTuple([1]), new PyTuple([1]), new PyTuple(["evil", 1]))),
    ).toThrow(/Unknown typename for persistent_load/);
    expect(() => loadCheckpointSync(ok(new PyTuple([1]), new PyTuple([1]), floatPid(1, "9")))).toThrow(
      /storage '9' has no member/,
    );
  });

  test("the rebuild functions called with something else than a storage are refused", () => {
    const data = dumps(rebuild(["not a storage", 0, new PyTuple([1]), new PyTuple([1])]), { protocol: 2 });
    expect(() => loadCheckpointSync(zip([["a/data.pkl", data]]))).toThrow(/expected a storage/);
  });
});

describe("globals stay inert", () => {
  // class R: __reduce__ = lambda self: (os.system, ('echo hi',))
  const evil = new PyInstance(new PyGlobal("posix", "system"), ["echo pwned"], "reduce");

  test("a call on os.system loads as data; strict mode refuses it", async () => {
    const file = zip([["a/data.pkl", dumps({ x: evil }, { protocol: 2 })]]);
    const obj = (await loadCheckpoint(file)) as { x: unknown };
    expect(isPyInstance(obj.x)).toBe(true);
    expect(() => loadCheckpointSync(file, { strict: true })).toThrow(UnpicklingError);
    expect(() => loadCheckpointSync(file, { strict: true })).toThrow(/posix\.system' is forbidden/);
  });

  test("strict mode lets torch's own globals through", () => {
    const s = saveCheckpoint(new PyOrderedDict([["w", Tensor.from(new Float32Array([1]))]]));
    expect(() => loadCheckpointSync(s, { strict: true })).not.toThrow();
  });

  test("checkpoints nested through _load_from_bytes are bounded", () => {
    let inner = legacy(dumps(null, { protocol: 2 }));
    for (let i = 0; i < 20; i++) {
      inner = legacy(
        dumps(new PyInstance(new PyGlobal("torch.storage", "_load_from_bytes"), [inner], "reduce"), {
          protocol: 2,
        }),
      );
    }
    expect(() => loadCheckpointSync(inner)).toThrow(/nested too deeply/);
  });
});

describe("legacy format", () => {
  test("bad magic number, protocol version, storage size header are CheckpointErrors", () => {
    const main = pickleWith(
      rebuild([MARK, 0, new PyTuple([2]), new PyTuple([1]), false, new PyOrderedDict()]),
      ["storage", new PyGlobal("torch", "FloatStorage"), "k", "cpu", 2, null],
    );
    const count = (n: bigint) => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, n, true);
      return b;
    };
    const good = legacy(main, ["k"], [count(2n), new Uint8Array(new Float32Array([1.5, 2.5]).buffer)]);
    expect((loadCheckpointSync(good) as Tensor).dataSync()).toEqual(new Float32Array([1.5, 2.5]));
    expect(() => loadCheckpointSync(legacy(main, ["k"], [count(3n), new Uint8Array(8)]))).toThrow(
      /wrong size/,
    );
    expect(() => loadCheckpointSync(legacy(main, ["k"], [count(2n), new Uint8Array(4)]))).toThrow(
      /past the end/,
    );
    expect(() => loadCheckpointSync(legacy(main, ["other"], []))).toThrow(/listed but no tensor uses it/);
    expect(() => loadCheckpointSync(dumps(5, { protocol: 2 }))).toThrow(/Invalid magic number/);
    for (let n = 1; n < good.length; n += 3) expectTyped(() => loadCheckpointSync(good.subarray(0, n)));
    expect(() => loadCheckpointSync(new Uint8Array(0))).toThrow(/empty file/);
    expect(() => loadCheckpointSync(new TextEncoder().encode("hello"))).toThrow(/not a torch checkpoint/);
  });
});
