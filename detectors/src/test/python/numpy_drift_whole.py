#!/usr/bin/env python3
"""Whole-process numpy counterpart of `./monitor drift --test mmd` on .npy files, for the paired
timing in detectors/BENCHMARKS.md: load both samples, the median-heuristic bandwidth on a
2000-row subsample of the reference (as the Java command), the exact permutation MMD test in the
best plain-numpy form (numpy_mmd_bench.PermutationTest: reference kernel, pooled kernel, all
permutations' block sums from one matrix product per 256 permutations) and scipy's per-feature KS
tests. Prints the statistic, p-value and seconds as JSON; time the whole process from the shell:

    /usr/bin/time -f '%e s %M KB' env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        python3 detectors/src/test/python/numpy_drift_whole.py REF.npy CUR.npy --permutations 1000
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(__file__))
from numpy_mmd_bench import PermutationTest  # noqa: E402


def main():
    t0 = time.perf_counter()
    p = argparse.ArgumentParser()
    p.add_argument("reference")
    p.add_argument("current")
    p.add_argument("--permutations", type=int, default=1000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    a = p.parse_args()
    ref = np.load(a.reference)
    cur = np.load(a.current)
    rng = np.random.default_rng(a.seed)
    sub = ref[rng.choice(len(ref), size=min(2000, len(ref)), replace=False)]
    sq = (sub * sub).sum(1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * sub @ sub.T
    sigma = float(np.sqrt(np.median(d2[np.triu_indices(len(sub), 1)]) / 2.0))
    test = PermutationTest(ref, sigma, np.dtype(a.dtype))
    statistic, p_value = test.test(cur, a.permutations, rng)
    ks = [stats.ks_2samp(ref[:, j], cur[:, j]).pvalue for j in range(ref.shape[1])]
    print(json.dumps({"statistic": float(statistic), "p_value": p_value, "sigma": sigma,
                      "min_feature_p": float(min(ks)), "seconds_in_python": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
