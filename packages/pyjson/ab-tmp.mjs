import { dumps } from "@x/pyjson";
const N = 100000;
const words = ["alpha", "beta", "gamma", "delta", "épsilon", "zeta", "eta \"q\"", "theta\n"];
const records = [];
for (let i = 0; i < N; i++) records.push({ id: i, name: `user${i}`, email: `user${i}@example.com`, score: i * 0.37, active: i % 3 === 0, tags: [words[i % 8], words[(i * 7) % 8]], address: { street: `${i} Main St`, city: "Springfield", zip: String(10000 + (i % 90000)) }, parent: i % 5 === 0 ? null : i - 1 });
const fs = { stringify: () => JSON.stringify(records), dumps: () => dumps(records) };
const best = {};
for (let r = 0; r < 15; r++) for (const [k, f] of Object.entries(fs)) { const t = process.cpuUsage(); f(); const u = process.cpuUsage(t); const ms = (u.user + u.system) / 1000; best[k] = Math.min(best[k] ?? 1e9, ms); }
console.log(best, (best.dumps / best.stringify).toFixed(2));
