#!/usr/bin/env bash
# Paired whole-process timing of the exact MMD test: `./monitor drift --test mmd` and the numpy
# counterpart (numpy_drift_whole.py) on the same .npy files, alternating, ROUNDS rounds; prints one
# line per run (wall seconds, user CPU seconds, peak RSS) with the load average before it.
# Usage (repository root): detectors/src/test/python/paired_drift_whole.sh REF.npy CUR.npy [ROUNDS] [PERMUTATIONS]
set -euo pipefail
ref="$1"; cur="$2"; rounds="${3:-5}"; perms="${4:-1000}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
MONITOR_SKIP_BUILD=1 "$root/monitor" drift --reference "$ref" --current "$cur" --test mmd --permutations 10 >/dev/null
for r in $(seq 1 "$rounds"); do
  for impl in numpy java; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if [ "$impl" = numpy ]; then
      t="$( { /usr/bin/time -f '%e %U %M' env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
            python3 "$here/numpy_drift_whole.py" "$ref" "$cur" --permutations "$perms" >/dev/null; } 2>&1 | tail -1)"
    else
      t="$( { MONITOR_SKIP_BUILD=1 /usr/bin/time -f '%e %U %M' "$root/monitor" drift --reference "$ref" \
            --current "$cur" --test mmd --permutations "$perms" >/dev/null; } 2>&1 | tail -1)"
    fi
    read -r wall user rss <<<"$t"
    echo "round $r $impl load_before $load wall_s $wall user_s $user rss_kb $rss"
  done
done
