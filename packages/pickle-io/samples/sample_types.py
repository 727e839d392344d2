"""A class for the sample pickles: this library does not know it, so it loads as inert data.

`python -m pickle` needs it importable (run with PYTHONPATH set to this folder); its repr is
Python's default `<sample_types.Point object at 0x...>`, whose address the comparison drops.
"""


class Point:
    def __init__(self, x, y, label):
        self.x = x
        self.y = y
        self.label = label
