// Runs inputs on every target inside a worker thread (the parent enforces the time budget and
// the worker's heap limit the memory budget) and reports what broke a property.
import { parentPort } from "node:worker_threads";
import { PickleError } from "@x/pickle-core";
import { PyError } from "@x/pyobject";
import { JSON_TARGETS, PICKLE_TARGETS } from "./targets.mjs";

/** Errors of this library: everything else (RangeError, TypeError, stack overflow) is a finding. */
function isTyped(e) {
  return PyError.isInstance(e) || PickleError.isInstance(e);
}

const PROTOTYPES = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Map.prototype,
  Set.prototype,
];

function snapshot() {
  return PROTOTYPES.map((p) =>
    Reflect.ownKeys(p)
      .map((k) => {
        const d = Object.getOwnPropertyDescriptor(p, k);
        return `${String(k)}:${typeof d?.value}:${d?.get ? "g" : ""}`;
      })
      .join(","),
  );
}
const BEFORE = snapshot();

async function runOne(id, kind, data) {
  const targets = kind === "json" ? JSON_TARGETS : PICKLE_TARGETS;
  const problems = [];
  for (const [name, run] of targets) {
    parentPort.postMessage({ id, at: name });
    try {
      await run(data);
    } catch (e) {
      if (!isTyped(e)) {
        const err = e instanceof Error ? e : new Error(String(e));
        problems.push({
          target: name,
          kind: "untyped-error",
          error: `${err.name}: ${err.message}`.slice(0, 300),
          stack: (err.stack ?? "").split("\n").slice(1, 6).join("\n"),
        });
      }
    }
    const after = snapshot();
    if (after.some((s, i) => s !== BEFORE[i])) {
      problems.push({ target: name, kind: "prototype-changed", error: "a built-in prototype changed" });
      break;
    }
  }
  return problems;
}

parentPort.on("message", async (msg) => {
  const problems = await runOne(msg.id, msg.kind, new Uint8Array(msg.data));
  parentPort.postMessage({ id: msg.id, problems });
});

// Startup (module loading) is not part of any input's budget.
parentPort.postMessage({ ready: true });
