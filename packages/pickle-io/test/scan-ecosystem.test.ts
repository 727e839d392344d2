/**
 * No false alarms: pickles numpy (1.x and 2.x), pandas, scikit-learn, scipy and torch write
 * for their ordinary objects (arrays, dtypes, random states, frames, series, indexes,
 * extension arrays, fitted estimators, sparse matrices, frozen distributions, state dicts,
 * whole modules, optimizer states) scan as `safe` or `known`, with no `unknown` or
 * `dangerous` finding and no error, at every protocol.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type ScanReport, scan } from "../src/index.js";

let deb: PythonOracle;
let np2: PythonOracle;

const OBJECTS = `
import pickle, pickletools, io, zipfile, numpy as np
def numpy_objects():
    return {"arange": np.arange(5), "f8": np.float64(1.5), "dtype": np.dtype("f8"), "rec": np.zeros(2, dtype=[("a", "<i4"), ("b", "S2")]),
            "masked": np.ma.masked_array([1, 2], [0, 1]), "randomstate": np.random.RandomState(0), "generator": np.random.default_rng(0),
            "objects": np.array([1, "a", None], dtype=object), "types": [np.float32, np.int64, np.bool_], "fortran": np.asfortranarray(np.eye(3)),
            "datetime": np.array(["2020-01-01"], dtype="M8[D]"), "u": np.array(["x"])}
def dumps_all(objs, protos=range(6)):
    return {f"{k}@{p}": pickle.dumps(v, p) for k, v in objs.items() for p in protos}
`;

beforeAll(async () => {
  deb = await startPython(["pandas", "sklearn", "scipy", "torch"]);
  np2 = await startPython(["numpy"]);
  await deb.exec(OBJECTS);
  await np2.exec(OBJECTS);
  await deb.exec(`
import pandas as pd, scipy.sparse as sp, scipy.stats as st, torch
def pandas_objects():
    return {"frame": pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": pd.to_datetime(["2020-01-01", "2021-01-01"]), "d": pd.Categorical(["u", "v"])}),
            "series": pd.Series([1.0, 2.0], index=pd.date_range("2020", periods=2)), "timestamp": pd.Timestamp("2020-01-01"),
            "tz": pd.Timestamp("2020-01-01", tz="UTC"), "timedelta": pd.Timedelta(1), "multi": pd.MultiIndex.from_tuples([(1, 2), (3, 4)]),
            "interval": pd.interval_range(0, 2), "period": pd.period_range("2020", periods=2), "nat": pd.NaT, "int64": pd.Series([1, None], dtype="Int64"),
            "string": pd.Series(["a"], dtype="string"), "boolean": pd.Series([True, None], dtype="boolean"), "float": pd.Series([1.0], dtype="Float64"),
            "sparse": pd.Series(pd.arrays.SparseArray([0, 0, 1])), "tdi": pd.timedelta_range("1d", periods=2),
            "tzseries": pd.Series(pd.date_range("2020", periods=2, tz="UTC")), "floatcols": pd.DataFrame(np.zeros((2, 2)), columns=[1.5, 2.5])}
def sklearn_objects():
    from sklearn.linear_model import LogisticRegression, LinearRegression, Ridge
    from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier, IsolationForest
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler, OneHotEncoder, LabelEncoder, MinMaxScaler
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.svm import SVC
    from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import GaussianNB
    X = np.random.RandomState(0).rand(30, 3); y = (X[:, 0] > .5).astype(int)
    return {"logreg": LogisticRegression().fit(X, y), "linreg": LinearRegression().fit(X, y), "ridge": Ridge().fit(X, y),
            "forest": RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y), "gb": GradientBoostingClassifier(n_estimators=3).fit(X, y),
            "iforest": IsolationForest(n_estimators=3, random_state=0).fit(X), "pipeline": make_pipeline(StandardScaler(), SVC()).fit(X, y),
            "tree": DecisionTreeClassifier().fit(X, y), "kmeans": KMeans(2, n_init=1).fit(X), "pca": PCA(2).fit(X),
            "knn": KNeighborsClassifier(2).fit(X, y), "balltree": NearestNeighbors(algorithm="ball_tree").fit(X), "onehot": OneHotEncoder().fit([["a"], ["b"]]),
            "label": LabelEncoder().fit(["a", "b"]), "minmax": MinMaxScaler().fit(X), "tfidf": TfidfVectorizer().fit(["alpha beta", "beta gamma"]),
            "columns": ColumnTransformer([("s", StandardScaler(), [0])]).fit(X), "nb": GaussianNB().fit(X, y)}
def scipy_objects():
    m = np.eye(3)
    return {"csr": sp.csr_matrix(m), "csc": sp.csc_matrix(m), "coo": sp.coo_matrix(m), "lil": sp.lil_matrix(m), "dok": sp.dok_matrix(m),
            "dia": sp.dia_matrix(m), "bsr": sp.bsr_matrix(m), "norm": st.norm(0, 1), "poisson": st.poisson(3)}
def torch_pickles():
    m = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Conv2d(1, 1, 1), torch.nn.BatchNorm1d(3), torch.nn.LSTM(2, 2),
                            torch.nn.Embedding(3, 2), torch.nn.LayerNorm(2), torch.nn.Dropout())
    objs = {"state_dict": m.state_dict(), "checkpoint": {"model": m.state_dict(), "opt": torch.optim.SGD(m.parameters(), lr=.1).state_dict(), "epoch": 1},
            "module": m, "tensor": torch.arange(3), "half": torch.zeros(2, dtype=torch.float16), "complex": torch.tensor([1 + 2j]),
            "parameter": torch.nn.Parameter(torch.ones(2)), "bool": torch.zeros(2, dtype=torch.bool), "size": torch.Size([2]),
            "dtype": torch.float32, "device": torch.device("cpu"), "view": {"a": torch.zeros(3)[1:]}, "adam": torch.optim.Adam(m.parameters()).state_dict()}
    out = {}
    for k, v in objs.items():
        # legacy format: five pickles (magic, version, sys info, the object, storage keys), then raw storages
        b = io.BytesIO(); torch.save(v, b, _use_new_zipfile_serialization=False); b.seek(0)
        for _ in range(5):
            for _op in pickletools.genops(b): pass
        out[f"{k}@legacy"] = b.getvalue()[:b.tell()]
        b = io.BytesIO(); torch.save(v, b); z = zipfile.ZipFile(b)
        for n in z.namelist():
            if n.endswith(".pkl"):
                out[f"{k}@zip:{n}"] = z.read(n)
    return out
`);
});
afterAll(async () => {
  await Promise.all([deb?.close(), np2?.close()]);
});

function expectClean(pickles: Record<string, Uint8Array>): void {
  expect(Object.keys(pickles).length).toBeGreaterThan(0);
  const bad: string[] = [];
  for (const [name, data] of Object.entries(pickles)) {
    const r: ScanReport = scan(data);
    const flagged = [
      ...r.globals
        .filter((g) => g.verdict === "unknown" || g.verdict === "dangerous")
        .map((g) => `${g.module}.${g.name}: ${g.verdict}`),
      ...r.calls
        .filter((c) => c.verdict === "unknown" || c.verdict === "dangerous")
        .map((c) => `${c.opcode} ${c.callable}: ${c.reason}`),
      ...r.notes.filter((n) => n.verdict !== "safe").map((n) => n.message),
      ...(r.error ? [r.error.message] : []),
    ];
    if (flagged.length > 0 || (r.verdict !== "safe" && r.verdict !== "known"))
      bad.push(`${name}: ${flagged.join("; ")}`);
  }
  expect(bad).toEqual([]);
}

test("numpy 2 (the default python3)", async () => {
  expectClean(await np2.eval("dumps_all(numpy_objects())"));
});

test("numpy 1.24 (Debian)", async () => {
  expectClean(await deb.eval("dumps_all(numpy_objects())"));
});

test("pandas 1.5", async () => {
  expectClean(await deb.eval("dumps_all(pandas_objects())"));
});

test("scikit-learn 1.2 fitted estimators", async () => {
  expectClean(await deb.eval("dumps_all(sklearn_objects())"));
});

test("scipy sparse matrices and frozen distributions", async () => {
  expectClean(await deb.eval("dumps_all(scipy_objects())"));
});

test("torch 1.13 checkpoints: legacy files (several pickles) and the zip format's data.pkl", async () => {
  const pickles = await deb.eval<Record<string, Uint8Array>>("torch_pickles()");
  expectClean(pickles);
  // the legacy file is five pickles back to back; the tensors' storages are persistent ids
  const legacy = scan(pickles["state_dict@legacy"] as Uint8Array);
  expect(legacy.pickles).toBe(5);
  expect(legacy.persistentIds.length).toBeGreaterThan(0);
  expect(legacy.globals.some((g) => g.module === "torch._utils" && g.name === "_rebuild_tensor_v2")).toBe(
    true,
  );
});
