"""Writes the sample pickles in this folder with CPython (run: python3 make_samples.py).

The main job (`pnpm run main`) prints each sample with this library's `pickle` and
`pickletools` CLIs and compares the text with `python3 -m pickle` / `python3 -m pickletools`.
The Python 2 samples are bytes as Python 2.7 writes them (protocol 0 text opcodes, 8-bit
`str` as STRING/SHORT_BINSTRING, `__builtin__` module names), written out by hand here.
"""
import os
import pickle
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sample_types import Point  # noqa: E402


def records():
    return [
        {
            "id": i,
            "name": f"user-{i}",
            "email": f"user{i}@example.com",
            "score": i * 1.25,
            "tags": ("alpha", "beta") if i % 2 else ("gamma",),
            "active": i % 3 != 0,
            "avatar": bytes([i, 255 - i, 0x27]),
            "manager": None,
        }
        for i in range(4)
    ]


def mixed():
    return {
        "ints": [0, -1, 255, 65536, 2**31, -(2**63), 2**100],
        "floats": [0.0, -0.0, 1.5, 1e-05, 1e16, float("inf"), float("nan")],
        "text": "naïve café ☃ 😀 'quoted' \"double\"\n\ttabbed",
        "long text": "The quick brown fox jumps over the lazy dog. " * 4,
        "bytes": b"\x00\x01binary\xff'\"",
        "bytearray": bytearray(b"mutable"),
        "tuple": (1, "two", 3.0, None, True, False),
        "nested": {"a": [1, [2, [3, [4]]]], "b": {"c": {"d": ()}}},
        "set": {1, 2, 3},
        "frozenset": frozenset({7}),
        "complex": complex(1.5, -2),
        "empty": [[], {}, (), set(), frozenset(), "", b""],
        (1, 2): "tuple key",
    }


def shared():
    inner = ["shared", "list"]
    rec = [1, 2]
    rec.append(rec)
    d = {"self": None}
    d["self"] = d
    return {"first": inner, "second": inner, "pair": (inner, inner), "recursive": rec, "cyclic dict": d}


# Python 2.7: pickle.dumps([1, True, 'hello', u'h\xe9', 12345678901234567890L, 2.5,
#                           {'k': (None, False)}, set([1])], 0)
PY2_PROTOCOL0 = (
    b"(lp0\nI1\naI01\naS'hello'\np1\naVh\xe9\np2\naL12345678901234567890L\naF2.5\na"
    b"(dp3\nS'k'\np4\n(NI00\ntp5\nsac__builtin__\nset\np6\n((lp7\nI1\natp8\nRp9\na."
)
# Python 2.7: pickle.dumps(same value, 2)
PY2_PROTOCOL2 = (
    b"\x80\x02]q\x00(K\x01\x88U\x05helloq\x01X\x03\x00\x00\x00h\xc3\xa9q\x02"
    b"\x8a\t\xd2\n\x1f\xeb\x8c\xa9T\xab\x00G@\x04\x00\x00\x00\x00\x00\x00"
    b"}q\x03U\x01kq\x04N\x89\x86q\x05sc__builtin__\nset\nq\x06]q\x07K\x01a\x85q\x08Rq\te."
)


def main(out_dir=HERE):
    samples = {}
    for proto in (0, 2, 4, 5):
        samples[f"mixed-protocol{proto}.pickle"] = [pickle.dumps(mixed(), proto)]
    samples["records-protocol4.pickle"] = [pickle.dumps(records(), 4)]
    samples["shared-references.pickle"] = [pickle.dumps(shared(), 4)]
    samples["shared-references-protocol1.pickle"] = [pickle.dumps(shared(), 1)]
    # Long enough to wrap either way: CPython's repr holds an address this library cannot print.
    instances = {"origin": Point(0, 0.5, "origin"), "note": "points of an unknown class " * 2}
    samples["class-instance.pickle"] = [pickle.dumps(instances, 2)]
    samples["class-instance-protocol0.pickle"] = [pickle.dumps(Point(0, 0, "p0"), 0)]
    samples["python2-protocol0.pickle"] = [PY2_PROTOCOL0]
    samples["python2-protocol2.pickle"] = [PY2_PROTOCOL2]
    # Three pickles in one file: `python -m pickle` prints the first; `pickle --all` all three.
    samples["three-pickles.pickle"] = [pickle.dumps(v, 4) for v in ({"n": 1}, [2, 2], "three")]
    for name, parts in samples.items():
        data = b"".join(parts)
        # Each sample must load in CPython itself.
        import io

        f = io.BytesIO(data)
        for _ in parts:
            pickle.load(f)
        with open(os.path.join(out_dir, name), "wb") as out:
            out.write(data)
    print(f"wrote {len(samples)} samples to {out_dir}")


if __name__ == "__main__":
    # An optional folder to write to (the samples test regenerates into a temp folder).
    main(sys.argv[1] if len(sys.argv) > 1 else HERE)
