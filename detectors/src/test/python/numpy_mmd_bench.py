#!/usr/bin/env python3
"""numpy counterpart of io.modelmonitor.detectors.bench.MmdBench: the exact MMD permutation test.

The best plain-numpy formulation we know: the reference x reference kernel block is computed
once (as the Java detector caches it), each window adds the reference x window and window x
window blocks to form the pooled kernel K (N x N, N = n_ref + n_window), then all permutations'
block sums come from one matrix product: with S (N x P) the 0/1 indicators of each permutation's
window-sized group, aKa = colsum(S * (K @ S)), a.r = S.T @ r with r = K @ 1, and the three block
sums follow from aKa, a.r and 1'K1 exactly as in the Java code. P is processed in blocks of 256
columns to bound memory. The product runs in float64 (default) or float32 (--dtype float32, the
Java storage type).

Prints one JSON object per figure. Run (unset the OpenBLAS overrides this machine may set):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 detectors/src/test/python/numpy_mmd_bench.py
"""
import argparse
import ctypes
import glob
import json
import os
import time

import numpy as np

CASES = [(2000, 500, 32, 100), (2000, 500, 32, 1000), (5000, 1000, 32, 100), (5000, 1000, 32, 1000)]


def blas_info():
    """OpenBLAS core type and threads as the loaded library reports them."""
    info = {"numpy": np.__version__}
    try:
        import threadpoolctl  # noqa: F401

        pools = threadpoolctl.threadpool_info()
        if pools:
            info["threadpoolctl"] = pools
    except ImportError:
        pass
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*.so"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for suffix in ("64_", ""):
            prefix = "scipy_openblas_" if "scipy_openblas" in path else "openblas_"
            fn = getattr(lib, prefix + "get_corename" + suffix, None)
            if fn is None:
                continue
            fn.restype = ctypes.c_char_p
            info["openblas_corename"] = fn().decode()
            threads = getattr(lib, prefix + "get_num_threads" + suffix, None)
            if threads is not None:
                info["openblas_threads"] = threads()
            cfg = getattr(lib, prefix + "get_config" + suffix, None)
            if cfg is not None:
                cfg.restype = ctypes.c_char_p
                info["openblas_config"] = cfg().decode()
            break
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    info["OPENBLAS_L2_SIZE"] = os.environ.get("OPENBLAS_L2_SIZE")
    return info


def gaussian_kernel(a, b, a2, b2, gamma):
    d2 = a2[:, None] + b2[None, :] - 2.0 * (a @ b.T)
    np.maximum(d2, 0.0, out=d2)
    np.multiply(d2, -gamma, out=d2)
    return np.exp(d2, out=d2)


def median_sigma(ref):
    r2 = (ref * ref).sum(1)
    d2 = r2[:, None] + r2[None, :] - 2.0 * ref @ ref.T
    iu = np.triu_indices(len(ref), 1)
    return float(np.sqrt(np.median(d2[iu]) / 2.0))


class PermutationTest:
    def __init__(self, ref, sigma, dtype):
        self.ref = ref - ref.mean(0)
        self.centre = ref.mean(0)
        self.gamma = 1.0 / (2.0 * sigma**2)
        self.r2 = (self.ref * self.ref).sum(1)
        self.krr = gaussian_kernel(self.ref, self.ref, self.r2, self.r2, self.gamma)
        self.dtype = dtype

    def pooled_kernel(self, win):
        w = win - self.centre
        w2 = (w * w).sum(1)
        n, m = len(self.ref), len(w)
        k = np.empty((n + m, n + m), dtype=self.dtype)
        k[:n, :n] = self.krr
        krw = gaussian_kernel(self.ref, w, self.r2, w2, self.gamma)
        k[:n, n:] = krw
        k[n:, :n] = krw.T
        k[n:, n:] = gaussian_kernel(w, w, w2, w2, self.gamma)
        return k

    def test(self, win, permutations, rng, block=256):
        n, m = len(self.ref), len(win)
        big_n = n + m
        k = self.pooled_kernel(win)
        rows = k.sum(1, dtype=np.float64)
        total = rows.sum()

        def stats(s):  # s: N x b indicators of the window-sized group
            ks = k @ s
            aka = np.einsum("ij,ij->j", s, ks, dtype=np.float64)
            ar = s.T.astype(np.float64) @ rows
            ab = ar - aka
            bb = total - aka - 2 * ab
            t = big_n - m
            return (aka - m) / (m * (m - 1)) + (bb - t) / (t * (t - 1)) - 2 * ab / (m * t)

        ident = np.zeros((big_n, 1), dtype=self.dtype)
        ident[n:, 0] = 1
        observed = stats(ident)[0]
        count = 0
        for start in range(0, permutations, block):
            b = min(block, permutations - start)
            s = np.zeros((big_n, b), dtype=self.dtype)
            idx = np.argsort(rng.random((b, big_n)), axis=1)[:, :m]
            s[idx, np.arange(b)[:, None]] = 1
            count += int((stats(s) >= observed).sum())
        return observed, (1 + count) / (1 + permutations)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    dtype = np.dtype(args.dtype)
    print(json.dumps({"figure": "numpy.blas", **blas_info()}))
    for n, m, d, perms in CASES:
        rng = np.random.default_rng(42)
        ref = rng.normal(size=(n, d))
        windows = [rng.normal(size=(m, d)) for _ in range(args.warmup + args.reps)]
        t0 = time.perf_counter()
        test = PermutationTest(ref, median_sigma(ref), dtype)
        setup = time.perf_counter() - t0
        times, kernel_times = [], []
        for i, w in enumerate(windows):
            t = time.perf_counter()
            test.pooled_kernel(w)
            tk = time.perf_counter() - t
            t = time.perf_counter()
            test.test(w, perms, np.random.default_rng(i))
            tt = time.perf_counter() - t
            if i >= args.warmup:
                times.append(tt)
                kernel_times.append(tk)
        sec = float(np.median(times))
        big_n = n + m
        print(
            json.dumps(
                {
                    "figure": "mmd.permutation.window",
                    "implementation": "numpy-" + args.dtype,
                    "n_ref": n,
                    "n_window": m,
                    "dim": d,
                    "permutations": perms,
                    "seconds": sec,
                    "pooled_kernel_seconds": float(np.median(kernel_times)),
                    "reference_kernel_seconds": setup,
                    "permutation_gemm_gflops": 2.0 * big_n * big_n * perms / (sec - float(np.median(kernel_times))) / 1e9,
                }
            )
        )


if __name__ == "__main__":
    main()
