import { readmeTests } from "@x/test-support";

// Each ```ts block of the README runs, and type-checks, importing the built packages by name.
readmeTests(import.meta.url, { minBlocks: 11 });
