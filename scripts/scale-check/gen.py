"""Data for scripts/scale-check: one numeric reference, and a stream of many models.

  gen.py reference OUT.jsonl            2,000 reference events, 16 features
  gen.py events MODELS EVENTS OUT.jsonl EVENTS events over 6 hours, spread evenly over MODELS models
                                        and interleaved in ts order; every tenth model drifts from
                                        hour 3 (3 of its features shift by 0.6 sd)
"""
import json
import sys

import numpy as np

FEATURES = 16
HOURS = 6
T0 = 1_795_824_000_000  # 2026-11-28T00:00:00Z
HOUR = 3_600_000


def reference(out):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2000, FEATURES))
    with open(out, "w") as f:
        for i, row in enumerate(x):
            f.write(json.dumps({"id": f"ref-{i}", "ts": T0 - HOUR + i,
                                "features": [round(v, 5) for v in row]}) + "\n")


def events(models, n, out):
    rng = np.random.default_rng(2)
    ts = T0 + np.sort(rng.integers(0, HOURS * HOUR, n))
    model = rng.integers(0, models, n)
    x = rng.standard_normal((n, FEATURES))
    drifting = (model % 10 == 0) & (ts >= T0 + 3 * HOUR)
    x[drifting, :3] += 0.6
    with open(out, "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"e{i}", "ts": int(ts[i]), "model": f"m{model[i]:04d}",
                                "features": [round(v, 5) for v in x[i]],
                                "prediction": "a" if i % 3 else "b"}) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "reference":
        reference(sys.argv[2])
    else:
        events(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
