#!/usr/bin/env python3
"""Reference values for ErrorRateComparison (one-sided Fisher exact test of a window's error count
against the reference's), computed with scipy.stats.fisher_exact(alternative="greater").

Run from anywhere:  python3 detectors/src/test/python/gen_error_rate_fixtures.py
Writes detectors/src/test/resources/fixtures/stats/error_rate.json. The Java tests read it and
never call Python. The grid is fixed (no random draws), so reruns give identical files.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "stats")


def main():
    cases = []
    # (window errors, window labelled, reference errors, reference labelled): small and large
    # samples, p-values near 1, at the usual levels and far in the tail, boundary counts.
    grid = [
        (0, 10, 3, 40), (10, 10, 0, 40), (5, 10, 5, 40), (1, 1, 0, 1), (0, 1, 1, 1),
        (8, 100, 80, 1000), (12, 100, 80, 1000), (20, 100, 80, 1000), (40, 100, 80, 1000),
        (3, 100, 80, 1000), (0, 100, 0, 1000), (100, 100, 1000, 1000), (0, 100, 1000, 1000),
        (15, 150, 30, 300), (31, 100, 412, 5000), (9, 30, 40, 500), (2, 30, 40, 500),
        (130, 1000, 800, 10000), (95, 1000, 800, 10000), (60, 1000, 800, 10000),
        (250, 1000, 800, 10000), (900, 10000, 8000, 100000), (1100, 10000, 8000, 100000),
        (7, 50, 4, 60), (30, 50, 4, 60), (520, 5000, 2500, 25000), (18, 200, 9, 300),
        (2000, 20000, 30000, 300000), (2150, 20000, 30000, 300000), (45, 300, 1, 20),
    ]
    for x, n, e, m in grid:
        _, p = stats.fisher_exact([[x, n - x], [e, m - e]], alternative="greater")
        cases.append({"window_errors": x, "window_labelled": n, "reference_errors": e,
                      "reference_labelled": m, "p_value": float(p)})
    os.makedirs(OUT, exist_ok=True)
    obj = {"generator": "gen_error_rate_fixtures.py", "numpy": np.__version__, "scipy": scipy.__version__,
           "fisher_greater": cases}
    with open(os.path.join(OUT, "error_rate.json"), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
