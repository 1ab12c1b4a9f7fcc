#!/usr/bin/env python3
"""Reference values for the MMD witness function (io.modelmonitor.detectors.mmd.Witness).

A plain numpy implementation, independent of the Java code: full kernel matrices from explicit
differences. The empirical witness of a window w (m points) against a reference r (n points) is
f(x) = mean_j k(x, w_j) - mean_i k(x, r_i) with k(x, y) = exp(-||x - y||^2 / (2 sigma^2)),
evaluated at every window and every reference point; the means include the point itself when x
is one of the samples' points (Gretton et al. 2012, JMLR 13, section 2.3). sigma is the median
heuristic on the reference, as the detector's default (docs/statistics.md, MMD conventions).

Run from the repository root:
    python3 detectors/src/test/python/gen_witness_fixtures.py
Writes detectors/src/test/resources/fixtures/mmd/witness_cases.json.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "mmd")


def sqdist(x, y):
    diff = x[:, None, :] - y[None, :, :]
    return (diff * diff).sum(axis=-1)


def median_sigma(ref):
    d2 = sqdist(ref, ref)
    iu = np.triu_indices(len(ref), k=1)
    return float(np.sqrt(np.median(d2[iu]) / 2.0))


def witness(ref, cur, sigma, at):
    k_w = np.exp(-sqdist(at, cur) / (2 * sigma**2))
    k_r = np.exp(-sqdist(at, ref) / (2 * sigma**2))
    return k_w.mean(axis=1) - k_r.mean(axis=1)


def shifts(ref, cur, wf):
    """Witness-weighted mean of the window (weights max(f, 0)) minus the reference mean, in reference sd (ddof 1)."""
    w = np.maximum(wf, 0.0)
    return ((w[:, None] * cur).sum(axis=0) / w.sum() - ref.mean(axis=0)) / ref.std(axis=0, ddof=1)


def case(name, ref, cur, shifted):
    sigma = median_sigma(ref)
    wf = witness(ref, cur, sigma, cur)
    rf = witness(ref, cur, sigma, ref)
    return {
        "name": name,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "shifted": shifted,
        "sigma": sigma,
        "window_witness": wf.tolist(),
        "reference_witness": rf.tolist(),
        # stable sorts: ties (none expected in continuous data) by index
        "top_window": np.argsort(-wf, kind="stable")[:10].tolist(),
        "bottom_reference": np.argsort(rf, kind="stable")[:10].tolist(),
        "shifts": shifts(ref, cur, wf).tolist(),
    }


def mixed(rng, m, d, share, shift):
    """m points of N(0, I), the first round(share * m) moved by `shift` in coordinate 1."""
    x = rng.normal(size=(m, d))
    k = int(round(share * m))
    x[:k, 1] += shift
    return x, list(range(k))


def main():
    rng = np.random.default_rng(20261202)
    cases = []
    cur, shifted = mixed(rng, 50, 2, 0.2, 4.0)
    cases.append(case("cluster_2d", rng.normal(size=(120, 2)), cur, shifted))  # shifted in coordinate 1
    cur, shifted = mixed(rng, 80, 6, 0.2, 3.0)
    cases.append(case("shift_6d", rng.normal(size=(200, 6)), cur, shifted))
    # a window larger than half the reference: the calibrated detector uses the permutation path
    cur, shifted = mixed(rng, 70, 3, 0.2, 3.0)
    cases.append(case("window_large_3d", rng.normal(size=(100, 3)), cur, shifted))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "witness_cases.json"), "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
