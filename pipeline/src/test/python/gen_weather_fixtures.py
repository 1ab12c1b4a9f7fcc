"""Tabular fixtures from real data no one here wrote: Seattle's daily weather 2012-2015, as shipped by
Debian's python3-vega-datasets (seattle-weather.csv: date, precipitation, temp_max, temp_min, wind,
weather). Each day becomes one prediction event with named features; a few values are blanked
(null, or the key left out) so that missing values are part of every file.

Files (JSON lines, under pipeline/src/test/resources/fixtures/weather/):
  a.jsonl, b.jsonl        the table split in two seeded random halves (the same distribution)
  summer.jsonl            June-August days; winter.jsonl: December-February days (a split by a
                          categorical attribute, the season, that moves the numeric columns)
  b-degraded.jsonl        half b with wind missing on 40 % more rows, 3 % of weather values a
                          category the table never has ("hail") and 2 % of temp_max a string
  expected.json           figures computed here for the Java tests: per-column KS p-values (scipy,
                          values present), Fisher's one-sided missing-rate p-values, and the MMD's
                          input encoding of named features redone in numpy (schema inferred from
                          the reference, standardised numbers, missing indicators, one-hot
                          categories with unseen and missing indicators) with its median-heuristic
                          bandwidth and unbiased MMD² (docs/statistics.md)

Get the data: apt-get download python3-vega-datasets && dpkg -x python3-vega-datasets_*.deb /tmp/vega
Run from the repository root:
  python3 pipeline/src/test/python/gen_weather_fixtures.py [path/to/seattle-weather.csv]
"""
import csv
import json
import os
import sys

import numpy as np
from scipy import stats

DEFAULT_CSV = "/tmp/vega/root/usr/lib/python3/dist-packages/vega_datasets/_data/seattle-weather.csv"
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "weather")
NUMERIC = ["precipitation", "temp_max", "temp_min", "wind"]
COLUMNS = NUMERIC + ["weather"]


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        y, m, d = r["date"].split("/")
        feats = {c: float(r[c]) for c in NUMERIC}
        feats["weather"] = r["weather"]
        out.append({"date": f"{y}-{m}-{d}", "month": int(m), "features": feats})
    return out


def blank(days, rng):
    """Missing values as production data has them: wind null on 4 % of days, temp_min on 3 %,
    precipitation left out of the record on 1 %."""
    for day in days:
        f = day["features"]
        if rng.random() < 0.04:
            f["wind"] = None
        if rng.random() < 0.03:
            f["temp_min"] = None
        if rng.random() < 0.01:
            del f["precipitation"]


def event(day):
    return {"id": "seattle-" + day["date"], "ts": day["date"] + "T12:00:00Z",
            "model": "weather", "features": day["features"]}


def write(name, days):
    with open(os.path.join(OUT, name), "w") as f:
        for d in days:
            f.write(json.dumps(event(d), separators=(",", ":")) + "\n")


def values(days, column):
    return np.array([d["features"][column] for d in days
                     if isinstance(d["features"].get(column), (int, float))
                     and not isinstance(d["features"].get(column), bool)], dtype=float)


def missing(days, column):
    return sum(1 for d in days if d["features"].get(column) is None)


def compare(ref, cur):
    out = {}
    for c in NUMERIC:
        ks = stats.ks_2samp(values(ref, c), values(cur, c), method="auto")
        fisher = stats.fisher_exact([[missing(cur, c), len(cur) - missing(cur, c)],
                                     [missing(ref, c), len(ref) - missing(ref, c)]],
                                    alternative="greater")
        out[c] = {"ks_statistic": float(ks.statistic), "ks_p_value": float(ks.pvalue),
                  "missing_p_value": float(fisher[1])}
    return out


def schema(ref):
    """The columns in order of first appearance, typed and fitted as TableSchema does."""
    names = []
    for d in ref:
        for c in d["features"]:
            if c not in names:
                names.append(c)
    cols = []
    for c in names:
        vals = [d["features"].get(c) for d in ref]
        if any(isinstance(v, str) for v in vals):
            counts = {}
            for v in vals:
                if v is not None:
                    counts[v] = counts.get(v, 0) + 1
            cats = sorted(counts, key=lambda k: (-counts[k], k))
            cols.append((c, "categorical", cats))
        else:
            x = np.array([v for v in vals if v is not None], dtype=float)
            sd = x.std(ddof=1)
            cols.append((c, "numeric", (x.mean(), sd if sd > 0 else 1.0)))
    return cols


def vectors(cols, days):
    out = []
    for d in days:
        row = []
        for name, kind, fit in cols:
            v = d["features"].get(name)
            if kind == "numeric":
                ok = isinstance(v, (int, float)) and not isinstance(v, bool)
                row += [(v - fit[0]) / fit[1] if ok else 0.0, 0.0 if ok else 1.0]
            else:
                assert len(fit) <= 20
                onehot = [0.0] * (len(fit) + 2)
                if v is None:
                    onehot[-1] = 1.0
                elif v in fit:
                    onehot[fit.index(v)] = 1.0
                else:
                    onehot[-2] = 1.0
                row += onehot
        out.append(row)
    return np.array(out)


def mmd(ref, cur):
    cols = schema(ref)
    x, y = vectors(cols, ref), vectors(cols, cur)
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    sigma = np.sqrt(np.median(d2[np.triu_indices(len(x), k=1)]) / 2.0)

    def k(a, b):
        return np.exp(-((a[:, None, :] - b[None, :, :]) ** 2).sum(-1) / (2 * sigma ** 2))
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    n, m = len(x), len(y)
    stat = ((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
            - 2 * kxy.mean())
    return {"sigma": float(sigma), "statistic": float(stat), "dimension": int(x.shape[1])}


def main():
    days = read(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CSV)
    rng = np.random.default_rng(20261202)
    blank(days, rng)
    order = rng.permutation(len(days))
    a = sorted([days[i] for i in order[: len(days) // 2]], key=lambda d: d["date"])
    b = sorted([days[i] for i in order[len(days) // 2:]], key=lambda d: d["date"])
    summer = [d for d in days if d["month"] in (6, 7, 8)]
    winter = [d for d in days if d["month"] in (12, 1, 2)]
    degraded = json.loads(json.dumps(b))
    for d in degraded:
        f = d["features"]
        u = rng.random(3)
        if u[0] < 0.4:
            f["wind"] = None
        if u[1] < 0.03:
            f["weather"] = "hail"
        if u[2] < 0.02 and f.get("temp_max") is not None:
            f["temp_max"] = "n/a"
    os.makedirs(OUT, exist_ok=True)
    write("a.jsonl", a)
    write("b.jsonl", b)
    write("summer.jsonl", summer)
    write("winter.jsonl", winter)
    write("b-degraded.jsonl", degraded)
    expected = {"halves": compare(a, b), "seasons": compare(summer, winter),
                "halves_mmd": mmd(a, b), "seasons_mmd": mmd(summer, winter),
                "sizes": {"a": len(a), "b": len(b), "summer": len(summer), "winter": len(winter)},
                "hail_in_degraded": sum(1 for d in degraded if d["features"].get("weather") == "hail")}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
