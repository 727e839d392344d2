import { main } from "../../src/cli/pickle.js";

/** Runs the `pickle` command in-process, collecting what it writes and its exit status. */
export function runPickleCli(args: string[]): { out: string; err: string; status: number } {
  let out = "";
  let err = "";
  const status = main(
    args,
    (s) => {
      out += s;
    },
    (s) => {
      err += s;
    },
  );
  return { out, err, status };
}
