"""Compares two report streams window for window: the last revision of each (model, window).

  compare.py A.jsonl B.jsonl    exits 1 and prints the first differences when they differ
"""
import json
import sys


def last_revisions(path):
    out = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            key = (r["model"], r["window_start"])
            if key not in out or r["revision"] > out[key]["revision"]:
                out[key] = r
    return out


def main(a_path, b_path):
    a, b = last_revisions(a_path), last_revisions(b_path)
    problems = [f"only in {a_path}: {k}" for k in sorted(a.keys() - b.keys())]
    problems += [f"only in {b_path}: {k}" for k in sorted(b.keys() - a.keys())]
    for k in sorted(a.keys() & b.keys()):
        if a[k] != b[k]:
            fields = sorted(f for f in a[k].keys() | b[k].keys() if a[k].get(f) != b[k].get(f))
            problems.append(f"{k} differs in {fields}")
    if problems:
        print("\n".join(problems[:20]))
        print(f"{len(problems)} differences over {len(a | b)} windows")
        return 1
    print(f"{len(a)} windows of {len({k[0] for k in a})} models: equal, window for window")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
