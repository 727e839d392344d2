#!/usr/bin/env python3
"""Write the benchmark workloads: pickles at protocols 2, 4 and 5, and JSON as CPython writes it.

Deterministic: every workload draws from its own random.Random(seed), so two runs write the same
bytes. Usage:

    python3 gen-workloads.py --out DIR [--scale S] [--only a,b] [--force]

--scale divides the large workloads' element counts (BENCH_QUICK uses 100); the pyperformance
payloads keep their size. DIR/manifest.json lists what was written; when it already holds the same
generator version, scale and workload list the files are kept (a re-run costs nothing).

The pyperformance payloads (bm_pickle DICT, TUPLE, DICT_GROUP; bm_pickle_list LIST; bm_pickle_dict
MICRO_DICT; bm_json_dumps NESTED, HUGE) are reconstructed from memory of those benchmarks: same
shapes, types, sizes and construction (DICT_GROUP = three mutate_dict copies with
random.Random(5)), but the exact strings and numbers of DICT and TUPLE may differ from upstream.
"""

import argparse
import hashlib
import json
import os
import pickle
import random
import sys

PROTOCOLS = (2, 4, 5)
GENERATOR_VERSION = 1


# --- pyperformance payloads (reconstructed) ---------------------------------------------------

def pyperf_dict():
    """bm_pickle.DICT: one user profile, str keys, mixed scalar values and lists of str."""
    return {
        "ads_flags": 0,
        "age": 18,
        "bulletin_count": 0,
        "comment_count": 0,
        "country": "BR",
        "encrypted_id": "G9urXXAJwjE",
        "favorite_artists": [
            "Geo'vany",
            "Ragnarok Online",
            "Arctic Monkeys",
            "Gotan Project",
            "Coldplay",
            "Radiohead",
            "Bob Marley",
            "System of a Down",
            "Pink Floyd",
            "Foo Fighters",
        ],
        "favorite_authors": ["Machado de Assis", "Jorge Amado", "Paulo Coelho"],
        "favorite_books": ["Dom Casmurro", "Capitães da Areia", "O Alquimista"],
        "favorite_movies": ["Matrix", "Cidade de Deus", "Tropa de Elite", "Clube da Luta"],
        "first_name": "Kleber",
        "friends_count": 0,
        "gender": "m",
        "gender_for_display": "Male",
        "id": 302,
        "is_active": True,
        "is_aged": True,
        "is_blocked": False,
        "is_staff": False,
        "is_superuser": False,
        "last_name": "Eteste",
        "locale": "pt_BR",
        "name": "Kleber Eteste",
        "online_status": 2,
        "profile_friends_count": 0,
        "profile_url": "http://www.example.com/kleber.eteste",
        "sent_invites_count": 0,
        "status": "active",
        "time_zone": "America/Sao_Paulo",
        "url": "http://www.example.com/user/302",
        "username": "kleber.eteste",
        "verified": False,
        "zip_code": "04538-132",
    }


def pyperf_tuple():
    """bm_pickle.TUPLE: ([about a hundred 9-digit ints], 60)."""
    rnd = random.Random(1)
    return ([rnd.randrange(265_000_000, 266_500_000) for _ in range(100)], 60)


def mutate_dict(orig, rnd):
    """As bm_pickle.mutate_dict: every value replaced by str(random() * sys.maxsize)."""
    new = dict(orig)
    for key in new:
        rand_val = rnd.random() * sys.maxsize
        if isinstance(key, (int, bytes, str)):
            new[key] = str(rand_val)
    return new


def pyperf_dict_group():
    rnd = random.Random(5)
    base = pyperf_dict()
    return [mutate_dict(base, rnd) for _ in range(3)]


def pyperf_list():
    """bm_pickle_list.LIST."""
    return [[list(range(10)), list(range(10))] for _ in range(10)]


def pyperf_micro_dict():
    """bm_pickle_dict.MICRO_DICT: int keys, values dicts of ten int keys to None."""
    return {key: dict.fromkeys(range(10)) for key in range(100)}


def json_simple():
    return {"key1": 0, "key2": True, "key3": "value", "key4": "foo", "key5": "string"}


def json_nested():
    """bm_json_dumps.NESTED: the SIMPLE dict three times (one object) plus a non-ASCII str."""
    simple = json_simple()
    return {
        "key1": 0,
        "key2": simple,
        "key3": "value",
        "key4": simple,
        "key5": simple,
        "key": "\u0105\u0107\u017c",
    }


def json_huge():
    """bm_json_dumps.HUGE: the NESTED dict referenced 1000 times."""
    return [json_nested()] * 1000


# --- large workloads -------------------------------------------------------------------------

FIRST = ["José", "Zoë", "Ærøskøbing", "Łukasz", "Müller", "Ольга", "Αλέξανδρος", "محمد", "さくら",
         "Nguyễn", "Søren", "François", "Dvořák", "Ilkka", "Chloé", "李雷", "Ana", "Björk"]
LAST = ["García", "Öztürk", "Smith", "Kowalczyk", "Ivanović", "Ångström", "Петров", "田中",
        "O'Brien", "Żółć", "Nuñez", "Đorđević", "Brontë", "Kim", "Straße"]
TAGS = ["alpha", "beta", "gamma", "delta", "prod", "staging", "eu-west", "us-east", "vip", "new",
        "trial", "legacy", "π", "naïve", "café"]


def records(n):
    """n dicts of 10 mixed fields: ints up to 2**62, non-ASCII names, floats, bools, list of str, None."""
    rnd = random.Random(11)
    out = []
    for i in range(n):
        out.append({
            "id": rnd.randrange(2**62),
            "seq": i,
            "name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
            "email": f"user{i}@example.com",
            "score": rnd.random() * 100,
            "balance": round(rnd.uniform(-1e4, 1e6), 2),
            "active": rnd.random() < 0.5,
            "verified": rnd.random() < 0.8,
            "tags": rnd.sample(TAGS, rnd.randrange(0, 5)),
            "parent": None,
        })
    return out


def ints(n):
    """Mixed sizes: 1-byte, 4-byte, negative, 8-byte, and ~2**100 (LONG1 territory)."""
    rnd = random.Random(12)
    out = []
    for _ in range(n):
        r = rnd.random()
        if r < 0.3:
            out.append(rnd.randrange(256))
        elif r < 0.55:
            out.append(rnd.randrange(256, 2**31))
        elif r < 0.7:
            out.append(-rnd.randrange(1, 2**31))
        elif r < 0.9:
            out.append(rnd.randrange(2**31, 2**63) * rnd.choice((1, -1)))
        else:
            out.append(rnd.randrange(2**99, 2**101) * rnd.choice((1, -1)))
    return out


def floats(n):
    """Full precision, 2 decimals, integral, and magnitudes near 1e+-300, a quarter each."""
    rnd = random.Random(13)
    out = []
    for i in range(n):
        k = i & 3
        if k == 0:
            out.append(rnd.uniform(-1e6, 1e6))
        elif k == 1:
            out.append(round(rnd.uniform(0, 1e5), 2))
        elif k == 2:
            out.append(float(rnd.randrange(-10**9, 10**9)))
        else:
            out.append(rnd.uniform(1, 10) * 10.0 ** rnd.choice((300, 299, -300, -299)) * rnd.choice((1, -1)))
    return out


ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-",  # ASCII
    "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÉÎÕÜß¡¿£¥©®°±µ¶",  # latin-1 beyond ASCII
    "ЀЁЂЃЄабвгдежзийклмнΑΒΓΔΕαβγδεζ中文字符日本語한국어ไทยالعربية€™",  # BMP beyond latin-1
    "😀😁😂🤣😃😄😅😆😉😊🚀🌍🎉🐍💾𝔘𝔫𝔦𝔠𝔬𝔡𝔢𐍈",  # astral (surrogate pairs in JS)
)


def strings(n):
    """Short strings (4..24 code points), a quarter from each alphabet; astral ones mix in ASCII."""
    rnd = random.Random(14)
    out = []
    for i in range(n):
        k = i & 3
        alphabet = ALPHABETS[k]
        length = rnd.randrange(4, 25)
        if k == 3:
            out.append("".join(rnd.choice(alphabet) if rnd.random() < 0.5 else rnd.choice(ALPHABETS[0])
                               for _ in range(length)))
        else:
            out.append("".join(rnd.choice(alphabet) for _ in range(length)))
    return out


def blobs(n):
    """n bytes objects of 64 KiB each."""
    rnd = random.Random(15)
    return [rnd.randbytes(64 * 1024) for _ in range(n)]


def deep(n):
    """n chains of dict/list alternating to depth 50: {"depth": d, "next": [{"depth": d + 1, ...}]}."""
    out = []
    for i in range(n):
        node = {"depth": 50, "leaf": f"chain{i}"}
        for d in range(49, 0, -1):
            node = {"depth": d, "next": [node]} if d & 1 else [d, node]
        out.append(node)
    return out


def shared(n, distinct):
    """n references drawn from `distinct` small dicts (the memo's work: BINGET/LONG_BINGET)."""
    rnd = random.Random(16)
    objs = [{"id": i, "name": f"object-{i}", "values": [i, i * 2.5, str(i)]} for i in range(distinct)]
    return [objs[rnd.randrange(distinct)] for _ in range(n)]


def stream_records(n):
    """Small independent objects for the streaming memory check (one pickle per object)."""
    rnd = random.Random(17)
    return [{"id": i, "name": rnd.choice(FIRST), "score": rnd.random(), "tags": rnd.sample(TAGS, 3)}
            for i in range(n)]


def pandas_like(n):
    """A DataFrame as pandas keeps it, written with numpy only: a dict of column arrays (int64,
    float64, bool, datetime64, int8 category codes), str columns as lists of str objects (pandas
    keeps them in object-dtype arrays, which @x/pickle-io does not load yet), an index and
    metadata: what `pickle.loads` of a cached frame does beyond plain numbers."""
    import numpy as np
    rnd = np.random.default_rng(18)
    cities = np.array(["Lisboa", "Porto", "Köln", "Zürich", "São Paulo", "Kyōto", "Oslo", "Lyon"], dtype=object)
    # (indexing an object array gives the same str objects: the pickle memoizes repeats, as pandas' would)
    return {
        "index": np.arange(n, dtype=np.int64),
        "columns": ["id", "price", "active", "ts", "city_code", "city", "label"],
        "blocks": {
            "id": rnd.integers(0, 2**40, n, dtype=np.int64),
            "price": rnd.random(n) * 100,
            "active": rnd.random(n) < 0.5,
            "ts": np.datetime64("2024-01-01T00:00:00", "ns") + rnd.integers(0, 10**15, n).astype("timedelta64[ns]"),
            "city_code": rnd.integers(0, 8, n).astype(np.int8),
            "city": list(cities[rnd.integers(0, 8, n)]),
            "label": [f"row-{i}" for i in range(n)],
        },
        "categories": {"city_code": list(cities)},
        "attrs": {"source": "bench", "version": 2, "tz": None},
    }


def sklearn_like(n):
    """A fitted ensemble as scikit-learn pickles it, written with numpy only: a list of small
    class instances (REDUCE/NEWOBJ + BUILD with an attribute dict) each holding tiny arrays."""
    import numpy as np
    from bench_models import Stump
    rnd = random.Random(19)
    classes = np.array([0, 1, 2])
    return [Stump(rnd.randrange(4), rnd.random(), np.array([rnd.random() for _ in range(4)]), rnd.random(),
                  classes, f"stump-{i}") for i in range(n)]


def workloads(scale):
    def s(n):
        return max(1, n // scale)

    return [
        ("tiny", "a 29-byte message: {'id': 7, 'ok': True}", lambda: {"id": 7, "ok": True}),
        ("pyperf_dict", "bm_pickle DICT (one profile dict)", lambda: pyperf_dict()),
        ("pyperf_tuple", "bm_pickle TUPLE (list of 100 ints, 60)", lambda: pyperf_tuple()),
        ("pyperf_dict_group", "bm_pickle DICT_GROUP (3 mutated DICTs)", lambda: pyperf_dict_group()),
        ("pyperf_list", "bm_pickle_list LIST (10 x [range(10), range(10)])", lambda: pyperf_list()),
        ("pyperf_micro_dict", "bm_pickle_dict MICRO_DICT (100 x dict.fromkeys(range(10)))",
         lambda: pyperf_micro_dict()),
        ("json_nested", "bm_json_dumps NESTED", lambda: json_nested()),
        ("json_huge", "bm_json_dumps HUGE ([NESTED] * 1000, shared)", lambda: json_huge()),
        ("records", f"{s(100_000):,} dicts of 10 mixed fields", lambda: records(s(100_000))),
        ("ints", f"{s(1_000_000):,} ints of mixed sizes up to ~2**100", lambda: ints(s(1_000_000))),
        ("floats", f"{s(1_000_000):,} floats (full, 2-decimal, integral, 1e+-300)",
         lambda: floats(s(1_000_000))),
        ("strings", f"{s(100_000):,} short str (ASCII, latin-1, BMP, astral)", lambda: strings(s(100_000))),
        ("blobs", f"{s(256):,} bytes of 64 KiB", lambda: blobs(s(256))),
        ("deep", f"{s(2_000):,} dict/list chains of depth 50", lambda: deep(s(2_000))),
        ("shared", f"{s(100_000):,} refs to {s(1_000):,} distinct dicts",
         lambda: shared(s(100_000), s(1_000))),
        ("pandas_like", f"dict of {s(50_000):,}-row numpy columns, object str columns (a pickled frame)",
         lambda: pandas_like(s(50_000))),
        ("sklearn_like", f"{s(10_000):,} small class instances with tiny numpy arrays (a fitted ensemble)",
         lambda: sklearn_like(s(10_000))),
    ]


def jsonable(value):
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--only", default="")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    only = [w for w in args.only.split(",") if w]
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "manifest.json")
    with open(__file__, "rb") as f:
        gen_hash = hashlib.sha256(f.read()).hexdigest()[:16]
    key = {"generator": gen_hash, "version": GENERATOR_VERSION, "scale": args.scale, "only": only}
    if not args.force and os.path.exists(manifest_path):
        with open(manifest_path) as f:
            old = json.load(f)
        if old.get("key") == key and all(
            os.path.exists(os.path.join(args.out, p)) for w in old["workloads"] for p in w["files"].values()
        ):
            print(f"workloads up to date in {args.out}", file=sys.stderr)
            return

    manifest = {"key": key, "python": sys.version.split()[0], "workloads": []}
    for name, description, build in workloads(args.scale):
        if only and name not in only:
            continue
        value = build()
        files = {}
        sizes = {}
        roundtrip = {}
        for proto in PROTOCOLS:
            data = pickle.dumps(value, protocol=proto)
            fname = f"{name}.p{proto}.pkl"
            with open(os.path.join(args.out, fname), "wb") as f:
                f.write(data)
            files[f"p{proto}"] = fname
            sizes[f"p{proto}"] = len(data)
            # Our dumps is compared with this file; it must be what CPython writes for what it loads.
            roundtrip[f"p{proto}"] = pickle.dumps(pickle.loads(data), protocol=proto) == data
        text = jsonable(value)
        if text is not None:
            fname = f"{name}.json"
            with open(os.path.join(args.out, fname), "w", encoding="ascii") as f:
                f.write(text)
            files["json"] = fname
            sizes["json"] = len(text)
            # Likewise for json: CPython's dumps of its own loads is the reference text.
            roundtrip["json"] = json.dumps(json.loads(text)) == text
        manifest["workloads"].append({
            "name": name,
            "description": description,
            "files": files,
            "sizes": sizes,
            "cpythonRoundTrip": roundtrip,
        })
        print(f"  {name}: " + ", ".join(f"{k} {v:,} B" for k, v in sizes.items()), file=sys.stderr)

    # Many small pickles in one file, written by successive dump() calls (the streaming check).
    if not only or "stream" in only:
        objs = stream_records(max(1, 200_000 // args.scale))
        fname = "stream.p5.pkls"
        with open(os.path.join(args.out, fname), "wb") as f:
            for obj in objs:
                pickle.dump(obj, f, protocol=5)
        manifest["stream"] = {"file": fname, "count": len(objs), "size": os.path.getsize(os.path.join(args.out, fname))}

    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
