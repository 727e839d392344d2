import { expect, test } from "vitest";
import { dumps } from "../src/index.js";

test("smoke", () => {
  const v = {
    a: [1, 2.5, "x", null, true, 2n ** 70n, -5, 300, 70000, new Uint8Array([1, 2])],
    b: new Set([1]),
  };
  for (let p = 0; p <= 5; p++) console.log(p, Buffer.from(dumps(v, { protocol: p })).toString("latin1"));
});
