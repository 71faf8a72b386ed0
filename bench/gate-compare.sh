#!/usr/bin/env bash
# The manifest GET with the pull gate off and on (issue #22): one project, the same images, the
# policy toggled between runs; berth-bench's manifest workloads against registry-api.
#
#   bench/gate-compare.sh [pairs] [rounds]     (defaults 2 and 3; WORKLOADS= picks the workloads)
#
# Each pair is a run with the gate off, then one with it on, each of <rounds> rounds of every
# workload. At the end, per workload: each run's median, the medians of the off and the on runs,
# their ratio, and the spread (lowest to highest run) on each side; HEAD is never gated, so its
# rows show what the machine's own run-to-run spread is. The summary's JSON is the last line.
# Every run is a fresh berth-bench JVM: its own JIT warms up in the first workload (GET by tag),
# alike for off and on runs, so compare ratios, not these rates with other benchmarks'.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
G=http://127.0.0.1:5000 A=admin:${BERTH_ADMIN_PASSWORD:-berth-admin} NS=gatebench-$(date +%s)
PAIRS=${1:-2} ROUNDS=${2:-3} OUT=.berth/bench
WORKLOADS=${WORKLOADS:-manifest-get-tag,manifest-get-digest,manifest-get-tag-head,manifest-get-digest-head}
mkdir -p $OUT
rm -f $OUT/gate-off*.json $OUT/gate-on*.json
# The project and what berth-bench left in it go when the script ends (gc frees the blobs later).
cleanup() {
  local r
  for r in $(curl -sf -u "$A" "$G/api/v1/projects/$NS/repositories?page_size=100" | jq -r '.[].name' 2>/dev/null); do
    curl -s -o /dev/null -u "$A" -X DELETE "$G/api/v1/projects/$NS/repositories/${r#"$NS"/}"
  done
  curl -s -o /dev/null -u "$A" -X DELETE "$G/api/v1/projects/$NS"
}
trap cleanup EXIT
curl -sf -u $A -H 'Content-Type: application/json' -d "{\"name\":\"$NS\"}" $G/api/v1/projects > /dev/null
policy() { curl -sf -u $A -X PUT -H 'Content-Type: application/json' -d "{\"vulnerabilityPolicy\": $1}" $G/api/v1/projects/$NS > /dev/null; sleep 3; }
# berth-bench's own warm-up (512 MiB of pushes and pulls, minutes on 2 cores) is skipped: the
# first, uncounted run below warms the manifest reads, gated and not.
run() { # name [rounds]
  java -jar bench/target/berth-bench.jar --target berth=http://127.0.0.1:8081 --user "berth=$A" --namespace $NS \
    --profile full --no-warm-up --rounds "${2:-$ROUNDS}" --only "$WORKLOADS" --out $OUT/gate-$1.json 2>&1 |
    grep -E "^(round|manifest-get)" || true
}
OFF='{"scanOnPush": false, "preventPull": false, "severity": "critical"}'
ON='{"scanOnPush": false, "preventPull": true, "severity": "critical", "unscanned": "allow"}'
policy "$ON"; echo "== warm-up, gate on, not counted"; run warm-up 1 > /dev/null
for ((i = 1; i <= PAIRS; i++)); do
  policy "$OFF"; echo "== gate off ($i), load $(cut -d' ' -f1-3 /proc/loadavg)"; run off$i
  policy "$ON"; echo "== gate on ($i), load $(cut -d' ' -f1-3 /proc/loadavg)"; run on$i
done
# Per workload: the runs' medians (berth-bench's value of each run), off and on.
summary=$(for f in $OUT/gate-off*.json $OUT/gate-on*.json; do
  [[ $f =~ gate-(off|on)([0-9]+)\.json$ ]] && ((BASH_REMATCH[2] <= PAIRS)) || continue
  jq -c --arg side "${BASH_REMATCH[1]}" '.workloads[] | {side: $side, name, value: .berth, rounds: .detail.berth.rounds}' "$f"
done | jq -sc --argjson pairs "$PAIRS" --argjson rounds "$ROUNDS" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  {pairs: $pairs, rounds: $rounds, loadAtEnd: $load, workloads: (group_by(.name) | map({
    name: .[0].name,
    off: [.[] | select(.side == "off") | .value], on: [.[] | select(.side == "on") | .value]}
    | . + {offMedian: (.off | median), onMedian: (.on | median)}
    | . + {ratio: ((.onMedian / .offMedian * 1000 | round) / 1000),
           offSpread: [(.off | min), (.off | max)], onSpread: [(.on | min), (.on | max)]}))}')
echo
echo "| req/s, $PAIRS pairs of $ROUNDS rounds | off: each run's median | on: each run's median | off, median (spread) | on, median (spread) | on/off |"
echo "|---|---|---|---|---|---|"
jq -r '.workloads[] | "| \(.name) | \(.off | map(round) | join(", ")) | \(.on | map(round) | join(", ")) | \(.offMedian | round) (\(.offSpread | map(round) | join("-"))) | \(.onMedian | round) (\(.onSpread | map(round) | join("-"))) | \(.ratio)x |"' <<< "$summary"
echo "$summary"
