/**
 * Per-call cost of `Pickler.dump` on one small object, 100,000 times (a stream of messages to
 * one sink), against CPython's `pickle.Pickler.dump` doing the same. Each call is followed by
 * `clearMemo()` / `clear_memo()`, as a message stream must (otherwise every later dump of the
 * same object is a memo GET). CPU time on both sides (process.cpuUsage, time.process_time), so
 * the ratio holds up on a busy machine better than wall time.
 *
 * `node dist/pickler-stream.js [calls=100000] [protocol=5] [--json]` (`pnpm bench` runs it with
 * --json for its goal row; BENCH_PICKLE_IO names another build, as for the bench).
 */

import { spawnSync } from "node:child_process";

interface StreamPickler {
  dump(value: unknown): void;
  clearMemo(): void;
}
const { Pickler } = (await import(process.env.BENCH_PICKLE_IO ?? "@x/pickle-io")) as {
  Pickler: new (sink: { write(b: Uint8Array): void }, opts: { protocol: number }) => StreamPickler;
};

const args = process.argv.slice(2).filter((a) => a !== "--json");
const json = process.argv.includes("--json");
const calls = Number(args[0] ?? 100_000);
const protocol = Number(args[1] ?? 5);
const python = process.env.PYTHON ?? "python3";

// The message: a small record as a cache or queue would carry.
const message = { id: 12345, name: "sensor-7", ok: true, values: [1.5, 2.25, -3.5], tags: ["a", "b"] };
const PY_MESSAGE =
  "{'id': 12345, 'name': 'sensor-7', 'ok': True, 'values': [1.5, 2.25, -3.5], 'tags': ['a', 'b']}";

function ours(): { us: number; bytes: number } {
  let bytes = 0;
  const sink = {
    write(b: Uint8Array): void {
      bytes += b.length;
    },
  };
  const p = new Pickler(sink, { protocol });
  for (let i = 0; i < 2000; i++) {
    p.dump(message);
    p.clearMemo();
  }
  bytes = 0;
  const c0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    p.dump(message);
    p.clearMemo();
  }
  const c = process.cpuUsage(c0);
  return { us: (c.user + c.system) / calls, bytes };
}

function cpython(): { us: number; bytes: number } {
  const code = `
import io, pickle, time, sys
calls, protocol = int(sys.argv[1]), int(sys.argv[2])
msg = ${PY_MESSAGE}
f = io.BytesIO()
p = pickle.Pickler(f, protocol)
for _ in range(2000):
    p.dump(msg); p.clear_memo()
f.seek(0); f.truncate()
t = time.process_time()
for _ in range(calls):
    p.dump(msg); p.clear_memo()
dt = time.process_time() - t
print(dt * 1e6 / calls, len(f.getvalue()))
`;
  const r = spawnSync(python, ["-c", code, String(calls), String(protocol)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  const [us, bytes] = r.stdout.trim().split(" ").map(Number);
  return { us: us!, bytes: bytes! };
}

const a = ours();
const b = cpython();
if (json) console.log(JSON.stringify({ calls, protocol, ours: a, cpython: b }));
else
  console.log(
    `Pickler.dump x ${calls} (protocol ${protocol}, ${a.bytes / calls} B each; CPython ${b.bytes / calls} B): ` +
      `ours ${a.us.toFixed(3)} µs/call, CPython ${b.us.toFixed(3)} µs/call, ratio ${(a.us / b.us).toFixed(2)}×`,
  );
