"""Loads pickles with CPython for the fuzzer's python-backed mode, safely: a restricted
find_class (an allow-list of harmless builtins and standard types; nothing else resolves),
1 GB of address space, and one JSON line per input: {"ok": repr} or {"error": type name}.
Input on stdin: 4-byte little-endian length + pickle, repeated."""
import io, json, pickle, resource, sys

resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
sys.setrecursionlimit(3000)
ALLOWED = {
    ("builtins", n) for n in ("set", "frozenset", "complex", "slice", "range", "list", "dict", "tuple", "int", "float", "str", "bytes")
} | {("collections", "OrderedDict"), ("collections", "deque"), ("collections", "Counter"), ("datetime", "date"),
     ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"), ("decimal", "Decimal"), ("fractions", "Fraction")}


class Restricted(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"global '{module}.{name}' is forbidden")


stdin = sys.stdin.buffer
while True:
    head = stdin.read(4)
    if len(head) < 4:
        break
    data = stdin.read(int.from_bytes(head, "little"))
    try:
        out = {"ok": repr(Restricted(io.BytesIO(data)).load())}
    except BaseException as e:  # noqa: BLE001 - every outcome is reported
        out = {"error": type(e).__name__}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
