#!/usr/bin/env python3
"""Reference upper tails of Hotelling's T² for RffHotellingTest: T² scaled to its F law,
F = T²·(N − 1 − r)/(r·(N − 2)) ~ F(r, N − 1 − r), upper tail by scipy. Prints the Java array rows.

Run: python3 detectors/src/test/python/gen_hotelling_tail_values.py
"""
from scipy import stats

CASES = [(80.0, 64, 2000), (64.0, 64, 2000), (30.0, 10, 200), (5.0, 3, 50), (100.0, 64, 2_000_000)]

for t2, r, n in CASES:
    d2 = n - 1 - r
    f = t2 * d2 / (r * (n - 2))
    print(f"{{{t2}, {r}, {n}, {float(stats.f.sf(f, r, d2))!r}}},")
