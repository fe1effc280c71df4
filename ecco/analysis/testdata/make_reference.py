"""Writes reference.json: Ecco's own analysis scores on small random matrices.

Run with Ecco's source tree (jalammar/ecco at 2a38a13) and numpy 1.24.2:

    python3 make_reference.py /path/to/ecco/src/ecco > reference.json

Only Ecco's analysis module and its svcca_lib are loaded, so neither torch nor
transformers is needed. The matrices are chosen so that every score is well
conditioned: the printed spread under 1e-15 relative input noise is far below
the tolerance the Go tests use.
"""
import json
import sys
import types

import numpy as np

package = types.ModuleType("ecco")
package.__path__ = [sys.argv[1]]
sys.modules["ecco"] = package
from ecco import analysis  # noqa: E402
from ecco.svcca_lib import cca_core  # noqa: E402

rng = np.random.RandomState(7)


def related(a, n_out, noise):
    """A random linear mix of a's neurons plus noise, as n_out neurons."""
    mix = rng.normal(size=(n_out, a.shape[0]))
    return mix @ a + noise * rng.normal(size=(n_out, a.shape[1]))


cases = []
a = rng.normal(size=(6, 16))
cases.append(("same_neurons", a, related(a, 6, 1.5), 4))
a = rng.normal(size=(4, 16)) + 2.0
cases.append(("more_neurons_in_b", a, related(a, 7, 2.0), 3))
a = rng.gamma(2.0, size=(30, 12))
b = rng.normal(size=(4, 16))
cases.append(("fewer_neurons_in_b", related(b, 7, 1.0), b, 2))
cases.append(("more_neurons_than_positions", a, related(a, 25, 3.0), 5))


def pwcca_weighted_by_b(a, b):
    """compute_pwcca's branch for a b side that keeps fewer neurons, with the
    fix of google/svcca pull request 9 (b's activations, not a's)."""
    r = cca_core.get_cca_similarity(a, b, epsilon=1e-10, compute_coefs=True, verbose=False)
    assert r["x_idxs"].sum() > r["y_idxs"].sum()
    keep, means = r["y_idxs"], r["neuron_means2"]
    dirns = r["coef_y"] @ (b[keep] - means[keep]) + means[keep]
    q, _ = np.linalg.qr(dirns.T)
    weights = np.abs(q.T @ b[keep].T).sum(axis=1)
    return float(np.sum(weights / weights.sum() * r["cca_coef2"]))


def spread(score, a, b):
    base = score(a, b)
    noisy = [score(a * (1 + 1e-15 * rng.normal(size=a.shape)), b) for _ in range(20)]
    return float(np.max(np.abs(np.array(noisy) - base)))


out = {"generator": "make_reference.py, Ecco 2a38a13 analysis.py, numpy " + np.__version__, "cases": []}
for name, a, b, dims in cases:
    case = {"name": name, "a": a.tolist(), "b": b.tolist(), "svcca_dims": dims,
            "svcca": float(analysis.svcca(a, b, dims)), "cka": float(analysis.cka(a, b))}
    if a.shape[0] < a.shape[1] and b.shape[0] < b.shape[1]:
        case["cca"] = float(analysis.cca(a, b))
        if a.shape[0] > b.shape[0]:
            # Ecco raises IndexError here; the reference is the fixed branch.
            case["pwcca_weighted_by_b"] = pwcca_weighted_by_b(a, b)
            print(name, "pwcca spread", spread(pwcca_weighted_by_b, a, b), file=sys.stderr)
        else:
            case["pwcca"] = float(analysis.pwcca(a, b))
            print(name, "pwcca spread", spread(analysis.pwcca, a, b), file=sys.stderr)
    out["cases"].append(case)
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
