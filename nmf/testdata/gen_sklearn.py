"""Writes sklearn_cases.json and numpy_random.json, the scikit-learn and
numpy reference values for the nmf package's tests.

Run with python3, numpy 1.24.2 and scikit-learn 1.2.1 (Debian 12:
apt-get install python3-sklearn):  python3 gen_sklearn.py
The tests only read the JSON files; they never run Python.
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import NMF
from sklearn.decomposition import _nmf
from sklearn.decomposition._nmf import _initialize_nmf
from sklearn.utils.extmath import svd_flip

assert np.__version__ == "1.24.2" and sklearn.__version__ == "1.2.1"
warnings.simplefilter("ignore")  # ConvergenceWarning for the max_iter case


def lists(a):
    return np.asarray(a, dtype=np.float64).tolist()


def matrix(seed, shape, rank=None, dtype=np.float64, noise=0.05):
    """max(0, N(0,1)) noise, plus a positive low-rank part if rank is set.
    Fortran order, like the transposed activations Ecco passes."""
    rng = np.random.RandomState(seed)
    x = np.maximum(rng.standard_normal(shape), 0) * noise
    if rank:
        scales = 3.0 ** -np.arange(rank)  # well separated singular values
        x += (rng.random_sample((shape[0], rank)) * scales) @ rng.random_sample((rank, shape[1]))
    return np.asfortranarray(x.astype(dtype))


def exact_svd(M, n_components, random_state=None):
    """Stands in for randomized_svd: an exact float64 SVD with svd_flip's
    signs, cast to M's dtype, so NNDSVD starts can be checked tightly."""
    u, s, vt = np.linalg.svd(M.astype(np.float64), full_matrices=False)
    u, vt = svd_flip(u, vt)
    k = n_components
    return u[:, :k].astype(M.dtype), s[:k].astype(M.dtype), vt[:k].astype(M.dtype)


def case(name, x, k, init="random", solver="cd", seed=0, max_iter=500, tol=1e-4, W=None, H=None):
    extra = {}
    if init.startswith("nndsvd"):
        # scikit-learn's own (randomized SVD) start, for a looser check; the
        # run itself uses the exact SVD so that it can be compared tightly.
        w0, h0 = _initialize_nmf(x, k, init=init, random_state=seed)
        extra = {"init_W_randomized_svd": lists(w0), "init_H_randomized_svd": lists(h0)}
        _nmf.randomized_svd = exact_svd
    try:
        result = run(name, x, k, init, solver, seed, max_iter, tol, W, H)
    finally:
        _nmf.randomized_svd = randomized_svd
    result.update(extra)
    return result


randomized_svd = _nmf.randomized_svd


def run(name, x, k, init, solver, seed, max_iter, tol, W, H):
    model = NMF(n_components=k, init=init, solver=solver, random_state=seed, max_iter=max_iter, tol=tol)
    if init == "custom":
        w0, h0 = W, H
        w = model.fit_transform(x, W=W.copy(), H=H.copy())
    else:
        w0, h0 = _initialize_nmf(x, k, init=init, random_state=seed)
        w = model.fit_transform(x)
    return {
        "name": name, "dtype": str(x.dtype), "k": k, "init": init, "solver": solver,
        "seed": seed, "max_iter": max_iter, "tol": tol,
        "X": lists(x), "init_W": lists(w0), "init_H": lists(h0),
        "W": lists(w), "H": lists(model.components_),
        "reconstruction_err": float(model.reconstruction_err_), "n_iter": int(model.n_iter_),
    }


cases = []
x64 = matrix(1, (20, 30), rank=3)
x32 = matrix(2, (24, 36), rank=3, dtype=np.float32)
cases.append(case("cd float64 random", x64, 3, seed=7))
cases.append(case("cd float64 random tol 1e-3", x64, 3, seed=7, tol=1e-3))
cases.append(case("cd float32 random tol 1e-3", x32, 4, seed=11, tol=1e-3))
cases.append(case("cd float64 k > min(rows, cols)", matrix(3, (6, 8)), 7, seed=5))
cases.append(case("cd float64 max_iter 5", x64, 3, seed=7, max_iter=5))
cases.append(case("mu float64 random", x64, 3, solver="mu", seed=7))
cases.append(case("mu float32 random", x32, 4, solver="mu", seed=11, tol=1e-3))
spectral = matrix(4, (25, 40), rank=4, noise=0.01)
for init in ("nndsvd", "nndsvda", "nndsvdar"):
    cases.append(case(f"cd float64 {init}", spectral, 4, init=init, seed=3, tol=1e-3))
cases.append(case("cd float32 nndsvda", spectral.astype(np.float32), 4, init="nndsvda", seed=3))
cases.append(case("mu float64 nndsvda", spectral, 4, init="nndsvda", solver="mu", seed=3))
rng = np.random.RandomState(9)
cases.append(case("cd float64 custom", x64, 3, init="custom",
                  W=rng.random_sample((20, 3)), H=rng.random_sample((3, 30))))
with open("sklearn_cases.json", "w") as f:
    json.dump({"generator": "gen_sklearn.py, numpy 1.24.2, scikit-learn 1.2.1", "cases": cases}, f)

streams = []
for seed in (1, 42, 12345, 4294967295):
    streams.append({
        "seed": seed,
        "random_sample": np.random.RandomState(seed).random_sample(200).tolist(),
        "standard_normal": np.random.RandomState(seed).standard_normal(1500).tolist(),
    })
with open("numpy_random.json", "w") as f:
    json.dump({"generator": "gen_sklearn.py, numpy 1.24.2", "streams": streams}, f)

# A DistilGPT2-sized run (62 positions × 6·3072 neurons, k=10), 100
# iterations; only W, H's first 40 columns and H's row sums are kept.
x = np.asfortranarray(
    np.maximum(np.random.RandomState(1).standard_normal((62, 18432)), 0).astype(np.float32))
model = NMF(n_components=10, init="random", random_state=0, max_iter=100)
w = model.fit_transform(x)
with open("sklearn_large.json", "w") as f:
    json.dump({
        "generator": "gen_sklearn.py, numpy 1.24.2, scikit-learn 1.2.1",
        "X": "np.maximum(RandomState(1).standard_normal((62, 18432)), 0).astype(np.float32), Fortran order",
        "k": 10, "max_iter": 100, "n_iter": int(model.n_iter_),
        "reconstruction_err": float(model.reconstruction_err_),
        "W": lists(w), "H_first_40_columns": lists(model.components_[:, :40]),
        "H_row_sums": lists(model.components_.astype(np.float64).sum(axis=1)),
    }, f)
