"""Malformed pickles for the exception-type differential test (exec'd after mirror.py):
CPython's AbstractUnpickleTests bad inputs, every truncation of valid pickles, seeded byte
mutations, and seeded random opcode soup, each with the name of the exception CPython's C
Unpickler (mirror_loads: inert globals, nothing imported) raises, or None when it loads."""
import random


def outcome_type(data):
    try:
        mirror_loads(data)
    except RecursionError:
        return "RecursionError"
    except Exception as e:
        return type(e).__name__
    return None


def malformed_inputs(seed=11, mutations=1500, soup=1200):
    rng = random.Random(seed)
    out = []
    lists = pickletester_lists()
    for name in sorted(lists):
        for h, _ in lists[name]:
            out.append(bytes.fromhex(h))
    values = [
        {'a': [1, 2.5, None, True, 'h\u00e9\U0001f600', b'xy', (1, 2), {3: 4}, 2**70, -5, {1}, frozenset([2]), bytearray(b'q'), 1j]},
        [[i, str(i), float(i)] for i in range(5)],
        (lambda l: [l, l, (l,)])([1, 2]),
        {1: 'x', 'k': (None, -2**40), 2.5: [b'', '']},
    ]
    valid = [pickle.dumps(v, p) for v in values for p in range(6)]
    for b in valid:
        for i in range(len(b)):
            out.append(b[:i])
    for _ in range(mutations):
        b = bytearray(rng.choice(valid))
        k = rng.randrange(3)
        i = rng.randrange(len(b))
        if k == 0:
            b[i] = rng.randrange(256)
        elif k == 1:
            b.insert(i, rng.randrange(256))
        else:
            del b[i]
        out.append(bytes(b))
    ops = [bytes([o.code.encode('latin-1')[0]]) for o in __import__('pickletools').opcodes]
    args = [b'', b'\x00', b'\x01', b'\xff', b'\x05\x00\x00\x00', b'\xff\xff\xff\xff', b'abc\n', b'1\n', b'x\ny\n',
            b"'a'\n", b'\x80\x00', b'\x02\x00\x00\x00\x00\x00\x00\x00']
    for _ in range(soup):
        n = rng.randrange(1, 12)
        s = b''.join(rng.choice(ops) + rng.choice(args) for _ in range(n))
        if rng.random() < 0.5:
            s = b'\x80' + bytes([rng.randrange(6)]) + s
        out.append(s)
    seen = set()
    res = []
    for b in out:
        if b in seen:
            continue
        seen.add(b)
        res.append([b.hex(), outcome_type(b)])
    return res
