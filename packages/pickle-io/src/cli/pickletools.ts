#!/usr/bin/env node
/**
 * The `pickletools` command (`python -m pickletools`), exposed by @x/pickle-io so users who
 * install only this package get it; the command itself lives in @x/pickle-core.
 */
import { runPickletools } from "@x/pickle-core/cli/pickletools";

runPickletools();
