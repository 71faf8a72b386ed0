#!/usr/bin/env bash
# Where the CPU of a skopeo push and pull goes: CPU seconds (user + system, from /proc) used by
# skopeo, registry-api (per thread group: event loop, workers, JIT, GC, ...) and S3Proxy for
# one copy of a one-layer image of random bytes, against a running ./berth up. Warm-up copies
# run first, so the JIT has settled. Used for the analysis in docs/benchmarks.md.
#
# usage: bench/cpu-split.sh [layer-MiB] [warm-up copies]     (defaults: 256 MiB, 3)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIB=${1:-256}
WARM=${2:-3}
for tool in skopeo umoci; do command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y $tool)"; done
[[ $(http_status "http://$BERTH/q/health/ready") == 200 ]] || die "registry-api is not ready; run ./berth up"
trap bench_cleanup EXIT
bench_psql "INSERT INTO projects (name) VALUES ('$PROJECT')"

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
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$WORK/img:1.0" "docker://$BERTH/$PROJECT/app$1:1.0"; }
pull() { rm -rf "$WORK/out"
  skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$BERTH/$PROJECT/app$1:1.0" "oci:$WORK/out:1.0"; }

for ((i = 1; i <= WARM; i++)); do push "w$i"; pull "w$i"; done
HZ=$(getconf CLK_TCK)
for op in push pull; do
  sync # the measured copy starts with a clean page cache, as in skopeo-compare.sh
  threads "$API_PID" > "$WORK/before"
  threads "$S3_PID" > "$WORK/s3-before"
  a0=$(ticks "$API_PID") s0=$(ticks "$S3_PID") t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$WORK/skopeo.time" bash -c "$(declare -f push pull); WORK=$WORK BERTH=$BERTH PROJECT=$PROJECT $op measured"
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
