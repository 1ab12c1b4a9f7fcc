#!/usr/bin/env python3
"""Monte Carlo run lengths of the p-value CUSUM under no change, computed with numpy.

The CUSUM is S_t = max(0, S_{t-1} + log(kappa) - (1 - kappa) * log(p_t)) with p_t uniform and
independent; a run ends at the first t with S_t >= h. For each (kappa, h) this writes the mean run
length of many simulated runs and its standard error; the Java test checks the Markov-chain ARL of
CusumCalibration against them. An independent method: direct simulation, no discretisation.

Run from anywhere:  python3 detectors/src/test/python/gen_cusum_fixtures.py
Writes detectors/src/test/resources/fixtures/stats/cusum_arl.json. Seeded: reruns give the same file.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "stats")


def run_lengths(kappa, h, runs, rng):
    a, b = np.log(kappa), 1 - kappa
    s = np.zeros(runs)
    length = np.zeros(runs, dtype=np.int64)
    alive = np.ones(runs, dtype=bool)
    t = 0
    while alive.any():
        t += 1
        idx = np.nonzero(alive)[0]
        p = rng.random(idx.size)
        s[idx] = np.maximum(0.0, s[idx] + a - b * np.log(p))
        length[idx] = t
        alive[idx[s[idx] >= h]] = False
    return length


def main():
    rng = np.random.default_rng(20261202)
    cases = []
    for kappa, h, runs in [(0.1, 2.0, 40000), (0.1, 4.0, 20000), (0.1, 5.8, 8000), (0.3, 3.0, 20000), (0.5, 4.0, 8000)]:
        lengths = run_lengths(kappa, h, runs, rng)
        cases.append({"kappa": kappa, "h": h, "runs": runs, "mean": float(lengths.mean()),
                      "se": float(lengths.std(ddof=1) / np.sqrt(runs))})
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "cusum_arl.json"), "w") as f:
        json.dump({"generator": "gen_cusum_fixtures.py", "numpy": np.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
