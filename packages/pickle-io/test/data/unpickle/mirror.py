"""Oracle helpers for the unpickling tests (exec'd into the python-oracle namespace).

`describe(v)` is a typed JSON description of a Python value that the JS tests compute for
their faithful-model results too. `mirror_loads(data)` unpickles with CPython's C Unpickler
but with a find_class that mirrors this library's default: the builtins it rebuilds are
real, every other global is an inert stand-in type that records how it was called (REDUCE
or NEWOBJ), its BUILD state and its APPENDS/SETITEMS items, like @x/pyobject's PyInstance.
"""
import _compat_pickle
import base64
import io
import pickle
import struct

REBUILT = {
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "bytes"),
    ("builtins", "bytearray"), ("_codecs", "encode"), ("builtins", "complex"),
    ("builtins", "list"), ("builtins", "tuple"), ("builtins", "dict"),
    ("builtins", "Ellipsis"), ("builtins", "NotImplemented"),
}


class InertObj:
    _gm = _gn = None

    def __new__(cls, *args, **kw):
        o = object.__new__(cls)
        o._args, o._kw, o._kind = list(args), kw, "new"
        o._state, o._has_state, o._list, o._dict = None, False, None, None
        return o

    def __init__(self, *args, **kw):
        self._kind = "reduce"

    def __setstate__(self, state):
        self._state, self._has_state = state, True

    def append(self, x):
        self._list = (self._list or []) + [x]

    def extend(self, xs):
        self._list = (self._list or []) + list(xs)

    def __setitem__(self, k, v):
        self._dict = (self._dict or []) + [(k, v)]

    def __call__(self, *args):
        # REDUCE with an inert instance as the callable (e.g. a functools.partial)
        o = InertCall()
        o._callee, o._args, o._kw, o._kind = self, list(args), {}, "reduce"
        o._state, o._has_state, o._list, o._dict = None, False, None, None
        return o


class InertCall(InertObj):
    def __new__(cls):
        return object.__new__(cls)

    def __init__(self):
        pass


_types = {}


class InertGlobal:
    """A global that is not callable data: stands for PyGlobal."""


def inert(module, name):
    key = (module, name)
    if key not in _types:
        _types[key] = type("Inert", (InertObj,), {"_gm": module, "_gn": name})
    return _types[key]


class MirrorUnpickler(pickle.Unpickler):
    # The C Unpickler does not expose its protocol; mirror_loads sets it from the PROTO opcode.
    proto_seen = 0
    fix = True

    def find_class(self, module, name):
        if self.proto_seen < 3 and self.fix:
            if (module, name) in _compat_pickle.NAME_MAPPING:
                module, name = _compat_pickle.NAME_MAPPING[(module, name)]
            elif module in _compat_pickle.IMPORT_MAPPING:
                module = _compat_pickle.IMPORT_MAPPING[module]
        if (module, name) in REBUILT:
            return super().find_class(module, name)
        return inert(module, name)


def mirror_loads(data, **kw):
    import pickletools
    u = MirrorUnpickler(io.BytesIO(data), **kw)
    u.fix = kw.get("fix_imports", True)
    try:
        first = next(pickletools.genops(data))
        u.proto_seen = first[1] if first[0].name == "PROTO" else 0
    except Exception:
        pass
    return u.load()


def fhex(x):
    return struct.pack(">d", x).hex()


def describe(v):
    ids = {}

    def d(x):
        t = type(x)
        if x is None:
            return ["None"]
        if x is Ellipsis:
            return ["Ellipsis"]
        if x is NotImplemented:
            return ["NotImplemented"]
        if t is bool:
            return ["bool", x]
        if t is int:
            return ["int", str(x)]
        if t is float:
            return ["float", fhex(x)]
        if t is complex:
            return ["complex", fhex(x.real), fhex(x.imag)]
        if t is str:
            return ["str", x.encode("utf-16-le", "surrogatepass").hex()]
        if t is bytes:
            return ["bytes", x.hex()]
        if t is tuple:
            return ["tuple", [d(y) for y in x]]
        if t is frozenset:
            return ["frozenset", [d(y) for y in x]]
        if isinstance(x, type) and issubclass(x, InertObj):
            return ["global", x._gm + "." + x._gn]
        if isinstance(x, type):
            return ["global", x.__module__ + "." + x.__qualname__]
        if t is memoryview:
            return ["bytes", bytes(x).hex()]
        if id(x) in ids:
            return ["ref", ids[id(x)]]
        ids[id(x)] = n = len(ids)
        if t is bytearray:
            return ["bytearray", n, x.hex()]
        if t is list:
            return ["list", n, [d(y) for y in x]]
        if t is dict:
            return ["dict", n, [[d(k), d(y)] for k, y in x.items()]]
        if t is set:
            return ["set", n, [d(y) for y in x]]
        if isinstance(x, InertObj):
            callee = x._callee if isinstance(x, InertCall) else type(x)
            return [
                "inst", n, d(callee), x._kind,
                [d(y) for y in x._args],
                [[d(k), d(y)] for k, y in x._kw.items()],
                d(x._state) if x._has_state else ["nostate"],
                None if x._list is None else [d(y) for y in x._list],
                None if x._dict is None else [[d(k), d(y)] for k, y in x._dict],
            ]
        raise TypeError("cannot describe %r" % (t,))

    return d(v)


def b2h(b):
    return bytes(b).hex()


def S(h):
    """A str from UTF-16-LE hex, lone surrogates included."""
    return bytes.fromhex(h).decode("utf-16-le", "surrogatepass")


def F(h):
    return struct.unpack(">d", bytes.fromhex(h))[0]


def B(h):
    return bytes.fromhex(h)


def BA(h):
    return bytearray.fromhex(h)


def cases_for(src, protocols=(0, 1, 2, 3, 4, 5)):
    """Evaluates a Python expression and returns its pickles (hex) and descriptions."""
    v = eval(src)
    out = []
    for p in protocols:
        try:
            data = pickle.dumps(v, p)
        except (TypeError, pickle.PicklingError):
            continue  # not picklable at this protocol (e.g. __slots__ below protocol 2)
        out.append([p, data.hex(), describe(mirror_loads(data))])
    return out


def error_of(data_hex, **kw):
    """What CPython's C unpickler raises for the data: [type name, message] or None."""
    try:
        pickle.loads(bytes.fromhex(data_hex), **kw)
    except BaseException as e:
        return [type(e).__name__, str(e)]
    return None


def pickletester_lists():
    """The byte strings of AbstractUnpickleTests' bad-input tests, read from CPython's own
    test source with ast (so they are exactly CPython's), with what CPython raises for each."""
    import ast
    import test.pickletester as pt

    tree = ast.parse(open(pt.__file__, encoding="utf-8").read())
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "AbstractUnpickleTests":
            for fn in node.body:
                if isinstance(fn, ast.FunctionDef):
                    for st in ast.walk(fn):
                        if isinstance(st, ast.Assign) and getattr(st.targets[0], "id", None) == "badpickles":
                            items = ast.literal_eval(st.value)
                            out[fn.name] = [
                                [x.hex(), error_of(x.hex())] for x in (i if isinstance(i, bytes) else i[0] for i in items)
                            ]
    return out
