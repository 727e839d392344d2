"""Pickles for the pickletools differential tests, and CPython's answers for them.

Loaded into the python oracle by test/pickletools-*.test.ts (`exec`), so every expected
output comes from the running CPython, never from a file.
"""
import collections
import copyreg
import datetime
import decimal
import fractions
import functools
import hashlib
import io
import pickle
import pickletools
import sys
import types

# An importable module with classes, so instances pickle (INST/OBJ/NEWOBJ/NEWOBJ_EX/BUILD).
_mod = types.ModuleType("pt_corpus_mod")
sys.modules["pt_corpus_mod"] = _mod
exec(
    '''
class Plain:
    def __init__(self, v):
        self.v = v

class Slots:
    __slots__ = ("a", "b")
    def __init__(self):
        self.a = 1
        self.b = "two"

class WithNewArgs:
    def __new__(cls, x, *, y=0):
        o = object.__new__(cls)
        o.x, o.y = x, y
        return o
    def __getnewargs_ex__(self):
        return (self.x,), {"y": self.y}

class WithNewArgsPos(int):
    pass

class Stateful:
    def __init__(self):
        self.n = 3
    def __getstate__(self):
        return ("state", self.n)
    def __setstate__(self, s):
        self.n = s[1]
''',
    _mod.__dict__,
)


def _values():
    shared = [1, 2]
    rec_list = []
    rec_list.append(rec_list)
    rec_dict = {}
    rec_dict["self"] = rec_dict
    rec_tuple_holder = []
    rec_tuple = (rec_tuple_holder,)
    rec_tuple_holder.append(rec_tuple)
    return {
        "none": None,
        "true": True,
        "false": False,
        "ints": [0, 1, -1, 255, 256, 65535, 65536, 2**31 - 1, -(2**31), 2**31, 2**63, -(2**100), 10**50],
        "floats": [0.0, -0.0, 1.5, 1e300, float("inf"), float("-inf"), float("nan"), 5e-324, 0.1, 1e16],
        "strs": ["", "abc", "it's", "both'\"", "\xe9", "\u20ac", "\U0001f600", "\ud800", "a\udc00b",
                 "\n\t\\\r\x00\x7f", "a" * 300, "\u2028\xa0\u0600"],
        "bytes": [b"", b"abc", b"\x00\xff'\"", b"x" * 300],
        "bytearray": bytearray(b"ab\x00c"),
        "containers": [[], [1, [2, [3]]], (), (1,), (1, 2), (1, 2, 3), tuple(range(5)), {}, {"a": 1, 2: [3]},
                       set(), {1, 2}, frozenset(), frozenset({1})],
        "shared": [shared, shared, (shared,)],
        "rec_list": rec_list,
        "rec_dict": rec_dict,
        "rec_tuple": rec_tuple,
        "stdlib": [datetime.date(2020, 1, 2), datetime.datetime(2021, 3, 4, 5, 6, 7, 8),
                   decimal.Decimal("1.5"), fractions.Fraction(1, 3), 1 + 2j, range(3), slice(1, 2),
                   collections.OrderedDict(a=1), collections.Counter("aab"), Ellipsis, NotImplemented,
                   functools.partial(max, 1), types.SimpleNamespace(q=1), type(None), len],
        "slots": _mod.Slots(),
        "instances": [_mod.Plain(1), _mod.WithNewArgs(1, y=2), _mod.WithNewArgsPos(5),
                      _mod.Stateful()],
        "big_list": list(range(2500)),
        "big_dict": {i: str(i) for i in range(1200)},
        "big_set": set(range(1100)),
        "big_bytes": b"\x01" * 70000,
        "big_str": "\xe9" * 40000,
        "many_frames": [bytes([i % 256]) * 3000 for i in range(60)],
    }


def _persistent(protocol):
    class P(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, str) and obj.startswith("pid:"):
                return obj[4:]
            return None

    f = io.BytesIO()
    P(f, protocol).dump(["pid:abc", "plain", ("pid:x y",)])
    return f.getvalue()


def _extensions(protocol):
    copyreg.add_extension("collections", "OrderedDict", 1)
    copyreg.add_extension("collections", "Counter", 300)
    copyreg.add_extension("fractions", "Fraction", 70000)
    try:
        return pickle.dumps([collections.OrderedDict, collections.Counter, fractions.Fraction], protocol)
    finally:
        copyreg.remove_extension("collections", "OrderedDict", 1)
        copyreg.remove_extension("collections", "Counter", 300)
        copyreg.remove_extension("fractions", "Fraction", 70000)


def _buffers():
    out = []
    for ro in (False, True):
        buf = pickle.PickleBuffer(b"abc" if ro else bytearray(b"abc"))
        out.append(("oob_" + ("ro" if ro else "rw"), pickle.dumps([buf, buf], 5, buffer_callback=lambda b: False)))
    out.append(("inband_bytearray_buffer", pickle.dumps(pickle.PickleBuffer(bytearray(b"xyz")), 5)))
    return out


# Hand-made pickles: every opcode, protocol-0 text forms, odd but valid arguments, and bad pickles.
HAND_MADE = [
    # protocol 0 text opcodes
    b"I42\n.", b"I00\n.", b"I01\n.", b"I-7\n.", b"I 12 \n.", b"I1_000\n.", b"I007\n.", b"I+3\n.",
    b"L123L\n.", b"L-99999999999999999999999\n.", b"L5\n.", b"L0L\n.",
    b"F1.5\n.", b"F-inf\n.", b"Fnan\n.", b"F1e400\n.", b"F 2.5 \n.", b"F1_0.2_5\n.", b"F-Infinity\n.",
    b"F.5\n.", b"F5.\n.", b"F1E-3\n.", b"F-0\n.", b"F1e-400\n.", b"F123456789012345678901234567890\n.",
    b"S'abc'\n.", b"S\"it's\"\n.", b"S'a\\x41\\n\\101\\q\\777'\n.", b"S'\n.", b"S''\n.", b"S'\\'\\\"'\n.",
    b"Vabc\\u20ac\\U0001f600\n.", b"V\\ud83d\\ude00\n.", b"V\xe9\xff\n.", b"V\\\\u0041\\\\\\u0042\n.",
    b"Va\\xb\n.", b"V\\\n.", b"V\\ud800x\n.",
    b"N.", b"(lp0\nI1\naI2\na.", b"(t.", b"(I1\nI2\nt.", b"(dp0\nS'a'\nI1\ns.", b"(S'k'\nI1\nd.",
    b"cos\nsystem\n.", b"c__builtin__\nset\np0\n((lp1\nI1\natp2\nRp3\n.",
    b"(i__main__\nC\n(dp0\nb.", b"(cfoo\nBar\nI1\no.", b"(ifoo\nBar\np0\n(dp1\nS'x'\nI1\nsb.",
    b"Pabc\n.", b"Pa b\\x41\n.", b"I1\n0N.", b"(I1\n1N.", b"I1\np0\n0g0\n.", b"I1\np01\n0g1\n.",
    b"I1\np5\ng5\n0.", b"(0N.", b"(I1\n0I2\nl.", b"((((((I1\nttttt.",
    # protocol 1
    b"J\xff\xff\xff\xff.", b"K\xff.", b"M\x00\x01.", b"G?\xf8\x00\x00\x00\x00\x00\x00.",
    b"G\x7f\xf8\x00\x00\x00\x00\x00\x01.", b"G\x80\x00\x00\x00\x00\x00\x00\x00.",
    b"T\x03\x00\x00\x00abc.", b"U\x03a\xe9c.", b"X\x03\x00\x00\x00abc.", b"X\x00\x00\x00\x00.",
    b"]q\x00(K\x01K\x02e.", b").", b"}q\x00(U\x01aK\x01U\x01bK\x02u.", b"K\x01Q.",
    b"K\x01q\x000h\x00.", b"K\x01r\x00\x01\x00\x000j\x00\x01\x00\x00.", b"K\x01r\xff\xff\xff\xffj\xff\xff\xff\xff0.",
    b"(K\x01K\x021N.", b"]q\x01(K\x01K\x02eh\x01h\x01\x86.",
    # protocol 2
    b"\x80\x02\x88.", b"\x80\x02\x89.", b"\x80\x02N\x85.", b"\x80\x02NN\x86.", b"\x80\x02NNN\x87.",
    b"\x80\x02\x8a\x00.", b"\x80\x02\x8a\x01\xff.", b"\x80\x02\x8a\x02\x00\x80.", b"\x80\x02\x8a\x09" + b"\x01" * 9 + b".",
    b"\x80\x02\x8b\x02\x00\x00\x00\x00\x80.", b"\x80\x02\x8b\x00\x00\x00\x00.",
    b"\x80\x02\x82\x01.", b"\x80\x02\x83\x00\x01.", b"\x80\x02\x84\x00\x00\x01\x00.",
    b"\x80\x02cfoo\nBar\n)\x81.",
    # python 2 pickle of {'a': u'b', 'c': 1L}, protocol 2
    b"\x80\x02}q\x00(U\x01aq\x01X\x01\x00\x00\x00bq\x02U\x01cq\x03\x8a\x01\x01u.",
    # protocol 3
    b"\x80\x03C\x03abc.", b"\x80\x03B\x03\x00\x00\x00a\x00c.",
    # protocol 4
    b"\x80\x04\x95\x0b\x00\x00\x00\x00\x00\x00\x00\x8c\x03abc\x94\x8c\x01x\x94\x86\x94.",
    b"\x80\x04\x8d\x02\x00\x00\x00\x00\x00\x00\x00hi.", b"\x80\x04\x8e\x01\x00\x00\x00\x00\x00\x00\x00\x00.",
    b"\x80\x04\x8f(K\x01K\x02\x90.", b"\x80\x04(K\x01\x91.", b"\x80\x04\x8c\x03foo\x8c\x03Bar\x93)}\x92.",
    b"\x80\x04\x8c\x06\xed\xa0\xbd\xed\xb2\xa9.", b"\x80\x04\x8c\x03\xed\xb2\xa9.", b"\x80\x04\x8c\x04\xf0\x9f\x98\x80.",
    b"\x80\x04N\x94N\x94h\x00h\x01\x86.", b"\x80\x04N\x94\x95\x03\x00\x00\x00\x00\x00\x00\x00N\x94\x86.",
    # protocol 5
    b"\x80\x05\x96\x03\x00\x00\x00\x00\x00\x00\x00abc.", b"\x80\x05\x96\x04\x00\x00\x00\x00\x00\x00\x00it's.",
    b"\x80\x05\x96\x03\x00\x00\x00\x00\x00\x00\x00'\"\\.", b"\x80\x03C\x04it's.", b"\x80\x03C\x02'\".",
    b"\x80\x04\x8c\x0b\xe2\x80\xa8\xc2\xa0\xd8\x80\xf3\xa0\x80\x81.", b"V\\U000e0001\\u0378\\U0001f600\n.", b"\x80\x05\x97.", b"\x80\x05\x97\x98.",
    # optimize specials: PROTO not first, a GET of an id never PUT, duplicate PUT ids
    b"N\x80\x02.", b"\x80\x02h\x05.", b"g5\n.", b"\x80\x02Nq\x01q\x01h\x01\x86.", b"\x80\x02Nq\x01Nq\x01h\x01\x86.",
    b"\x80\x04Np5\n\x94h\x01h\x05\x86.", b"\x80\x06N.",
    # bad pickles
    b"", b"\xff", b"N", b"I1\n", b"Iabc\n.", b"I1L\n.", b"I\n.", b"I1__0\n.", b"I_1\n.", b"I1_\n.", b"I12\x00\n.",
    b"I" + b"1" * 5000 + b"\n.", b"I" + b"1" * 5000 + b"x\n.", b"Ix" + b"1" * 300 + b"\n.", b"I" + b"\xff" * 300 + b"\n.",
    b"F1e\n.", b"F\n.", b"F_1\n.", b"F1_\n.", b"F1__0\n.", b"Fx" * 1 + b"\n.", b"F1\x00\n.", b"Finfx\n.",
    b"S'abc\n.", b"Sabc\n.", b"S'\\x4'\n.", b"S'abc\\'\n.", b"S'\xe9'\n.", b"S\"abc'\n.",
    b"V\\u12\n.", b"V\\uzz00\n.", b"V\\U00110000\n.", b"V\\U0011000\n.", b"Vabc",
    b"c\xe9\nx\n.", b"cos\n", b"cos\nsys", b"c\\x4\nx\n.", b"P\xff\n.",
    b"X\x05\x00\x00\x00ab.", b"X\x02\x00\x00\x00\xff\xfe.", b"X\x03\x00\x00\x00a\xc3.", b"X\x02\x00\x00\x00\xed\xa0.",
    b"X\x04\x00\x00\x00\xf0\x9f\x98.", b"X\x03\x00\x00\x00\xe0\x80\x80.", b"X\x04\x00\x00\x00\xf4\x90\x80\x80.",
    b"X\x02\x00\x00\x00\xc3(.", b"X\x03\x00\x00\x00\xe2\x82(.", b"X\x04\x00\x00\x00\xf0\x9f\x98(.",
    b"\x8e\xff\xff\xff\xff\xff\xff\xff\xff..", b"\x8e\xff\xff\xff\xff\xff\xff\xff\x7f..", b"\x8e\x01\x00.",
    b"\x96\xff\xff\xff\xff\xff\xff\xff\xff.", b"\x8d\x05\x00\x00\x00\x00\x00\x00\x80.",
    b"T\xff\xff\xff\xff.", b"T\x05\x00\x00\x00ab.", b"\x8b\xff\xff\xff\xff.", b"\x8b\x05\x00\x00\x00ab.",
    b"\x8a\x05ab.", b"J\x01\x02.", b"M\x01", b"K", b"G\x01\x02.", b"U\x05ab.", b"C\x05ab.", b"B\x05\x00\x00\x00ab.",
    b"h", b"j\x01\x00", b"\x95\x01",
    b"a.", b"t.", b"(p0\n.", b"p0\n.", b"Np0\np0\n.", b"g5\n.", b"NN.", b"(N0.", b"N(aNt.", b"\x94.",
    b"\x80\x04N\x94\x94.", b"\x80\x04(\x94.", b"e.", b"(e.", b"N(e.", b"u.", b"N2.", b"(2.", b"(2t.",
    b"\x8b\xd0\x07\x00\x00" + b"\x7f" * 2000 + b".", b"\x8b\x80\x07\x00\x00" + b"\x7f" * 1920 + b".",
    b"\x8a\xff" + b"\xff" * 255 + b".", b"(((.", b"((N1t.",
]


def corpus():
    """[[name, bytes], ...]: CPython-written pickles of many shapes at every protocol, then the hand-made ones."""
    items = []
    for name, value in _values().items():
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            try:
                items.append(["%s/p%d" % (name, proto), pickle.dumps(value, proto)])
            except TypeError:  # __slots__ without __getstate__ needs protocol 2
                pass
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        items.append(["persistent/p%d" % proto, _persistent(proto)])
        items.append(["py-pickler/p%d" % proto, pickle._dumps(_values()["containers"], proto)])
    for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
        items.append(["extensions/p%d" % proto, _extensions(proto)])
    for name, data in _buffers():
        items.append([name, data])
    for i, data in enumerate(HAND_MADE):
        items.append(["hand/%d" % i, data])
    return items


def _error(e):
    return [type(e).__name__, str(e)]


def py_dis(data, annotate=0, indentlevel=4):
    """[text printed, [exception type, message] or None]"""
    out = io.StringIO()
    try:
        pickletools.dis(data, out, None, indentlevel, annotate)
        return [out.getvalue(), None]
    except Exception as e:
        return [out.getvalue(), _error(e)]


def py_dis_from(data, start):
    """dis of a file positioned at `start`: positions are tell() values."""
    f = io.BytesIO(data)
    f.seek(start)
    out = io.StringIO()
    pickletools.dis(f, out)
    return out.getvalue()


def py_dis_many(datas, annotate, indentlevel):
    return [py_dis(data, annotate, indentlevel) for data in datas]


def py_dis_memo(datas, annotate=0):
    """dis of several pickles sharing one memo (the CLI's -m): one [text, error] per pickle."""
    memo = {}
    return [py_dis_with(data, memo, annotate) for data in datas]


def py_dis_with(data, memo, annotate):
    out = io.StringIO()
    try:
        pickletools.dis(data, out, memo, 4, annotate)
        return [out.getvalue(), None]
    except Exception as e:
        return [out.getvalue(), _error(e)]


def py_optimize(data):
    """[optimized bytes or None, [exception type, message] or None]"""
    try:
        return [pickletools.optimize(data), None]
    except Exception as e:
        return [None, _error(e)]


def py_genops(data):
    """[[name, pos, end_pos], ...] and the error, if any."""
    ops = []
    try:
        for op, arg, pos, end in pickletools._genops(data, yield_end_pos=True):
            ops.append([op.name, pos, end])
        return [ops, None]
    except Exception as e:
        return [ops, _error(e)]


def _sha(b):
    return hashlib.sha256(b).hexdigest()


def py_batch(datas, annotates=(0, 30)):
    """For each pickle: [sha256 of dis text, error] for each annotate, then [sha256 of optimize, error].

    Digests keep the answers small (the texts of big pickles run to megabytes); a test that
    sees a different digest asks py_dis for the text to show the difference.
    """
    res = []
    for data in datas:
        r = []
        for a in annotates:
            text, err = py_dis(data, a)
            r.append([_sha(text.encode("utf-8")), err])
        opt, err = py_optimize(data)
        r.append([None if opt is None else _sha(opt), err])
        res.append(r)
    return res
