#!/usr/bin/env python3
"""Writes the numpy reference fixtures of the models module.

Run from the repository root:  python3 models/src/test/python/make_fixtures.py
Output: models/src/test/resources/fixtures/ (committed; tests never call Python).

- npy/*.npy + npy.json: arrays saved by numpy.save and their values (Python floats repr'd
  exactly), for the .npy reader (values read exactly) and writer (same bytes as numpy).
- standardizer.json: per-feature mean and population std (ddof=0) with numpy, constant column.
- autoencoder_adam.json: a tiny MLP autoencoder 5->4->2->4->5 (ReLU after the two 4-unit
  layers, linear bottleneck and output), MSE loss, three torch-style Adam steps on one batch:
  losses and weights after each step, computed with numpy by hand (forward + backward pass).
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures")


def npy_fixtures():
    rng = np.random.default_rng(20260101)
    arrays = {
        "f8_matrix": rng.normal(size=(3, 4)) * np.array([1.0, 1e-12, 1e12, -3.5]),
        "f8_vector": np.array([0.0, -0.0, 1.0 / 3.0, -2.5e-308, 1.7976931348623157e308, np.pi]),
        "f4_matrix": rng.normal(size=(5, 2)).astype(np.float32),
        "f4_vector": np.array([0.1, -1.5, 3.25], dtype=np.float32),
        "i8_vector": np.array([0, -1, 2**53, -(2**40), 7], dtype=np.int64),
        "f8_tall": rng.uniform(-1, 1, size=(1234, 3)),
        "f8_empty_vector": np.zeros((0,), dtype=np.float64),
    }
    os.makedirs(os.path.join(OUT, "npy"), exist_ok=True)
    values = {}
    for name, a in arrays.items():
        np.save(os.path.join(OUT, "npy", name + ".npy"), a)
        values[name] = {"dtype": a.dtype.str, "shape": list(a.shape),
                        "values": [float(x) if a.dtype.kind == "f" else int(x) for x in a.ravel()]}
    fortran = np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3) + 0.5)
    np.save(os.path.join(OUT, "npy", "f8_fortran.npy"), fortran)
    values["f8_fortran"] = {"dtype": "<f8", "shape": [2, 3],
                            "values": [float(x) for x in np.ascontiguousarray(fortran).ravel()]}
    with open(os.path.join(OUT, "npy.json"), "w") as f:
        json.dump(values, f, indent=1)


def standardizer_fixture():
    rng = np.random.default_rng(11)
    x = rng.normal(loc=[5.0, -2.0, 1e6, 0.0], scale=[1.0, 0.01, 3.0, 1.0], size=(50, 4))
    x[:, 3] = 42.0  # a constant feature
    mean = x.mean(axis=0)
    std = x.std(axis=0)  # ddof=0
    scale = np.where(std > 0, std, 1.0)
    z = (x - mean) / scale
    with open(os.path.join(OUT, "standardizer.json"), "w") as f:
        json.dump({"x": x.tolist(), "mean": mean.tolist(), "scale": scale.tolist(),
                   "z_first_row": z[0].tolist()}, f, indent=1)


def autoencoder_fixture():
    rng = np.random.default_rng(5)
    sizes = [5, 4, 2, 4, 5]
    relu = [True, False, True, False]
    weights = [rng.normal(scale=0.5, size=(sizes[i + 1], sizes[i])) for i in range(4)]
    biases = [rng.normal(scale=0.1, size=(sizes[i + 1],)) for i in range(4)]
    batch = rng.normal(size=(3, 5))
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    init = {"weights": [w.tolist() for w in weights], "biases": [b.tolist() for b in biases]}
    params = weights + biases
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    steps = []
    for t in range(1, 4):
        # forward
        acts, pre = [batch], []
        for w, b, r in zip(weights, biases, relu):
            z = acts[-1] @ w.T + b
            pre.append(z)
            acts.append(np.maximum(z, 0.0) if r else z)
        out = acts[-1]
        loss = np.mean((out - batch) ** 2)
        # backward
        g = 2.0 * (out - batch) / out.size
        gw, gb = [None] * 4, [None] * 4
        for i in reversed(range(4)):
            if relu[i]:
                g = g * (pre[i] > 0)
            gw[i] = g.T @ acts[i]
            gb[i] = g.sum(axis=0)
            g = g @ weights[i]
        grads = gw + gb
        # torch.optim.Adam (no weight decay, no amsgrad)
        for j, (p, gr) in enumerate(zip(params, grads)):
            m[j] = b1 * m[j] + (1 - b1) * gr
            v[j] = b2 * v[j] + (1 - b2) * gr * gr
            mhat = m[j] / (1 - b1 ** t)
            vhat = v[j] / (1 - b2 ** t)
            p -= lr * mhat / (np.sqrt(vhat) + eps)
        steps.append({"loss_before_step": float(loss),
                      "weights": [w.tolist() for w in weights],
                      "biases": [b.tolist() for b in biases]})
    # reconstruction MSE per row after the three steps (the outlier score)
    a = batch
    for w, b, r in zip(weights, biases, relu):
        a = a @ w.T + b
        if r:
            a = np.maximum(a, 0.0)
    scores = np.mean((a - batch) ** 2, axis=1)
    with open(os.path.join(OUT, "autoencoder_adam.json"), "w") as f:
        json.dump({"sizes": sizes, "relu": relu, "learning_rate": lr, "batch": batch.tolist(),
                   "initial": init, "steps": steps, "scores_after": scores.tolist()}, f, indent=1)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    npy_fixtures()
    standardizer_fixture()
    autoencoder_fixture()
