const N = 100000;
const words = ["alpha", "beta", "gamma", "delta", "épsilon", "zeta", "eta \"q\"", "theta\n"];
const records = [];
for (let i = 0; i < N; i++) records.push({ id: i, name: `user${i}`, email: `user${i}@example.com`, score: i * 0.37, active: i % 3 === 0, tags: [words[i % 8], words[(i * 7) % 8]], address: { street: `${i} Main St`, city: "Springfield", zip: String(10000 + (i % 90000)) }, parent: i % 5 === 0 ? null : i - 1 });
const RE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
let s = ""; let parts = [];
function str(x) { return RE.test(x) ? JSON.stringify(x) : '"' + x + '"'; }
function val(v) {
  switch (typeof v) {
    case "string": s += str(v); return;
    case "number": s += String(v); return;
    case "boolean": s += v ? "true" : "false"; return;
    case "object":
      if (v === null) { s += "null"; return; }
      if (Array.isArray(v)) { s += "["; for (let i = 0; i < v.length; i++) { if (i) s += ", "; val(v[i]); } s += "]"; return; }
      { s += "{"; let first = true; for (const k in v) { if (!first) { s += ", "; } first = false; s += str(k) + ": "; val(v[k]); if (s.length > 8192) { s.charCodeAt(0); parts.push(s); s = ""; } } s += "}"; return; }
  }
}
function floor(o) { s = ""; parts = []; val(o); parts.push(s); return parts.join(""); }
function cpu(f) { f(); const ts=[]; let out; for (let r=0;r<5;r++){ const t=process.cpuUsage(); out=f(); const u=process.cpuUsage(t); ts.push((u.user+u.system)/1000);} ts.sort((a,b)=>a-b); return ts[2].toFixed(0) + " ms (" + out.length + ")"; }
const { dumps } = await import("@x/pyjson");
console.log("stringify", cpu(() => JSON.stringify(records)));
console.log("floor    ", cpu(() => floor(records)));
console.log("dumps    ", cpu(() => dumps(records)));
console.log("stringify", cpu(() => JSON.stringify(records)));
console.log("floor    ", cpu(() => floor(records)));
console.log("dumps    ", cpu(() => dumps(records)));
