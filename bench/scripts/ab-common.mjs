// Helpers shared by the A/B and profiling scripts in this folder.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Microseconds of CPU this process has used (user + system): steadier than wall time on a busy machine. */
export function cpu() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Imports a build's entry point given as a path (relative to the working directory). */
export function importBuild(path) {
  return import(pathToFileURL(resolve(path)).href);
}
