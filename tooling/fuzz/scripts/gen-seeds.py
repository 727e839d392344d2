"""Writes the fuzzer's seed corpus: CPython pickles of varied values at every protocol, and
JSON documents. Run: python3 tooling/fuzz/scripts/gen-seeds.py (output is committed)."""
import collections, datetime, decimal, fractions, json, os, pickle, types, uuid

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "seeds")

rec = []
rec.append(rec)
shared = (1, "x")
values = {
    "scalars": [None, True, False, 0, 1, -1, 255, 256, 65535, 2**31, -2**31 - 1, 2**63, 2**100, -(2**200), 0.0, -0.0, 1.5, 1e300, float("inf"), float("nan"), 1 + 2j, ...],
    "strings": ["", "a", "héllo", "\u20ac", "\U0001f600", "a\nb\\c", "x" * 300, b"", b"\x00\xff", bytearray(b"abc"), b"y" * 300],
    "containers": [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1, [2, [3]]], {}, {"a": 1, 2: "b", (1, 2): None}, set(), {1, 2, 3}, frozenset({"a"}), [shared, shared, {"k": shared}]],
    "recursive": rec,
    "big_list": list(range(1200)),
    "big_dict": {str(i): i for i in range(1100)},
    "types": [datetime.date(2024, 2, 29), datetime.datetime(2020, 1, 2, 3, 4, 5, 6), datetime.time(1, 2), datetime.timedelta(days=-1, seconds=5),
              datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2), "X")),
              decimal.Decimal("-1.5E+10"), decimal.Decimal("NaN"), fractions.Fraction(3, 7), collections.OrderedDict(a=1), collections.Counter("abca"),
              collections.deque([1, 2], maxlen=5), collections.defaultdict(list, {1: [2]}), range(1, 10, 3), slice(1, None, 2),
              types.SimpleNamespace(a=1, b=[2]), uuid.UUID(int=12345)],
    "nested": [[[[[[[[[[["deep"]]]]]]]]]]],
}
try:
    import numpy as np
    values["numpy"] = [np.arange(6, dtype=np.int32).reshape(2, 3), np.float64(1.5), np.array(["a", "bc"]), np.zeros(3, dtype=[("x", "<f4"), ("y", "u1")])]
except ImportError:
    pass

for name, v in values.items():
    for proto in range(6):
        with open(os.path.join(OUT, "pickle", f"{name}-p{proto}.pickle"), "wb") as f:
            f.write(pickle.dumps(v, proto))

docs = {
    "basic": '{"a": [1, 2.5, -3e10, true, false, null], "b": {"c": "d\\u00e9\\ud83d\\ude00"}}',
    "numbers": "[0, -0, 1e400, -1e-400, 12345678901234567890123, 0.1, NaN, Infinity, -Infinity]",
    "strings": '["\\"\\\\\\/\\b\\f\\n\\r\\t", "\\ud800", "plain", ""]',
    "nested": "[" * 50 + "]" * 50,
    "dupes": '{"a": 1, "a": 2, "": {}}',
    "ws": ' \t\n\r {"x" : [ ] } \n',
}
for name, text in docs.items():
    with open(os.path.join(OUT, "json", f"{name}.json.in"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(OUT, "json", f"{name}.utf16.json.in"), "wb") as f:
        f.write(text.encode("utf-16"))
