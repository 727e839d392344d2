#!/usr/bin/env python3
"""Time CPython's C pickle and json on the benchmark workloads, and measure its memory.

    python3 time-cpython.py time --data DIR --out FILE [--budget S] [--only a,b] [--time-limit S]
    python3 time-cpython.py mem --file PATH --op loads|dumps|json_loads|stream

`time` writes JSON: for each workload, per protocol, pickle.loads with gc on (as users run it) and
gc off, pickle.dumps; and json.loads / json.dumps on the JSON text. Each measurement: calibrate a
batch size so one sample lasts about TARGET_SAMPLE_S, warm up, then take samples until the time
budget is spent (at least MIN_SAMPLES; a call slower than SINGLE_RUN_S, or than its share of
--time-limit, is reported from one run; cells past the limit are skipped). Results of a batch are kept alive until the timer stops, so
CPython's deallocation is not timed (the JS side likewise frees through its GC, off the timer when
it can). Per-op sample times are reported as median, quartiles, min, max.

`mem` runs one operation in a fresh process and prints JSON: peak RSS growth (VmHWM, reset through
/proc/self/clear_refs before the operation) and, in a second run under tracemalloc, the peak and the
retained size of the result.
"""

import argparse
import gc
import json
import os
import pickle
import sys
import time
import tracemalloc

TARGET_SAMPLE_S = 0.002
MIN_SAMPLES = 5
MIN_SAMPLES_SLOW = 3
SLOW_S = 0.1
SINGLE_RUN_S = 1.0
MAX_SAMPLES = 200
WARMUP_S = 0.05

perf = time.perf_counter_ns


def quantile(sorted_vals, q):
    if not sorted_vals:
        return None
    pos = (len(sorted_vals) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (pos - lo)


def stats(samples_ns, iters):
    s = sorted(samples_ns)
    return {
        "median": quantile(s, 0.5) / 1e9,
        "p25": quantile(s, 0.25) / 1e9,
        "p75": quantile(s, 0.75) / 1e9,
        "min": s[0] / 1e9,
        "max": s[-1] / 1e9,
        "n": len(s),
        "iters": iters,
    }


class TimeLimit(Exception):
    """Raised instead of measuring once the run's time is up."""


class Phase:
    """A deadline shared among cells: each may take an equal share of the time left."""

    def __init__(self, seconds, cells):
        self.deadline = perf() + int(seconds * 1e9)
        self.cells_left = max(1, cells)

    def next_cell(self):
        cap = (self.deadline - perf()) / 1e9 / max(1, self.cells_left)
        self.cells_left = max(1, self.cells_left - 1)
        return cap


def measure(fn, budget, gc_off, cap=float("inf")):
    """Per-op seconds of fn(); gc_off disables the cyclic GC during the timed batches only."""
    if cap <= 0:
        raise TimeLimit()
    gc.collect()
    cell_start = perf()

    def once():
        # One call, under the cell's GC setting: a gc-off cell's calibration and single runs must
        # not pay the cyclic GC either (on records and deep it is most of the time).
        if gc_off:
            gc.disable()
        t0 = perf()
        r = fn()
        t = perf() - t0
        if gc_off:
            gc.enable()
        del r
        return t

    single = once()
    # A call slower than SINGLE_RUN_S (or than the cell's share of time) is reported from one run.
    if single > SINGLE_RUN_S * 1e9 or single * (MIN_SAMPLES_SLOW + 1) > cap * 1e9:
        if single * 2 > cap * 1e9:
            return stats([single], 1)
        return stats([once()], 1)  # one warm run, as in Node
    iters = max(1, int(TARGET_SAMPLE_S * 1e9 / max(single, 1)))
    keep = [None] * iters
    slow = single > SLOW_S * 1e9
    # Warm-up: at least one batch, then until WARMUP_S (one batch only for slow calls, as in Node).
    w0 = perf()
    while True:
        for i in range(iters):
            keep[i] = fn()
        for i in range(iters):
            keep[i] = None
        if slow or perf() - w0 >= WARMUP_S * 1e9:
            break
    min_samples = MIN_SAMPLES_SLOW if slow else MIN_SAMPLES
    samples = []
    start = perf()
    while True:
        if gc_off:
            gc.disable()
        t0 = perf()
        for i in range(iters):
            keep[i] = fn()
        t1 = perf()
        if gc_off:
            gc.enable()
        for i in range(iters):
            keep[i] = None
        samples.append((t1 - t0) / iters)
        n = len(samples)
        if n >= MAX_SAMPLES or (n >= min_samples and perf() - start >= budget * 1e9):
            break
        if perf() - cell_start + (t1 - t0) > cap * 1e9:
            break
    return stats(samples, iters)


def safe(fn):
    try:
        return fn()
    except TimeLimit:
        return {"error": "skipped: time limit"}
    except Exception as e:  # a workload CPython cannot handle is reported, not fatal
        return {"error": f"{type(e).__name__}: {e}"}


# The default protocol and JSON first, so that a run cut short still has every workload's headline.
CELL_ORDER = ("p5", "json", "p4", "p2")


def time_part(w, key, args, phase, res):
    path = os.path.join(args.data, w["files"][key])
    if key == "json":
        with open(path, encoding="ascii") as f:
            text = f.read()
        value = json.loads(text)
        res["json_loads"] = safe(lambda: measure(lambda: json.loads(text), args.budget, False, phase.next_cell()))
        res["json_dumps"] = safe(lambda: measure(lambda: json.dumps(value), args.budget, False, phase.next_cell()))
        return
    proto = int(key[1:])
    with open(path, "rb") as f:
        data = f.read()
    value = pickle.loads(data)
    res[f"{key}_loads_nogc"] = safe(lambda: measure(lambda: pickle.loads(data), args.budget, True, phase.next_cell()))
    res[f"{key}_dumps"] = safe(
        lambda: measure(lambda: pickle.dumps(value, protocol=proto), args.budget, False, phase.next_cell()))
    res[f"{key}_loads_gc"] = safe(lambda: measure(lambda: pickle.loads(data), args.budget, False, phase.next_cell()))


def cmd_time(args):
    with open(os.path.join(args.data, "manifest.json")) as f:
        manifest = json.load(f)
    only = [w for w in args.only.split(",") if w]
    selected = [w for w in manifest["workloads"] if not only or w["name"] in only]
    cells = sum(2 if key == "json" else 3 for w in selected for key in w["files"])
    phase = Phase(args.time_limit, cells)
    out = {"python": sys.version.split()[0], "workloads": {w["name"]: {} for w in selected}}
    for key in CELL_ORDER:
        for w in selected:
            if key in w["files"]:
                time_part(w, key, args, phase, out["workloads"][w["name"]])
                print(f"  cpython {w['name']} {key}", file=sys.stderr, flush=True)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)


def vm_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def stream_all(path):
    count = 0
    with open(path, "rb") as f:
        while True:
            try:
                pickle.load(f)
            except EOFError:
                return count
            count += 1


def cmd_mem(args):
    if args.op == "stream":
        data = None
        run = lambda: stream_all(args.file)  # noqa: E731
    else:
        with open(args.file, "rb") as f:
            data = f.read()
        if args.op == "loads":
            run = lambda: pickle.loads(data)  # noqa: E731
        elif args.op == "json_loads":
            data = data.decode("ascii")
            run = lambda: json.loads(data)  # noqa: E731
        elif args.op == "dumps":
            value = pickle.loads(data)
            proto = data[1] if data[:1] == b"\x80" else 0
            run = lambda: pickle.dumps(value, protocol=proto)  # noqa: E731
        else:
            raise SystemExit(f"unknown op {args.op}")
    out = {"op": args.op}
    # 1. RSS: the high-water mark is reset, then read after the operation.
    gc.collect()
    rss0 = vm_kib("VmRSS")
    can_reset = reset_peak_rss()
    r = run()
    out["rssPeakGrowth"] = (vm_kib("VmHWM") - rss0) * 1024 if can_reset else None
    out["rssAfterGrowth"] = (vm_kib("VmRSS") - rss0) * 1024
    del r
    gc.collect()
    # 2. tracemalloc: peak during the operation and what the result keeps.
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    r = run()
    cur, peak = tracemalloc.get_traced_memory()
    out["peakGrowth"] = peak - base
    out["retained"] = cur - base
    tracemalloc.stop()
    del r
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("--data", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--budget", type=float, default=0.5)
    t.add_argument("--only", default="")
    t.add_argument("--time-limit", type=float, default=float("inf"), help="seconds for all cells")
    m = sub.add_parser("mem")
    m.add_argument("--file", required=True)
    m.add_argument("--op", required=True)
    args = ap.parse_args()
    cmd_time(args) if args.cmd == "time" else cmd_mem(args)


if __name__ == "__main__":
    main()
