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
from scipy.special import logsumexp

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
    write("chi2.json", {"cases": cases, "maps": maps, "sf": sf, **chi2_drift_fixtures()})


def pooled_table(ref, cur):
    """The categorical drift test's table: columns unseen in the reference dropped, columns
    with expected count < 5 in the smaller row merged, a merged column still < 5 added to the
    smallest adequate one; a single column left becomes largest-vs-rest of the seen columns."""
    seen = ref > 0
    ref, cur = ref[seen], cur[seen]
    share = min(ref.sum(), cur.sum()) / (ref.sum() + cur.sum())
    sparse = (ref + cur) * share < 5
    cells = [[int(r), int(c)] for r, c in zip(ref[~sparse], cur[~sparse])]
    if sparse.any():
        pr, pc = int(ref[sparse].sum()), int(cur[sparse].sum())
        if (pr + pc) * share >= 5 or not cells:
            cells.append([pr, pc])
        else:
            i = int(np.argmin([a + b for a, b in cells]))
            cells[i] = [cells[i][0] + pr, cells[i][1] + pc]
    if len(cells) == 1:
        i = int(np.argmax(ref + cur))
        cells = [[int(ref[i]), int(cur[i])], [int(ref.sum() - ref[i]), int(cur.sum() - cur[i])]]
    return np.array(cells).T


def chi2_drift_fixtures():
    """The drift test: chi2_contingency on the pooled table (3+ columns) or fisher_exact (2)."""
    rng = np.random.default_rng(12)
    drift = []
    specs = [  # (reference proportions, n_ref, n_cur, tilt, unseen window values)
        ([0.9, 0.07, 0.02, 0.01], 1000, 100, 0.0, 0), ([0.97, 0.03], 5000, 100, 0.0, 0),
        ([0.99, 0.01], 2000, 100, 0.0, 0), ([0.5, 0.5], 1000, 100, 0.0, 1),
        ([0.6, 0.2, 0.1, 0.05, 0.03, 0.02], 3000, 150, 0.5, 3), ([0.3, 0.3, 0.2, 0.2], 800, 400, 0.0, 0),
        ([0.95, 0.05], 20000, 5000, 0.4, 0), ([0.5, 0.3, 0.2], 10000, 3000, 1.5, 0),
        ([0.7, 0.25, 0.04, 0.01], 500, 30, 0.0, 2), ([0.98, 0.02], 50000, 20000, 1.2, 0),
    ]
    for p, n_ref, n_cur, tilt, unseen in specs:
        p = np.array(p)
        q = p * np.exp(tilt * rng.normal(size=len(p)))
        q /= q.sum()
        ref = np.append(rng.multinomial(n_ref, p), 0)
        cur = np.append(rng.multinomial(n_cur, q), unseen)
        t = pooled_table(ref, cur)
        chi2, pval, _, _ = stats.chi2_contingency(t, correction=False)
        if t.shape[1] == 2:
            test, pval = "fisher", float(stats.fisher_exact(t).pvalue)
        else:
            test = "chi2"
        drift.append({"reference": [int(v) for v in ref], "current": [int(v) for v in cur],
                      "pooled": t.tolist(), "test": test, "statistic": float(chi2), "pvalue": float(pval),
                      "unseen": unseen})
    fisher = []
    for a, b, c, d in [(10, 990, 3, 97), (500, 500, 35, 65), (0, 1000, 9, 91), (12, 4988, 1, 999),
                       (8000, 2000, 100, 900), (3, 1, 1, 3), (40000, 10000, 9000, 1000)]:
        fisher.append({"table": [a, b, c, d], "pvalue": float(stats.fisher_exact([[a, b], [c, d]]).pvalue)})
    return {"drift": drift, "fisher": fisher}


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
        for z in (0.001, 0.05, 0.5, 1.0, 3.0, 20.0, 150.0, 600.0):
            out["kv"].append({"nu": nu, "z": z, "value": float(scipy.special.kv(nu, z))})
    for x, a, b in [(0.1, 1.0, 5.0), (0.5, 2.5, 3.5), (0.9, 10.0, 2.0), (0.01, 3.0, 4998.0),
                    (0.3, 40.0, 60.0), (0.02, 120.0, 4881.0), (0.7, 0.5, 0.5)]:
        out["beta"].append({"x": x, "a": a, "b": b, "value": float(scipy.special.betainc(a, b, x))})
    write("special.json", out)


# ---------------------------------------------------------------- dimension reduction
def sign_normalize(v):
    """Largest-|entry| positive, first on ties (np.argmax returns the first maximum)."""
    return v if v[np.argmax(np.abs(v))] > 0 else -v


def pca_fixtures():
    rng = np.random.default_rng(99)
    cases = []
    for n, d, k in [(300, 12, 5), (500, 40, 10), (80, 6, 6)]:
        scales = np.geomspace(10, 0.1, d)  # well separated spectrum
        q, _ = np.linalg.qr(rng.normal(size=(d, d)))
        data = (rng.normal(size=(n, d)) * scales) @ q.T + rng.normal(size=d) * 5
        mean = data.mean(axis=0)
        _, s, vt = np.linalg.svd(data - mean, full_matrices=False)
        comps = np.array([sign_normalize(v) for v in vt[:k]])
        var = s ** 2 / (n - 1)
        ratio = var / var.sum()
        new = rng.normal(size=(7, d)) * scales @ q.T
        targets = []
        for t in (0.5, 0.9, 0.99):
            targets.append({"target": t, "components": int(np.searchsorted(np.cumsum(ratio), t) + 1)})
        cases.append({"data": mat(data), "k": k, "mean": fl(mean), "components": mat(comps),
                      "explained_variance": fl(var[:k]), "explained_variance_ratio": fl(ratio[:k]),
                      "points": mat(new), "transformed": mat((new - mean) @ comps.T), "targets": targets})
    write("pca.json", {"cases": cases})


# ---------------------------------------------------------------- outlier calibration
def outlier_fixtures():
    rng = np.random.default_rng(2026)
    scores = rng.gamma(2.0, 1.5, size=5000)
    scores[:40] = np.round(scores[:40], 1)  # some ties
    out = {"scores": fl(scores), "cases": [], "pvalues": [], "binomial": []}
    m = len(scores)
    for q in (0.9, 0.95, 0.99, 0.999):
        # The threshold is the j-th largest score, j = max(1, floor((1 - q)(m + 1))); a new
        # exchangeable score exceeds it with probability j / (m + 1).
        j = max(1, int(np.floor((1 - q) * (m + 1) + 1e-9)))
        thr = float(np.sort(scores)[m - j])
        out["cases"].append({"quantile": q, "rank": j, "threshold": thr, "expected_rate": j / (m + 1),
                             "reference_rate_above": float(np.mean(scores > thr))})
    for s in (0.0, 1.0, 3.0, 7.5, 12.0, 100.0, float(scores[7])):
        out["pvalues"].append({"score": s, "pvalue": float((1 + np.sum(scores >= s)) / (len(scores) + 1))})
    for k, n, p in [(7, 500, 0.01), (0, 500, 0.01), (5, 500, 0.01), (15, 500, 0.01), (40, 1000, 0.02),
                    (3, 10, 0.05), (500, 500, 0.01), (120, 5000, 0.0152), (1, 1, 0.3), (60, 200, 0.1)]:
        r = stats.binomtest(k, n, p, alternative="greater")
        out["binomial"].append({"k": k, "n": n, "p": p, "pvalue": float(r.pvalue)})
    # Beta-binomial law of the window exceedance count over an order-statistic threshold.
    out["betabinom"] = []
    for n, a, b, ks in [(150, 3, 298, [0, 1, 2, 5, 7, 20, 150]), (1000, 3, 298, [0, 9, 10, 31, 60, 300, 1000]),
                        (50, 1, 100, [0, 1, 3, 10, 50]), (5000, 50, 4951, [40, 50, 51, 90, 200, 2000]),
                        (20, 2.5, 7.5, [0, 3, 5, 12, 20])]:
        d = stats.betabinom(n, a, b)
        for k in ks:
            out["betabinom"].append({"n": n, "a": a, "b": b, "k": k, "logpmf": float(d.logpmf(k)),
                                     "sf": float(d.sf(k - 1)),
                                     # scipy's logsf underflows in the far tail: sum the log pmf
                                     "logsf": float(logsumexp(d.logpmf(np.arange(k, n + 1))))})
    write("outlier.json", out)


# ---------------------------------------------------------------- isotonic regression, ECE
def pava(y, w):
    """Straightforward weighted pool-adjacent-violators: merge blocks while means decrease."""
    blocks = []  # [weighted sum, weight, length]
    for yi, wi in zip(y, w):
        blocks.append([yi * wi, wi, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, ww, n = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += ww
            blocks[-1][2] += n
    out = []
    for s, ww, n in blocks:
        out.extend([s / ww] * n)
    return np.array(out)


def isotonic_fit(x, y, w):
    order = np.argsort(x, kind="stable")
    x, y, w = x[order], y[order], w[order]
    ux, inv = np.unique(x, return_inverse=True)
    wsum = np.bincount(inv, weights=w)
    ymean = np.bincount(inv, weights=w * y) / wsum
    return ux, pava(ymean, wsum)


def ece(conf, correct, bins=10):
    b = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    total = 0.0
    for k in range(bins):
        m = b == k
        if m.any():
            total += abs(correct[m].sum() - conf[m].sum()) / len(conf)
    return total


def isotonic_fixtures():
    rng = np.random.default_rng(17)
    cases = []
    for n, weighted, ties in [(50, False, False), (400, True, False), (300, False, True), (1000, True, True)]:
        x = rng.uniform(0.3, 1.0, size=n)
        if ties:
            x = np.round(x, 2)
        y = (rng.uniform(size=n) < x ** 2).astype(float) if n != 400 else x + rng.normal(scale=0.2, size=n)
        w = rng.uniform(0.5, 2.0, size=n) if weighted else np.ones(n)
        ux, fitted = isotonic_fit(x, y, w)
        queries = np.concatenate([rng.uniform(0.2, 1.1, size=30), ux[:3], [ux[0], ux[-1]]])
        cases.append({"x": fl(x), "y": fl(y), "w": fl(w) if weighted else None,
                      "knots": fl(ux), "fitted": fl(fitted),
                      "queries": fl(queries), "predictions": fl(np.interp(queries, ux, fitted))})
    conf = rng.uniform(0.5, 1.0, size=777)
    conf[:5] = [0.5, 0.6, 0.7, 1.0, 0.95]  # bin edges
    correct = (rng.uniform(size=777) < conf - 0.1).astype(float)
    write("isotonic.json", {"cases": cases, "ece": {"confidence": fl(conf), "correct": fl(correct),
                                                    "value": float(ece(conf, correct))}})


# ---------------------------------------------------------------- performance metrics
def classification_reference(actual, predicted):
    labels = sorted(set(actual) | set(predicted))
    a, p = np.array(actual), np.array(predicted)
    per = {}
    for c in labels:
        tp = np.sum((a == c) & (p == c))
        fp = np.sum((a != c) & (p == c))
        fn = np.sum((a == c) & (p != c))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0
        per[c] = {"precision": float(prec), "recall": float(rec), "f1": float(f1), "support": int(np.sum(a == c))}
    sup = np.array([per[c]["support"] for c in labels], dtype=float)
    out = {"labels": labels, "per_class": per, "accuracy": float(np.mean(a == p)),
           "confusion": [[int(np.sum((a == r) & (p == c))) for c in labels] for r in labels]}
    for m in ("precision", "recall", "f1"):
        v = np.array([per[c][m] for c in labels])
        out["macro_" + m] = float(v.mean())
        out["weighted_" + m] = float(np.sum(v * sup) / sup.sum())
    return out


def metrics_fixtures():
    rng = np.random.default_rng(31)
    # binary with scores (ties in scores), class order [neg, pos]
    n = 600
    y = rng.uniform(size=n) < 0.3
    s = np.clip(np.round(0.3 + 0.35 * y + rng.normal(scale=0.2, size=n), 2), 0.0, 1.0)
    actual = ["pos" if v else "neg" for v in y]
    predicted = ["pos" if v >= 0.5 else "neg" for v in s]
    scores = np.stack([1 - s, s], axis=1)
    u = stats.mannwhitneyu(s[y], s[~y]).statistic
    p_actual = np.where(y, s, 1 - s)
    binary = {"classes": ["neg", "pos"], "actual": actual, "predicted": predicted, "scores": mat(scores),
              "roc_auc": float(u / (y.sum() * (~y).sum())),
              "log_loss": float(-np.mean(np.log(np.clip(p_actual, 1e-15, 1 - 1e-15)))),
              **classification_reference(actual, predicted)}
    # multiclass, one class never predicted, one predicted but never actual
    classes = ["cat", "dog", "bird", "fish"]
    n = 500
    a = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    logits = rng.normal(size=(n, 4))
    logits[np.arange(n), a] += 1.5
    logits[:, 2] -= 3
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    pred = probs.argmax(axis=1)
    actual = [classes[i] for i in a]
    predicted = [classes[i] for i in pred]
    multi = {"classes": classes, "actual": actual, "predicted": predicted, "scores": mat(probs),
             "log_loss": float(-np.mean(np.log(np.clip(probs[np.arange(n), a], 1e-15, 1 - 1e-15)))),
             **classification_reference(actual, predicted)}
    yt = rng.normal(loc=10, scale=5, size=400)
    yt[:3] = [0.0, 1e-3, -2.0]
    yp = yt + rng.normal(scale=2, size=400)
    eps = np.finfo(np.float64).eps
    regression = {"actual": fl(yt), "predicted": fl(yp), "mae": float(np.mean(np.abs(yp - yt))),
                  "rmse": float(np.sqrt(np.mean((yp - yt) ** 2))),
                  "mape": float(np.mean(np.abs(yp - yt) / np.maximum(np.abs(yt), eps))),
                  "mean_error": float(np.mean(yp - yt))}
    write("metrics.json", {"binary": binary, "multiclass": multi, "regression": regression})


if __name__ == "__main__":
    metrics_fixtures()
    isotonic_fixtures()
    outlier_fixtures()
    pca_fixtures()
    special_fixtures()
    ks_fixtures()
    cvm_fixtures()
    chi2_fixtures()
    distance_fixtures()
    multiple_testing_fixtures()
