/**
 * The pickles pandas, scikit-learn, scipy and numpy (1.24 and 2.x) write, generated at test
 * time by scripts/gen-corpus.py in Debian's python3 (which has those libraries; `pnpm test`
 * installs them) and in the default python3 (numpy 2). For every file: both models load,
 * pickletools' `dis` text is CPython's, repr/pformat work, and the re-dump is what CPython's own
 * load + dump gives (with the libraries installed).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dis } from "@x/pickle-core";
import { pformat, pyRepr } from "@x/pyobject";
import { startPython } from "@x/python-oracle";
import { beforeAll, describe, expect, test } from "vitest";
import { dumps, loads } from "../src/index.js";

type Entry = [name: string, proto: number, data: Uint8Array, roundtrip: Uint8Array, disText: string];

const SCRIPT = readFileSync(fileURLToPath(new URL("../scripts/gen-corpus.py", import.meta.url)), "utf8");

async function generate(modules: string[]): Promise<Entry[]> {
  const py = await startPython(modules);
  try {
    await py.exec(SCRIPT.replace(/\nif __name__ == "__main__":[\s\S]*$/, "\n"));
    return await py.call<Entry[]>("corpus");
  } finally {
    await py.close();
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** What is wrong with one file (empty when nothing). */
function problems([name, proto, data, roundtrip, disText]: Entry): string[] {
  const out: string[] = [];
  try {
    if (dis(data) !== disText) out.push(`${name}: dis differs`);
    for (const model of ["natural", "faithful"] as const) {
      const v = loads(data, { model });
      pyRepr(v);
      pformat(v);
    }
    const again = dumps(loads(data, { model: "faithful" }), { protocol: proto, model: "faithful" });
    // Required where CPython's own round trip gives the file back; elsewhere (CPython's loaded
    // strings are new objects its memo no longer shares) ours may keep the original sharing.
    const cpythonIdentical = hex(roundtrip) === hex(data);
    if (cpythonIdentical && hex(again) !== hex(roundtrip)) {
      const at = [...again].findIndex((x, i) => x !== roundtrip[i]);
      out.push(`${name}: re-dump differs from CPython's at byte ${at}`);
    }
  } catch (e) {
    out.push(`${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  return out;
}

let numpy1: Entry[] = [];
let numpy2: Entry[] = [];

beforeAll(async () => {
  [numpy1, numpy2] = await Promise.all([generate(["pandas", "sklearn", "scipy"]), generate([])]);
}, 120_000);

describe("corpus", () => {
  test("Debian's python3: pandas 1.5, scikit-learn 1.2, scipy 1.10, numpy 1.24", () => {
    expect(numpy1.length).toBeGreaterThan(80);
    expect(numpy1.some(([n]) => n.startsWith("pd_df_mixed-np1"))).toBe(true);
    expect(numpy1.flatMap(problems)).toEqual([]);
    // (most files are ones CPython round-trips byte for byte, so the re-dump check bites)
    expect(numpy1.filter((e) => hex(e[2]) === hex(e[3])).length).toBeGreaterThan(55);
  });

  test("default python3: numpy 2", () => {
    expect(numpy2.some(([n]) => n.startsWith("np_object_mixed-np2"))).toBe(true);
    expect(numpy2.flatMap(problems)).toEqual([]);
    expect(numpy2.filter((e) => hex(e[2]) === hex(e[3])).length).toBeGreaterThan(45);
  });
});
