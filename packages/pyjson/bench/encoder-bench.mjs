// Encoder speed against JSON.stringify on the same data (default options).
// Run after building: node bench/encoder-bench.mjs [records]
import { dump, dumps, JSONEncoder } from "@x/pyjson";

const N = Number(process.argv[2] ?? 100_000);
const words = ["alpha", "beta", "gamma", "delta", "épsilon", "zeta", 'eta "q"', "theta\n"];
const records = [];
for (let i = 0; i < N; i++) {
  records.push({
    id: i,
    name: `user${i}`,
    email: `user${i}@example.com`,
    score: i * 0.37,
    active: i % 3 === 0,
    tags: [words[i % 8], words[(i * 7) % 8]],
    address: { street: `${i} Main St`, city: "Springfield", zip: String(10000 + (i % 90000)) },
    parent: i % 5 === 0 ? null : i - 1,
  });
}

// Minimum CPU time over the runs: on a shared machine the minimum is the least disturbed one.
function time(label, fn, reps = 9) {
  fn();
  const ts = [];
  let out;
  for (let r = 0; r < reps; r++) {
    // CPU time, not wall time: the machine this runs on is often shared and loaded.
    const t0 = process.cpuUsage();
    out = fn();
    const u = process.cpuUsage(t0);
    ts.push((u.user + u.system) / 1000);
  }
  ts.sort((a, b) => a - b);
  const med = ts[0];
  console.log(`${label.padEnd(40)} min ${med.toFixed(1)} ms cpu  (${out.length} chars)`);
  return med;
}

const tStringify = time("JSON.stringify (one document)", () => JSON.stringify(records));
const tDumps = time("dumps (one document)", () => dumps(records));
const tCompact = time("dumps separators [',', ':']", () => dumps(records, { separators: [",", ":"] }));
time("dumps ensureAscii false", () => dumps(records, { ensureAscii: false }));
time("dumps indent 2", () => dumps(records, { indent: 2 }));
time("dumps sortKeys", () => dumps(records, { sortKeys: true }));
const enc = new JSONEncoder();
time(
  "iterencode joined",
  () => {
    let s = "";
    for (const c of enc.iterencode(records)) s += c;
    return s;
  },
  3,
);
{
  // dump() to a counting sink, awaited; reported like the others.
  const t0 = process.cpuUsage();
  let n = 0;
  await dump(records, {
    write: (s) => {
      n += s.length;
    },
  });
  const u = process.cpuUsage(t0);
  console.log(
    `${"dump to a sink (chunkSize 16384)".padEnd(40)} once ${((u.user + u.system) / 1000).toFixed(1)} ms cpu  (${n} chars)`,
  );
}
const tS1 = time("JSON.stringify per record", () => {
  let n = 0;
  for (const r of records) n += JSON.stringify(r).length;
  return String(n);
});
const tD1 = time("dumps per record", () => {
  let n = 0;
  for (const r of records) n += dumps(r).length;
  return String(n);
});
console.log(
  `ratio dumps/stringify: one document ${(tDumps / tStringify).toFixed(2)}x, compact ${(tCompact / tStringify).toFixed(2)}x, per record ${(tD1 / tS1).toFixed(2)}x`,
);
