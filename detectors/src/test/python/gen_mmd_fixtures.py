#!/usr/bin/env python3
"""Reference values for the kernel MMD tests (io.modelmonitor.detectors.mmd).

A deliberately plain numpy implementation, independent of the Java code: squared distances
by explicit differences, the full kernel matrices, the median heuristic with np.median, and an
exact permutation p-value by enumerating every split of a tiny pooled sample.

Conventions (docs/statistics.md, MMD conventions): k(x, y) = exp(-||x - y||^2 / (2 sigma^2)); sigma = sqrt(m / 2),
m = median of squared distances between distinct reference points (pairs i < j); unbiased
MMD^2 with the diagonals left out of both within-sample sums.

Run from the repository root:
    python3 detectors/src/test/python/gen_mmd_fixtures.py
Writes detectors/src/test/resources/fixtures/mmd/mmd_cases.json.
"""
import itertools
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


def mmd2_unbiased(x, y, sigma):
    n, m = len(x), len(y)
    kxx = np.exp(-sqdist(x, x) / (2 * sigma**2))
    kyy = np.exp(-sqdist(y, y) / (2 * sigma**2))
    kxy = np.exp(-sqdist(x, y) / (2 * sigma**2))
    return float(
        (kxx.sum() - np.trace(kxx)) / (n * (n - 1))
        + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
        - 2.0 * kxy.mean()
    )


def exact_permutation_p(x, y, sigma):
    """Fraction of all splits of the pooled sample (identity included) with stat >= observed."""
    z = np.vstack([x, y])
    n = len(x)
    observed = mmd2_unbiased(x, y, sigma)
    count = total = 0
    for idx in itertools.combinations(range(len(z)), n):
        mask = np.zeros(len(z), dtype=bool)
        mask[list(idx)] = True
        total += 1
        # a relative tolerance so the identity split (equal up to rounding) counts as >=
        if mmd2_unbiased(z[mask], z[~mask], sigma) >= observed - 1e-12 * abs(observed):
            count += 1
    return observed, count / total, total


def case(name, ref, cur, fixed_sigma):
    s_med = median_sigma(ref)
    return {
        "name": name,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "sigma_median": s_med,
        "mmd2_median": mmd2_unbiased(ref, cur, s_med),
        "sigma_fixed": fixed_sigma,
        "mmd2_fixed": mmd2_unbiased(ref, cur, fixed_sigma),
    }


def main():
    rng = np.random.default_rng(20240611)
    cases = []
    # odd number of pairs (435): the median is the middle value
    cases.append(case("small_3d", rng.normal(size=(30, 3)), rng.normal(size=(20, 3)), 1.0))
    # even number of pairs (820): the median is the mean of the two middle values
    cases.append(
        case("even_pairs_shift", rng.normal(size=(41, 5)), rng.normal(0.5, 1.0, size=(37, 5)), 2.5)
    )
    cases.append(
        case("scale_change_8d", rng.normal(size=(100, 8)), rng.normal(0, 1.5, size=(60, 8)), 1.7)
    )
    # far from the origin: catches a loss of precision in ||x||^2 + ||y||^2 - 2 x.y
    cases.append(
        case(
            "offset_1000",
            1000.0 + rng.normal(size=(50, 4)),
            1000.0 + rng.normal(0.3, 1.0, size=(45, 4)),
            0.8,
        )
    )
    # window larger than the reference
    cases.append(case("window_larger", rng.normal(size=(20, 2)), rng.normal(size=(60, 2)), 0.5))
    # no shift: MMD^2 near 0, tests relative accuracy under cancellation
    cases.append(
        case("no_shift_16d", rng.normal(size=(200, 16)), rng.normal(size=(150, 16)), 4.0)
    )
    # correlated, anisotropic data
    a = rng.normal(size=(6, 6))
    cases.append(
        case(
            "correlated_6d",
            rng.normal(size=(120, 6)) @ a,
            rng.normal(size=(80, 6)) @ a + 0.2,
            3.0,
        )
    )

    # exact permutation p-value by full enumeration (C(11, 5) = 462 splits)
    x = rng.normal(size=(6, 2))
    y = rng.normal(0.8, 1.0, size=(5, 2))
    s_med = median_sigma(x)
    observed, p_exact, n_splits = exact_permutation_p(x, y, s_med)
    enumeration = {
        "reference": x.tolist(),
        "current": y.tolist(),
        "sigma": s_med,
        "mmd2": observed,
        "p_exact": p_exact,
        "splits": n_splits,
    }

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "mmd_cases.json"), "w") as f:
        json.dump({"cases": cases, "enumeration": enumeration}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
