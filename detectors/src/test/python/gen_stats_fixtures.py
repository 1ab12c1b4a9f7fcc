#!/usr/bin/env python3
"""Reference values for the detectors' statistics (univariate tests, reduction, outlier
calibration, performance metrics, isotonic regression), computed with numpy/scipy.

Run from anywhere:  python3 detectors/src/test/python/gen_stats_fixtures.py
Writes JSON files under detectors/src/test/resources/fixtures/stats/. The Java tests read
them and never call Python. Every random draw is seeded, so reruns give identical files.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "stats")


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    obj = {"generator": "gen_stats_fixtures.py", "numpy": np.__version__, "scipy": scipy.__version__, **obj}
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")


def fl(a):
    return [float(v) for v in np.asarray(a).ravel()]


def mat(a):
    return [fl(row) for row in np.asarray(a)]


# ---------------------------------------------------------------- univariate two-sample tests
def ks_fixtures():
    rng = np.random.default_rng(20261128)
    cases = []
    specs = [  # (n1, n2, shift, scale, rounding)
        (20, 30, 0.0, 1.0, None), (50, 50, 0.3, 1.0, None), (100, 37, 0.5, 1.0, None),
        (37, 100, 0.0, 1.5, None), (500, 2000, 0.1, 1.0, None), (1000, 1000, 0.05, 1.0, None),
        (300, 5000, 0.2, 1.0, None), (200, 600, 0.0, 1.0, 1), (8, 9, 1.0, 1.0, None),
        (150, 150, 0.0, 1.0, 0), (12000, 400, 0.15, 1.0, None), (2000, 60, 0.0, 1.0, None),
        (5, 1000, 0.0, 1.0, None), (700, 300, 1.5, 1.0, None),
    ]
    for n1, n2, shift, scale, rounding in specs:
        x = rng.normal(size=n1)
        y = rng.normal(loc=shift, scale=scale, size=n2)
        if rounding is not None:
            x = np.round(x, rounding)
            y = np.round(y, rounding)
        case = {"x": fl(x), "y": fl(y)}
        for method in ("auto", "exact", "asymp"):
            if method == "exact" and max(n1, n2) > 10000:
                continue
            r = stats.ks_2samp(x, y, method=method)
            case[method] = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
        cases.append(case)
    # kstwo.sf on a grid that reaches every branch of Simard & L'Ecuyer's selection
    grid = []
    for n in (1, 2, 5, 10, 50, 100, 140, 141, 200, 488, 1000, 5000, 20000, 200000):
        for x in (0.001, 0.01, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.99):
            grid.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    smirnov = []
    for n in (1, 3, 10, 50, 141, 488, 2000):
        for x in (0.01, 0.05, 0.1, 0.3, 0.5, 0.8):
            smirnov.append({"n": n, "x": x, "sf": float(scipy.special.smirnov(n, x))})
    write("ks.json", {"cases": cases, "kstwo": grid, "smirnov": smirnov})


def cvm_fixtures():
    rng = np.random.default_rng(7)
    cases = []
    for n1, n2, shift, rounding in [(30, 40, 0.0, None), (100, 70, 0.3, None), (500, 200, 0.1, None),
                                    (25, 25, 1.0, None), (400, 400, 0.0, 1), (1000, 300, 0.05, None),
                                    (60, 2000, 0.6, None), (50, 50, 3.0, None)]:
        x = rng.normal(size=n1)
        y = rng.normal(loc=shift, size=n2)
        if rounding is not None:
            x, y = np.round(x, rounding), np.round(y, rounding)
        r = stats.cramervonmises_2samp(x, y, method="asymptotic")
        cases.append({"x": fl(x), "y": fl(y), "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
    write("cvm.json", {"cases": cases})


def chi2_fixtures():
    rng = np.random.default_rng(11)
    cases = []
    for k, n_ref, n_cur, tilt in [(2, 1000, 100, 0.0), (3, 500, 200, 0.3), (5, 2000, 300, 0.0),
                                  (12, 5000, 400, 0.2), (4, 50, 40, 1.0), (30, 10000, 1000, 0.05)]:
        p = rng.dirichlet(np.ones(k) * 2)
        q = p * np.exp(tilt * rng.normal(size=k))
        q /= q.sum()
        ref = rng.multinomial(n_ref, p)
        cur = rng.multinomial(n_cur, q)
        names = [f"c{i}" for i in range(k)]
        keep = (ref + cur) > 0
        table = np.vstack([ref[keep], cur[keep]])
        chi2, pval, dof, _ = stats.chi2_contingency(table, correction=False)
        cases.append({"categories": names, "reference": [int(v) for v in ref], "current": [int(v) for v in cur],
                      "statistic": float(chi2), "pvalue": float(pval), "dof": int(dof)})
    # a category present only in the window, one only in the reference
    ref = {"a": 40, "b": 50, "c": 10}
    cur = {"a": 30, "b": 20, "d": 5}
    cats = sorted(set(ref) | set(cur))
    table = np.array([[ref.get(c, 0) for c in cats], [cur.get(c, 0) for c in cats]])
    chi2, pval, dof, _ = stats.chi2_contingency(table, correction=False)
    maps = {"reference": ref, "current": cur, "statistic": float(chi2), "pvalue": float(pval), "dof": int(dof)}
    # survival function values
    sf = [{"x": x, "dof": d, "sf": float(stats.chi2.sf(x, d))}
          for d in (1, 2, 3, 7, 29, 100, 999) for x in (0.01, 0.5, 1.0, 3.84, 10.0, 50.0, 120.0, 1100.0)]
    write("chi2.json", {"cases": cases, "maps": maps, "sf": sf})


def quantile_bins(ref, bins):
    edges = np.unique(np.quantile(ref, np.arange(1, bins) / bins))
    return edges


def distance_fixtures():
    rng = np.random.default_rng(3)
    cases = []
    for n1, n2, shift, bins, rounding in [(1000, 300, 0.0, 10, None), (2000, 500, 0.4, 10, None),
                                          (500, 500, 1.0, 5, None), (800, 200, 0.0, 20, 0),
                                          (3000, 100, 2.5, 10, None)]:
        ref = rng.normal(size=n1) * 2 + 1
        cur = rng.normal(loc=1 + shift, size=n2) * 2
        if rounding is not None:
            ref, cur = np.round(ref, rounding), np.round(cur, rounding)
        edges = quantile_bins(ref, bins)
        rc = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
        cc = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1)
        eps = 1e-4
        rp = np.where(rc == 0, eps, rc / rc.sum())
        cp = np.where(cc == 0, eps, cc / cc.sum())
        psi = float(np.sum((cp - rp) * np.log(cp / rp)))
        js = float(jensenshannon(rc.astype(float), cc.astype(float), base=2))
        w = float(stats.wasserstein_distance(ref, cur))
        cases.append({"reference": fl(ref), "current": fl(cur), "bins": bins, "edges": fl(edges),
                      "reference_counts": [int(v) for v in rc], "current_counts": [int(v) for v in cc],
                      "psi": psi, "jensen_shannon": js, "wasserstein": w,
                      "wasserstein_normalized": w / float(np.std(ref))})
    quantiles = []
    x = rng.normal(size=101) * 3
    for q in (0.0, 0.01, 0.1, 0.25, 0.5, 0.73, 0.9, 0.95, 0.99, 1.0):
        quantiles.append({"q": q, "value": float(np.quantile(x, q))})
    p = rng.dirichlet(np.ones(6))
    q = rng.dirichlet(np.ones(6))
    q[2] = 0
    js_vectors = {"p": fl(p), "q": fl(q), "distance": float(jensenshannon(p, q, base=2))}
    write("distances.json", {"cases": cases, "quantile_sample": fl(x), "quantiles": quantiles,
                             "js_vectors": js_vectors})


def multiple_testing_fixtures():
    rng = np.random.default_rng(5)
    ps = np.concatenate([rng.uniform(size=15), rng.uniform(0, 0.01, size=5), [0.04, 0.04]])
    rng.shuffle(ps)
    write("multiple_testing.json", {"p": fl(ps),
                                    "bonferroni": fl(np.minimum(1, ps * len(ps))),
                                    "bh": fl(stats.false_discovery_control(ps, method="bh"))})


def special_fixtures():
    out = {"lgamma": [], "normal": [], "quantile": [], "kv": [], "beta": []}
    for x in (0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 10.0, 14.9, 15.0, 100.5, 2500.0, 1e5):
        out["lgamma"].append({"x": x, "value": float(scipy.special.gammaln(x))})
    for x in (-8.0, -3.0, -1.0, -0.1, 0.0, 0.5, 1.96, 4.0, 9.0):
        out["normal"].append({"x": x, "cdf": float(stats.norm.cdf(x)), "sf": float(stats.norm.sf(x))})
    for p in (1e-10, 0.001, 0.025, 0.1, 0.5, 0.8, 0.975, 0.999, 1 - 1e-9):
        out["quantile"].append({"p": p, "value": float(stats.norm.ppf(p))})
    for nu in (0.0, 0.25, 1.0):
        for z in (0.001, 0.05, 0.5, 1.0, 3.0, 20.0, 150.0):
            out["kv"].append({"nu": nu, "z": z, "value": float(scipy.special.kv(nu, z))})
    for x, a, b in [(0.1, 1.0, 5.0), (0.5, 2.5, 3.5), (0.9, 10.0, 2.0), (0.01, 3.0, 4998.0),
                    (0.3, 40.0, 60.0), (0.02, 120.0, 4881.0), (0.7, 0.5, 0.5)]:
        out["beta"].append({"x": x, "a": a, "b": b, "value": float(scipy.special.betainc(a, b, x))})
    write("special.json", out)


if __name__ == "__main__":
    special_fixtures()
    ks_fixtures()
    cvm_fixtures()
    chi2_fixtures()
    distance_fixtures()
    multiple_testing_fixtures()
