#!/usr/bin/env python3
"""Benchmark samples for a batch-scale `./monitor drift` (detectors/BENCHMARKS.md): a reference, a
null current sample from the same distribution and a current sample with one input shifted, each
ROWS x DIM standard normal float64, written with numpy.save (C order). Nothing is committed: a
million rows of 32 inputs is 256 MB per file.

Run from the repository root, e.g.
    python3 pipeline/src/test/python/gen_batch_drift_data.py --rows 1000000 --dim 32 \
        --shift 0.03 --out /tmp/batch-drift
then
    ./monitor drift --reference /tmp/batch-drift/reference.npy --current /tmp/batch-drift/shifted.npy
"""
import argparse
import os

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--current-rows", type=int, help="rows of null.npy and shifted.npy (default --rows)")
    p.add_argument("--dim", type=int, default=32)
    p.add_argument("--shift", type=float, default=0.03, help="added to input 0 of shifted.npy")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--out", required=True)
    p.add_argument("--csv", action="store_true", help="also write reference.csv and shifted.csv")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    for name in ("reference", "null", "shifted"):
        rows = a.rows if name == "reference" or a.current_rows is None else a.current_rows
        x = rng.standard_normal((rows, a.dim))
        if name == "shifted":
            x[:, 0] += a.shift
        np.save(os.path.join(a.out, name + ".npy"), x)
        if a.csv and name != "null":
            header = ",".join(f"x{j}" for j in range(a.dim))
            np.savetxt(os.path.join(a.out, name + ".csv"), x, delimiter=",", header=header,
                       comments="", fmt="%.17g")
        del x


if __name__ == "__main__":
    main()
