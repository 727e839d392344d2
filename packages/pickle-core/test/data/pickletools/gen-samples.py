"""Write the sample pickles the CLI tests (and the README) disassemble. CPython writes them.

Run from this directory: python3 gen-samples.py
"""
import collections
import datetime
import pickle


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


Point.__module__ = "geometry"  # an importable-looking name; pickletools never imports it
shared = ["shared", 1]


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    import sys

    sys.modules["geometry"] = sys.modules[__name__]
    write("shared-refs-p0.pickle", pickle.dumps([shared, shared, {"k": (shared, 2.5)}], 0))
    write("mixed-p2.pickle", pickle.dumps({"ints": [1, -1, 2**70], "bytes": b"\x00\xff", "set": {3},
                                           "date": datetime.date(2024, 2, 29), "none": None}, 2))
    write("instance-p4.pickle", pickle.dumps([Point(1, 2), Point(3.5, "y")], 4))
    write("framed-p5.pickle", pickle.dumps({"blob": b"x" * 70000, "od": collections.OrderedDict(a=1),
                                            "ba": bytearray(b"ab"), "t": ("é", "€", "\U0001f600")}, 5))
    # What Python 2.7's cPickle.dumps({'a': u'b', 'c': 1L, 'd': 'str'}, 2) writes.
    write("python2-p2.pickle", b"\x80\x02}q\x00(U\x01aq\x01X\x01\x00\x00\x00bq\x02U\x01cq\x03\x8a\x01\x01"
                               b"U\x01dq\x04U\x03strq\x05u.")
    # Three pickles in one file (one Pickler, one memo), read with `- - -` or -m.
    with open("three-p3.pickle", "wb") as f:
        p = pickle.Pickler(f, 3)
        for obj in ([1, 2], shared, {"again": shared}):
            p.dump(obj)
    write("bad-memo.pickle", b"\x80\x02]q\x00h\x01a.")
    write("truncated.pickle", pickle.dumps(list(range(50)), 2)[:40])
