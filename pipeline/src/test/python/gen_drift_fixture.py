"""Fixtures for `./monitor drift` (docs/data-contracts.md): two JSON-lines files of numeric features and the
MMD² statistic and bandwidth computed independently with numpy, plus scipy's per-feature KS.

Run from the repository root: python3 pipeline/src/test/python/gen_drift_fixture.py
"""
import json
import os

import numpy as np
from scipy import stats

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "drift")


def sigma_median(x):
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    iu = np.triu_indices(len(x), k=1)
    return np.sqrt(np.median(d2[iu]) / 2.0)


def mmd2_unbiased(x, y, sigma):
    def k(a, b):
        d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        return np.exp(-d2 / (2 * sigma ** 2))
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    n, m = len(x), len(y)
    return ((kxx.sum() - np.trace(kxx)) / (n * (n - 1))
            + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
            - 2 * kxy.mean())


def witness(ref, cur, sigma, at):
    """The MMD witness mean_j k(x, cur_j) - mean_i k(x, ref_i) at the rows of `at` (Gretton et al. 2012)."""
    def k(a, b):
        d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        return np.exp(-d2 / (2 * sigma ** 2))
    return k(at, cur).mean(axis=1) - k(at, ref).mean(axis=1)


def exemplars(ref, cur, sigma, count=10):
    """`drift`'s exemplars: current rows with the largest witness, reference rows with the most negative."""
    wf = witness(ref, cur, sigma, cur)
    rf = witness(ref, cur, sigma, ref)
    return {
        "exemplars": [{"id": f"cur-{i}", "witness": float(wf[i])} for i in np.argsort(-wf, kind="stable")[:count]],
        "reference_exemplars": [{"id": f"ref-{i}", "witness": float(rf[i])}
                                for i in np.argsort(rf, kind="stable")[:count]],
        # witness-weighted mean (weights max(f, 0)) minus the reference mean, in reference sd (ddof 1)
        "feature_shifts": (((np.maximum(wf, 0)[:, None] * cur).sum(0) / np.maximum(wf, 0).sum() - ref.mean(0))
                           / ref.std(0, ddof=1)).tolist(),
    }


def write(name, rows, start):
    with open(os.path.join(OUT, name), "w") as f:
        for i, r in enumerate(rows):
            f.write(json.dumps({"id": f"{name[:3]}-{i}", "ts": start + i * 1000,
                                "features": [float(v) for v in r]}) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(7)
    ref = rng.normal(size=(120, 3))
    same = rng.normal(size=(60, 3))
    shifted = rng.normal(size=(60, 3))
    shifted[:, 1] += 1.0
    write("reference.jsonl", ref, 1_700_000_000_000)
    write("current-same.jsonl", same, 1_700_100_000_000)
    write("current-shifted.jsonl", shifted, 1_700_100_000_000)
    sigma = sigma_median(ref)
    expected = {"sigma": sigma}
    for name, cur in (("same", same), ("shifted", shifted)):
        expected[name] = {
            "statistic": mmd2_unbiased(ref, cur, sigma),
            "ks_p_values": [stats.ks_2samp(ref[:, j], cur[:, j], method="exact").pvalue for j in range(3)],
            "ks_statistics": [stats.ks_2samp(ref[:, j], cur[:, j], method="exact").statistic for j in range(3)],
            **exemplars(ref, cur, sigma),
        }
    expected["shifted_sigma_2"] = {"statistic": mmd2_unbiased(ref, shifted, 2.0)}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
