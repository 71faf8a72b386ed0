#!/usr/bin/env bash
# Where the CPU of a skopeo push and pull goes: CPU seconds (user + system, from /proc) used by
# skopeo, registry-api (per thread group: event loop, workers, JIT, GC, ...) and S3Proxy for
# one copy of a one-layer image of random bytes, against a running ./berth up, logged in as a
# robot of a throw-away project (lib.sh). Warm-up copies
# run first, so the JIT has settled. Used for the analysis in docs/benchmarks.md.
#
# usage: bench/cpu-split.sh [layer-MiB] [warm-up copies]     (defaults: 256 MiB, 3)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIB=${1:-256}
WARM=${2:-3}
bench_project skopeo umoci

random_image "$MIB"

API_PID=$(head -n 1 "$BERTH_RUN/registry-api.pid")
S3_PID=$(head -n 1 "$BERTH_RUN/s3.pid")
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
threads() { # pid -> "group ticks" lines, thread names with their numbers stripped
  for t in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr ' ' '_' < "$t/comm")" "$(awk '{print $14 + $15}' "$t/stat")"
  done | awk '{sub(/[-#]?[0-9]+$/, "", $1); a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
push() { rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
  skopeo --insecure-policy copy -q --dest-tls-verify=false --dest-creds "$BENCH_CREDS" "oci:$WORK/img:1.0" \
    "docker://$BERTH/$PROJECT/app$1:1.0"; }
pull() { rm -rf "$WORK/out"
  skopeo --insecure-policy copy -q --src-tls-verify=false --src-creds "$BENCH_CREDS" \
    "docker://$BERTH/$PROJECT/app$1:1.0" "oci:$WORK/out:1.0"; }

for ((i = 1; i <= WARM; i++)); do push "w$i"; pull "w$i"; done
HZ=$(getconf CLK_TCK)
for op in push pull; do
  sync # the measured copy starts with a clean page cache, as in skopeo-compare.sh
  threads "$API_PID" > "$WORK/before"
  threads "$S3_PID" > "$WORK/s3-before"
  a0=$(ticks "$API_PID") s0=$(ticks "$S3_PID") t0=$(date +%s.%N)
  # The robot's name holds a '$': it reaches the inner shell through the environment, unexpanded.
  /usr/bin/time -f '%U %S' -o "$WORK/skopeo.time" env WORK="$WORK" BERTH="$BERTH" PROJECT="$PROJECT" \
    BENCH_CREDS="$BENCH_CREDS" bash -c "$(declare -f push pull); $op measured"
  t1=$(date +%s.%N) a1=$(ticks "$API_PID") s1=$(ticks "$S3_PID")
  threads "$API_PID" > "$WORK/after"
  threads "$S3_PID" > "$WORK/s3-after"
  printf '%s of %s MiB: %.2f s wall\n' "$op" "$MIB" "$(echo "$t1 - $t0" | bc)"
  printf '  %-26s %6.2f CPU-s\n' skopeo "$(awk '{print $1 + $2}' "$WORK/skopeo.time")"
  printf '  %-26s %6.2f CPU-s\n' registry-api "$(echo "($a1 - $a0) / $HZ" | bc -l)"
  join "$WORK/before" "$WORK/after" | awk -v hz="$HZ" '($3 - $2) / hz >= 0.02 {printf "    %-24s %6.2f\n", $1, ($3 - $2) / hz}' | sort -k2 -rn
  printf '  %-26s %6.2f CPU-s\n' S3Proxy "$(echo "($s1 - $s0) / $HZ" | bc -l)"
  join "$WORK/s3-before" "$WORK/s3-after" | awk -v hz="$HZ" '($3 - $2) / hz >= 0.02 {printf "    %-24s %6.2f\n", $1, ($3 - $2) / hz}' | sort -k2 -rn
done
