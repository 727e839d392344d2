/**
 * Python code (run in the oracle) that defines `corpus()`: pickles CPython writes for a wide
 * set of values at every protocol, plus the Python 2 vectors of CPython's pickletester, so
 * stream tests cut real pickles, not ones this library wrote.
 */
export const CORPUS_PY = String.raw`
import pickle, collections, datetime, decimal, fractions
from test import pickletester

def _values():
    big = list(range(20000))
    shared = [1, 2]
    rec = []
    rec.append(rec)
    return [
        None, True, False, 0, 1, -1, 255, 65535, 2**31, -2**31 - 1, 2**64, -(2**200),
        0.0, -0.0, 1.5, float('inf'), float('nan'), 1e300,
        '', 'a', 'line\nbreak', 'quote\'"', 'ünïcödé ☃ 😀', 'x' * 300, '\udc80',
        b'', b'\x00\n\xff', b'y' * 70000, bytearray(b'ba\n'),
        (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1, [2, [3]]], {}, {'a': 1, 2: 'b'},
        set(), {1, 2, 3}, frozenset({'f'}), complex(1, -2),
        [shared, shared], rec, big, {str(i): i for i in range(3000)},
        collections.OrderedDict(a=1), datetime.date(2020, 1, 2), decimal.Decimal('1.5'),
        fractions.Fraction(1, 3), Ellipsis, NotImplemented, len, pickle.Pickler,
    ]

def corpus():
    out = []
    for proto in range(0, pickle.HIGHEST_PROTOCOL + 1):
        for v in _values():
            out.append(pickle.dumps(v, proto))
    out.extend([pickletester.DATA0, pickletester.DATA1, pickletester.DATA2,
                pickletester.DATA3, pickletester.DATA4, pickletester.DATA_SET, pickletester.DATA_SET2,
                pickletester.DATA_XRANGE, pickletester.DATA_COOKIE])
    return out
`;
