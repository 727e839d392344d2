"""Pickles the libraries people use actually write, for packages/pickle-io/test/corpus.test.ts.

Run by the test inside the oracle (exec of this file, then ``corpus()``), with Debian's
python3 (pandas 1.5, scikit-learn 1.2, scipy 1.10, numpy 1.24) and with the default python3
(numpy 2.x). Also runnable by hand: ``python3 gen-corpus.py OUTDIR`` writes every file.

``corpus()`` returns ``[name, protocol, data, roundtrip, dis_text]`` for each case:
``roundtrip`` is CPython's own ``dumps(loads(data), protocol)`` with the libraries
installed, ``dis_text`` is ``pickletools.dis(data)``'s output.
"""
import collections
import datetime
import decimal
import fractions
import io
import pickle
import pickletools
import sys
import types
import uuid

import numpy as np


def _numpy_cases():
    shared = [1, 2]
    return {
        "np_object_mixed": np.array([1, "two", None, 2.5, b"by", (1, 2), {"k": 3}], dtype=object),
        "np_object_shared": np.array([shared, shared, "s"], dtype=object),
        "np_object_2d_f": np.asfortranarray(np.array([[1, "a"], [None, 2.5]], dtype=object)),
        "np_object_nested": np.array([np.arange(3), "s", np.array(["x"], dtype=object)], dtype=object),
        "np_float": np.linspace(-2, 2, 11),
        "np_int_2d": np.arange(24, dtype="<i4").reshape(4, 6),
        "np_bool": np.array([True, False, True]),
        "np_complex": np.array([1 + 2j, -0.5j]),
        "np_str": np.array(["a", "bcd"]),
        "np_bytes": np.array([b"x", b"yz"]),
        "np_datetime": np.array(["2020-01-01", "NaT"], dtype="M8[D]"),
        "np_record": np.array([(1, 2.5)], dtype=[("a", "<i4"), ("b", "<f8")]),
        "np_scalars": [np.float64(1.5), np.int32(-3), np.bool_(True), np.complex64(1 - 1j), np.dtype(">i2")],
        "np_big": np.arange(2000.0),
        "np_list_of_arrays": [np.zeros(2), np.ones(3, dtype="<i8"), np.array([], dtype=object)],
        "np_dtype_after_key": types.SimpleNamespace(dtype="x", a=np.zeros(2)),
    }


def _stdlib_cases():
    return {
        "std_values": [
            None, True, 1, 2**70, 1.5, "s", b"b", (1,), {"a": [1, {2}]}, frozenset({3}), complex(1, 2),
            decimal.Decimal("1.25"), fractions.Fraction(3, 7), uuid.UUID(int=42),
            datetime.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc),
            datetime.date(1999, 12, 31), datetime.timedelta(days=-1, seconds=5),
            collections.OrderedDict(b=1, a=2), collections.Counter("hello"),
            collections.defaultdict(list, {"x": [1]}), collections.deque([1, 2], maxlen=3),
            range(1, 10, 3), slice(1, None, 2), types.SimpleNamespace(a=1, toMap=2),
        ],
    }


def _pandas_cases():
    import pandas as pd

    idx = pd.MultiIndex.from_tuples([("a", 1), ("a", 2), ("b", 1)], names=["k", "n"])
    return {
        "pd_df_mixed": pd.DataFrame({
            "i": [1, 2, 3], "f": [1.5, np.nan, 3.0], "s": ["x", "y", None],
            "m": [1, "two", 3.0], "b": [True, False, True],
        }),
        "pd_df_categorical": pd.DataFrame({"c": pd.Categorical(["a", "b", "a"]), "v": [1, 2, 3]}),
        "pd_df_datetime": pd.DataFrame({
            "t": pd.date_range("2020-01-01", periods=3, freq="D"),
            "tz": pd.date_range("2020-01-01", periods=3, freq="H", tz="UTC"),
            "d": pd.to_timedelta([1, 2, 3], unit="s"),
        }),
        "pd_df_multiindex": pd.DataFrame({"v": [1.0, 2.0, 3.0]}, index=idx),
        "pd_series_str": pd.Series(["a", "b", None], name="s"),
        "pd_series_float": pd.Series([0.5, 1.5], index=["x", "y"]),
        "pd_index_types": [
            pd.RangeIndex(5), pd.Index([1, 2, 3]), pd.Index(["a", "b"]), pd.Index([1.5, 2.5]),
            pd.DatetimeIndex(["2020-01-01", "2021-06-30"]), pd.CategoricalIndex(["x", "y", "x"]), idx,
        ],
    }


def _sklearn_cases():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.RandomState(0)
    x = rng.normal(size=(40, 3))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    return {
        "sk_logistic": LogisticRegression().fit(x, y),
        "sk_forest": RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0).fit(x, y),
        "sk_scaler": StandardScaler().fit(x),
        # an attribute named 'dtype' before the first numpy.dtype global (numpy 1.x shares the str)
        "sk_onehot": OneHotEncoder().fit(np.array([["a", 1], ["b", 2]], dtype=object)),
        "sk_pipeline": Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression())]).fit(x, y),
    }


def _scipy_cases():
    from scipy import sparse

    m = sparse.random(6, 5, density=0.4, random_state=1)
    return {"sp_csr": m.tocsr(), "sp_csc": m.tocsc(), "sp_coo": m.tocoo()}


def cases():
    out = {}
    out.update(_numpy_cases())
    out.update(_stdlib_cases())
    for make in (_pandas_cases, _sklearn_cases, _scipy_cases):
        try:
            out.update(make())
        except ImportError:
            pass  # the numpy-2 python3 has no pandas/sklearn/scipy: the test says which it needs
    return out


def _dis(data):
    buf = io.StringIO()
    pickletools.dis(data, out=buf)
    return buf.getvalue()


def corpus(protocols=(2, 4, 5)):
    tag = "np" + np.__version__.split(".")[0]
    out = []
    for name, value in cases().items():
        for proto in protocols:
            data = pickle.dumps(value, proto)
            out.append([f"{name}-{tag}-p{proto}", proto, data, pickle.dumps(pickle.loads(data), proto), _dis(data)])
    return out


if __name__ == "__main__":
    import os

    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name, _proto, data, _rt, _dis_text in corpus():
        with open(os.path.join(outdir, name + ".pickle"), "wb") as f:
            f.write(data)
