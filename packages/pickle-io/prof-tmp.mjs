import { readFileSync } from "node:fs";
import { loads } from "@x/pickle-io";
const f = process.argv[2]; const model = process.argv[3] ?? "natural";
const data = new Uint8Array(readFileSync(`/tmp/ub/${f}`));
for (let i = 0; i < 5; i++) loads(data, { model });
