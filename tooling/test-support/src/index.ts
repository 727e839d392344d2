/**
 * @x/test-support: helpers the packages' tests share. `readmeTests(import.meta.url)` in a
 * package's `test/readme.test.ts` runs each ```ts block of its README as a module importing
 * the built packages by name, and type-checks every block with tsc as a user's strict project
 * would (see `readme.ts`).
 */
export { type ReadmeOptions, readmeBlocks, readmeTests, typecheckBlocks } from "./readme.js";
