// Micro-benchmark behind the decoder's short-string paths (pickle-core text-codecs.ts): ASCII
// strings of 4-12 bytes made by `+=` per char, by one String.fromCharCode call with the codes
// as arguments, and by TextDecoder. `node bench/scripts/short-strings-micro.mjs`; ns per string,
// best of 12 rounds of CPU time. Node 20 on the bench machine: fromCharCode ~3x faster at 8-12.
const fromCharCode = String.fromCharCode;
const td = new TextDecoder();
function inputs(len) {
  const enc = new TextEncoder();
  const parts = [];
  for (let i = 0; i < 4000; i++) {
    let s = "";
    for (let j = 0; j < len; j++) s += fromCharCode(97 + ((i * 7 + j * 3 + (i >> 3)) % 26));
    parts.push(enc.encode(s));
  }
  const buf = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  const offs = [];
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    offs.push(o, o + p.length);
    o += p.length;
  }
  return { buf, offs };
}
function concat(b, s, e) {
  let r = "";
  for (let i = s; i < e; i++) r += fromCharCode(b[i]);
  return r;
}
function oneCall(b, s, e) {
  // the decoder has one case per length; 4, 8 and 12 are enough to measure
  switch (e - s) {
    case 4:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 8:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    default:
      return fromCharCode(
        b[s],
        b[s + 1],
        b[s + 2],
        b[s + 3],
        b[s + 4],
        b[s + 5],
        b[s + 6],
        b[s + 7],
        b[s + 8],
        b[s + 9],
        b[s + 10],
        b[s + 11],
      );
  }
}
function textDecoder(b, s, e) {
  return td.decode(b.subarray(s, e));
}
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
for (const len of [4, 8, 12]) {
  const { buf, offs } = inputs(len);
  const best = {};
  for (let r = 0; r < 12; r++) {
    for (const f of [concat, oneCall, textDecoder]) {
      const keep = [];
      const t = cpu();
      for (let rep = 0; rep < 20; rep++)
        for (let i = 0; i < offs.length; i += 2) keep.push(f(buf, offs[i], offs[i + 1]));
      const ns = ((cpu() - t) / ((20 * offs.length) / 2)) * 1000;
      if (r > 2) best[f.name] = Math.min(best[f.name] ?? Number.POSITIVE_INFINITY, ns);
    }
  }
  console.log(
    `${len} bytes:`,
    Object.entries(best)
      .map(([k, v]) => `${k} ${v.toFixed(0)} ns`)
      .join(", "),
  );
}
