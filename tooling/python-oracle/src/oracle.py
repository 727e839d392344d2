"""Long-lived python3 helper for tests: reads JSON lines, answers JSON lines.

Request:  {"id": n, "op": "exec", "code": "..."}          run code in the shared namespace
          {"id": n, "op": "call", "fn": "name", "args": [...]}  call a function defined by exec
          {"id": n, "op": "eval", "expr": "...", "vars": {...}}  evaluate with extra variables
Values cross as JSON, with tags: {"$b": base64} bytes, {"$int": "123"} big ints,
{"$float": "nan"|"inf"|"-inf"} non-finite floats.
"""
import base64
import json
import sys
import traceback

ns = {"__name__": "__oracle__"}
SAFE = 2**53 - 1


def decode(v):
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        if len(v) == 1:
            (k, x), = v.items()
            if k == "$b":
                return base64.b64decode(x)
            if k == "$int":
                return int(x)
            if k == "$float":
                return float(x)
        return {k: decode(x) for k, x in v.items()}
    return v


def encode(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if -SAFE <= v <= SAFE else {"$int": str(v)}
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return {"$float": repr(v)}
        return v
    if isinstance(v, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(v)).decode("ascii")}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        return {str(k): encode(x) for k, x in v.items()}
    return {"$repr": repr(v)}


def main():
    out = sys.stdout
    for line in sys.stdin:
        req = json.loads(line)
        rid = req.get("id")
        try:
            op = req["op"]
            if op == "exec":
                exec(req["code"], ns)
                value = None
            elif op == "call":
                value = ns[req["fn"]](*decode(req.get("args", [])))
            elif op == "eval":
                local = decode(req.get("vars", {}))
                value = eval(req["expr"], ns, local)
            else:
                raise ValueError("unknown op " + repr(op))
            resp = {"id": rid, "ok": True, "value": encode(value)}
        except BaseException as e:  # report everything, keep serving
            resp = {"id": rid, "ok": False, "type": type(e).__name__, "error": str(e),
                    "trace": traceback.format_exc()}
        out.write(json.dumps(resp) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
