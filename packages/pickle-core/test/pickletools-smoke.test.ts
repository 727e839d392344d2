import { expect, test } from "vitest";
import { dis, optimize } from "../src/index.js";
test("smoke", () => {
  const p = new Uint8Array([0x80, 2, 0x7d, 0x71, 0, 0x58, 1, 0, 0, 0, 0x61, 0x71, 1, 0x4b, 1, 0x85, 0x71, 2, 0x73, 0x2e]);
  console.log(dis(p));
  console.log(dis(p, { annotate: 30 }));
  console.log(optimize(p));
});
