#!/usr/bin/env python3
"""Reference values for MahalanobisScorer, KnnScorer and OutlierAuc.

- Mahalanobis: the Ledoit-Wolf shrunk covariance of the fit rows (scikit-learn's ledoit_wolf
  formula, written out below in numpy since scikit-learn is not a dependency), then
  scipy.spatial.distance.mahalanobis(x, mean, inv(shrunk)) of each query row.
- kNN: scipy.spatial.cKDTree(reference).query(x, k): the mean and the largest of the k distances.
- AUC: scipy.stats.mannwhitneyu(outliers, inliers).statistic / (n1 * n0).

Run from anywhere:  python3 detectors/src/test/python/gen_outlier_scorer_fixtures.py
Writes detectors/src/test/resources/fixtures/outlier/scorers.json. The Java tests read it and
never call Python. The draws are seeded, so reruns give identical files.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import cKDTree
from scipy.spatial.distance import mahalanobis

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "outlier")


def ledoit_wolf(x):
    """scikit-learn 1.x covariance.ledoit_wolf(x) (assume_centered=False): (shrunk, shrinkage)."""
    n, p = x.shape
    x = x - x.mean(0)
    emp_cov = x.T @ x / n
    mu = np.trace(emp_cov) / p
    x2 = x ** 2
    emp_cov_trace = np.sum(x2, axis=0) / n
    beta_ = np.sum(x2.T @ x2)
    delta_ = np.sum((x.T @ x) ** 2) / n ** 2
    beta = 1.0 / (p * n) * (beta_ / n - delta_)
    delta = (delta_ - 2.0 * mu * emp_cov_trace.sum() + p * mu ** 2) / p
    beta = min(beta, delta)
    shrinkage = 0.0 if beta == 0 else beta / delta
    shrunk = (1.0 - shrinkage) * emp_cov
    shrunk.flat[:: p + 1] += shrinkage * mu
    return shrunk, shrinkage


def rows(a):
    return [[float(v) for v in r] for r in a]


def mahalanobis_case(fit, queries):
    shrunk, shrinkage = ledoit_wolf(fit)
    vi = np.linalg.inv(shrunk)
    mean = fit.mean(0)
    return {"fit": rows(fit), "queries": rows(queries), "shrinkage": float(shrinkage),
            "scores": [float(mahalanobis(q, mean, vi)) for q in queries]}


def knn_case(reference, queries, k):
    d, _ = cKDTree(reference).query(queries, k=k)
    d = np.asarray(d).reshape(len(queries), k)
    return {"reference": rows(reference), "queries": rows(queries), "k": k,
            "mean": [float(v) for v in d.mean(1)], "kth": [float(v) for v in d[:, -1]]}


def main():
    rng = np.random.default_rng(20261216)
    maha = []
    # Many rows in few dimensions (little shrinkage), correlated features, and fewer rows than
    # dimensions (heavy shrinkage, the sample covariance alone is singular).
    for n, p in [(200, 3), (60, 8), (20, 30), (150, 16)]:
        mix = rng.standard_normal((p, p)) * 0.7 + np.eye(p)
        fit = rng.standard_normal((n, p)) @ mix + rng.standard_normal(p)
        queries = np.vstack([rng.standard_normal((4, p)) @ mix, rng.standard_normal((3, p)) * 4])
        maha.append(mahalanobis_case(fit, queries))
    knn = []
    for n, p, k in [(50, 2, 1), (200, 5, 5), (150, 16, 10), (40, 3, 40)]:
        reference = rng.standard_normal((n, p))
        queries = np.vstack([rng.standard_normal((5, p)), rng.standard_normal((2, p)) * 5])
        knn.append(knn_case(reference, queries, k))
    auc = []
    for n1, n0, shift in [(30, 50, 1.0), (100, 100, 0.0), (7, 300, 2.0)]:
        pos = rng.standard_normal(n1) + shift
        neg = rng.standard_normal(n0)
        auc.append({"outliers": [float(v) for v in pos], "inliers": [float(v) for v in neg],
                    "auc": float(stats.mannwhitneyu(pos, neg).statistic / (n1 * n0))})
    pos = np.round(rng.standard_normal(40) + 0.5)
    neg = np.round(rng.standard_normal(60))
    auc.append({"outliers": [float(v) for v in pos], "inliers": [float(v) for v in neg],
                "auc": float(stats.mannwhitneyu(pos, neg).statistic / (40 * 60))})
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "scorers.json"), "w") as f:
        json.dump({"scipy": scipy.__version__, "numpy": np.__version__,
                   "mahalanobis": maha, "knn": knn, "auc": auc}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
