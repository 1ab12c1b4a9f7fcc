# Shared by scripts/crash-check and scripts/outage-check (sourced, not run): the standalone Flink cluster
# (scripts/flink-cluster) with a real KRaft Kafka broker (scripts/kafka-broker), the drifting numeric
# event stream, job submission, REST polling, reading the committed outputs and comparing two runs.
#
# The sourcing script sets `check` (its name: log prefix and consumer group prefix) and `work`, then
# calls rel_prepare (ports free, fresh $work, build, data, bundle) and rel_start (broker, topics, cluster).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rest="http://localhost:${FLINK_REST_PORT:-8081}"
export KAFKA_BROKER_DIR="$work/kafka" FLINK_CLUSTER_DIR="$work/flink"
kafka="$root/scripts/kafka-broker/kafka-broker"
cluster="$root/scripts/flink-cluster/flink-cluster"
bootstrap="127.0.0.1:${KAFKA_PORT:-19092}"
log() { echo "$check: $*"; }
die() { echo "$check: FAILED: $*" >&2; exit 1; }

rel_prepare() {
  for p in 6123 "${FLINK_REST_PORT:-8081}" "${KAFKA_PORT:-19092}" "${KAFKA_CONTROLLER_PORT:-19093}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use (another cluster or broker running?)"; fi
  done
  rm -rf "$work" && mkdir -p "$work"
  trap rel_cleanup EXIT

  "$root/monitor" --help > /dev/null   # builds the project (and the job jar) when needed
  [ -f "$root/pipeline/target/model-monitor-job.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)

  # ---- data: reference, three parts of the event stream, bundle
  python3 - "$work" <<'PY'
import json, sys, datetime as dt
import numpy as np
work = sys.argv[1]
rng = np.random.default_rng(7)
t0 = dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
iso = lambda t: t.strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'
def write(path, rows):
    with open(path, 'w') as f:
        for r in rows: f.write(json.dumps(r, separators=(',', ':')) + '\n')
write(f'{work}/reference.jsonl', [{'id': f'ref-{i}', 'ts': iso(t0 - dt.timedelta(days=1, seconds=-i)),
       'features': [round(float(x), 6) for x in rng.normal(size=4)]} for i in range(2000)])
events = []
for w in range(12):
    shift = 1.0 if 5 <= w <= 7 else 0.0
    for i in range(200):
        t = t0 + dt.timedelta(hours=w, seconds=i * 18)
        events.append({'id': f'ev-{w:02d}-{i:03d}', 'ts': iso(t),
                       'features': [round(float(x) + shift, 6) for x in rng.normal(size=4)]})
sentinel = {'id': 'sentinel', 'ts': iso(t0 + dt.timedelta(days=1, hours=12)),
            'features': [round(float(x), 6) for x in rng.normal(size=4)]}
write(f'{work}/events-1.jsonl', events[:1000])      # windows 0-4
write(f'{work}/events-2.jsonl', events[1000:1800])  # windows 5-8 (5-7 drift)
write(f'{work}/events-3.jsonl', events[1800:] + [sentinel])  # windows 9-11 + sentinel
PY
  "$root/monitor" fit --reference "$work/reference.jsonl" --out "$work/bundle" > "$work/fit.log" 2>&1 \
    || { cat "$work/fit.log" >&2; die "fit"; }
}

rel_cleanup() { "$cluster" stop || true; "$kafka" stop || true; }

rel_start() { # broker, topics, cluster
  "$kafka" start
  for t in events alerts-A reports-A alerts-B reports-B; do "$kafka" create-topic "$t" > /dev/null; done
  "$cluster" start
}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
job_state() { curl -sf "$rest/jobs/$1" | json "d['state']" 2>/dev/null || echo UNKNOWN; }
checkpoints() { curl -sf "$rest/jobs/$1/checkpoints" | json "d['counts']['completed']" 2>/dev/null || echo 0; }
restarts() { curl -sf "$rest/jobs/$1/metrics?get=numRestarts" | json "d[0]['value'] if d else 'n/a'" 2>/dev/null || echo n/a; }

submit() { # tag -> prints the job id
  local tag="$1" out
  out="$("$cluster" submit -d run --bundle "$work/bundle" \
    --events "kafka://$bootstrap/events" --starting-offsets earliest --group-id "$check-$tag" \
    --alerts "kafka://$bootstrap/alerts-$tag" --reports "kafka://$bootstrap/reports-$tag" \
    --window-size 1h --p-value 0.01 --checkpoint-interval 2s --checkpoint-dir "file://$work/checkpoints-$tag" 2>&1)" \
    || { echo "$out" >&2; die "submit $tag"; }
  echo "$out" | sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' | head -1
}

wait_until() { # seconds description command... : polls every second
  local secs="$1" what="$2"; shift 2
  for _ in $(seq 1 "$secs"); do "$@" && return 0; sleep 1; done
  die "timed out after ${secs}s waiting for $what"
}
is_running() { [ "$(job_state "$1")" = RUNNING ]; }
has_checkpoint_after() { [ "$(checkpoints "$1")" -gt "$2" ]; }

# Reads both output topics of a run until the reports cover all 12 windows and nothing changed over two
# polls (more than two checkpoint intervals apart): the committed output is complete.
wait_outputs() { # tag
  local tag="$1" prev="" now
  for _ in $(seq 1 40); do
    "$kafka" consume "alerts-$tag" "$work/alerts-$tag.jsonl" > /dev/null
    "$kafka" consume "reports-$tag" "$work/reports-$tag.jsonl" > /dev/null
    now="$(wc -l < "$work/alerts-$tag.jsonl") $(wc -l < "$work/reports-$tag.jsonl")"
    if [ "${now#* }" -ge 12 ] && [ "$now" = "$prev" ]; then return 0; fi
    prev="$now"; sleep 5
  done
  die "run $tag: outputs did not reach 12 reports and settle (alerts reports: $now)"
}

# Run A: undisturbed, on the complete events topic. Sets jobA and restartsA.
run_undisturbed() {
  jobA="$(submit A)"; [ -n "$jobA" ] || die "no job id for run A"
  log "run A (undisturbed) submitted: job $jobA"
  wait_until 120 "run A RUNNING" is_running "$jobA"
  wait_outputs A
  restartsA="$(restarts "$jobA")"
  "$cluster" cancel "$jobA"
}

# Compares runs A and B's committed alerts and reports byte for byte; sets status=1 when they differ.
compare_outputs() {
  local t a b
  for t in alerts reports; do
    a="$work/$t-A.jsonl"; b="$work/$t-B.jsonl"
    if cmp -s "$a" "$b"; then
      echo "  $t: A $(wc -l < "$a") records, B $(wc -l < "$b") records: EQUAL"
    else
      status=1
      echo "  $t: A $(wc -l < "$a") records, B $(wc -l < "$b") records: DIFFERENT"
      echo "    duplicated in B: $(sort "$b" | uniq -d | wc -l), only in A: $(comm -23 <(sort "$a") <(sort "$b") | wc -l), only in B: $(comm -13 <(sort "$a") <(sort "$b") | wc -l)"
      diff "$a" "$b" | head -20 | sed 's/^/    /'
    fi
  done
}
