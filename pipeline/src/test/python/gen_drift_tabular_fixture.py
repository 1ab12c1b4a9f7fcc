"""Tabular copies of the `drift` fixtures (gen_drift_fixture.py's JSON lines), for the .npy and .csv
readers of `./monitor drift`: the same numbers as numpy writes them, so the command must give the
same results from either form.

- reference.npy: float64, C order; current-shifted.npy: float64, Fortran order;
- current-shifted-f4.npy: float32, C order (values rounded to float);
- reference.csv, current-shifted.csv: header row x0,x1,x2 and Python's repr of each value (exact).

Run from the repository root: python3 pipeline/src/test/python/gen_drift_tabular_fixture.py
"""
import json
import os

import numpy as np

DIR = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "drift")


def features(name):
    with open(os.path.join(DIR, name)) as f:
        return np.array([json.loads(line)["features"] for line in f if line.strip()], dtype=np.float64)


def write_csv(path, x):
    with open(path, "w") as f:
        f.write(",".join(f"x{j}" for j in range(x.shape[1])) + "\n")
        for row in x:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


ref = features("reference.jsonl")
cur = features("current-shifted.jsonl")
np.save(os.path.join(DIR, "reference.npy"), ref)
np.save(os.path.join(DIR, "current-shifted.npy"), np.asfortranarray(cur))
np.save(os.path.join(DIR, "current-shifted-f4.npy"), cur.astype(np.float32))
write_csv(os.path.join(DIR, "reference.csv"), ref)
write_csv(os.path.join(DIR, "current-shifted.csv"), cur)
