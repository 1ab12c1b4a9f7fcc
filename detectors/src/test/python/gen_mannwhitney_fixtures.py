#!/usr/bin/env python3
"""Reference values for MannWhitneyU (one-sided test of "x larger than y"), computed with
scipy.stats.mannwhitneyu(x, y, alternative="greater") (method "auto", continuity correction).

Run from anywhere:  python3 detectors/src/test/python/gen_mannwhitney_fixtures.py
Writes detectors/src/test/resources/fixtures/stats/mann_whitney.json. The Java tests read it and
never call Python. The draws are seeded, so reruns give identical files.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "stats")


def case(x, y):
    r = stats.mannwhitneyu(x, y, alternative="greater")
    return {"x": [float(v) for v in x], "y": [float(v) for v in y],
            "statistic": float(r.statistic), "p_value": float(r.pvalue)}


def main():
    rng = np.random.default_rng(20261202)
    cases = [case([3, 5, 7], [1, 2, 4, 6]), case([10.0], [1.0, 2.0]), case([0.5], [1.0, 2.0, 3.0])]
    # Exact: one sample of at most 8, no ties (continuous draws); small and long other samples.
    for n1, n2, shift in [(3, 5, 0.0), (8, 8, 1.0), (5, 40, 0.5), (8, 300, 1.5), (2, 2000, 0.0), (7, 12, -1.0)]:
        cases.append(case(rng.standard_normal(n1) + shift, rng.standard_normal(n2)))
    # Ties among small samples: asymptotic with tie correction.
    cases.append(case([1, 2, 2, 3], [2, 2, 1, 0, 0]))
    # Heavy-tailed absolute errors, as the job compares them: window vs reference.
    for n1, n2, scale in [(50, 2000, 1.0), (200, 2000, 1.2), (1000, 2000, 1.05), (30, 500, 3.0),
                          (400, 1500, 0.9), (9, 9, 1.0)]:
        cases.append(case(np.abs(rng.standard_t(2, n1)) * scale, np.abs(rng.standard_t(2, n2))))
    # Rounded errors: many ties.
    cases.append(case(np.round(np.abs(rng.standard_normal(120)) * 1.3), np.round(np.abs(rng.standard_normal(800)))))
    cases.append(case(np.zeros(20), np.zeros(30)))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "mann_whitney.json"), "w") as f:
        json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "greater": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
