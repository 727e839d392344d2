/** Reading a V8 .cpuprofile: where the self time goes. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** Self time per function (name, file:line), largest first, as fractions of all samples. */
export function topSelfTime(profile: CpuProfile, top = 15): { fn: string; share: number }[] {
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url.replace(/^.*\/(packages|node_modules)\//, "$1/");
    const key = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
    total += hits;
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, hits]) => ({ fn, share: hits / total }));
}
