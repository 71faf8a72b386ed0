#!/usr/bin/env bash
# What the gateway's hop costs (issue #5): the same requests to registry-api directly and
# through the gateway (a running ./berth up), alternating so machine drift cancels out.
# - blob throughput: a monolithic push (POST, then PUT with the body and its digest) and a pull
#   (GET) of one blob of random bytes with curl, each timed; MB/s from the median time;
# - manifest GET by tag: wrk with N connections for D seconds; requests/s and p50/p99.
# Also the gateway's CPU seconds per blob transfer, from /proc, beside the times. Every request
# carries a token of a throw-away project's robot (lib.sh), fetched before the timed requests.
# Traffic stays on 127.0.0.1 and stops by itself.
#
# usage: bench/gateway-hop.sh [blob-MiB] [rounds] [connections] [seconds]   (defaults: 256 5 16 10)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIB=${1:-256}
ROUNDS=${2:-5}
CONNECTIONS=${3:-16}
SECONDS_EACH=${4:-10}
DIRECT=127.0.0.1:$REGISTRY_API_PORT
GATEWAY=127.0.0.1:$GATEWAY_PORT
# No distribution here: only the project, its robot and the scratch directory of lib.sh, removed on exit.
bench_project curl wrk skopeo umoci bc
registry_answers "$GATEWAY" || die "the gateway does not answer on $GATEWAY; run ./berth up"

head -c $((MIB * 1024 * 1024)) /dev/urandom > "$WORK/blob"
DIGEST="sha256:$(sha256sum "$WORK/blob" | cut -d' ' -f1)"

# A new repository each round, so that the blob is stored again rather than found linked.
# Both take the Authorization value in AUTHZ (a token for the round's repository).
push() { # address repo
  local location sep='?'
  location=$(curl -sf -X POST -o /dev/null -w '%header{location}' -H "Authorization: $AUTHZ" \
    "http://$1/v2/$PROJECT/$2/blobs/uploads/")
  [[ $location == *\?* ]] && sep='&'
  [[ $(curl -s -X PUT -o /dev/null -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
    -H "Authorization: $AUTHZ" -T "$WORK/blob" "http://$1$location${sep}digest=$DIGEST") == 201 ]]
}
pull() { curl -sf -o /dev/null -H "Authorization: $AUTHZ" "http://$1/v2/$PROJECT/$2/blobs/$DIGEST"; }

GATEWAY_PID=$(component_pid gateway) || die "the gateway is not running; run ./berth up"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$GATEWAY_PID/stat"; }
TICKS=$(getconf CLK_TCK)
declare -A results
for ((r = 0; r <= ROUNDS; r++)); do
  for target in direct gateway; do
    addr=$DIRECT
    [[ $target == gateway ]] && addr=$GATEWAY
    AUTHZ=$(registry_authorization berth "$target$r") || die "no token for the robot"
    sync
    c0=$(cpu_ticks)
    p=$(timed push "$addr" "$target$r") || die "push through $target failed"
    c1=$(cpu_ticks)
    q=$(timed pull "$addr" "$target$r") || die "pull through $target failed"
    c2=$(cpu_ticks)
    if [[ $target == gateway ]] && ((r > 0)); then
      results[cpu.push]+="$(echo "($c1 - $c0) / $TICKS" | bc -l) "
      results[cpu.pull]+="$(echo "($c2 - $c1) / $TICKS" | bc -l) "
    fi
    if ((r == 0)); then
      printf 'warm-up  %-8s push %6.3f s  pull %6.3f s  (not counted)\n' "$target" "$p" "$q"
      continue
    fi
    printf 'round %d  %-8s push %6.3f s  pull %6.3f s\n' "$r" "$target" "$p" "$q"
    results[$target.push]+="$p "
    results[$target.pull]+="$q "
  done
done

# A small image for the manifest GETs.
umoci init --layout "$WORK/img" > /dev/null && umoci new --image "$WORK/img:1.0" > /dev/null
skopeo --insecure-policy copy -q --dest-tls-verify=false --dest-creds "$BENCH_CREDS" "oci:$WORK/img:1.0" \
  "docker://$DIRECT/$PROJECT/app:latest"
wrk_run() { # address -> "requests/s p50 p99", with a token fetched for the run
  local authorization
  authorization=$(registry_authorization berth app) || die "no token for the robot"
  wrk_manifest_get "$1" "$CONNECTIONS" "$SECONDS_EACH" "$authorization"
}
wrk_run "$DIRECT" > /dev/null
wrk_run "$GATEWAY" > /dev/null
echo
printf '%-6s %-8s %10s %9s %9s\n' round path 'req/s' 'p50 ms' 'p99 ms'
for ((r = 1; r <= 2; r++)); do
  for target in direct gateway; do
    addr=$DIRECT
    [[ $target == gateway ]] && addr=$GATEWAY
    read -r rps p50 p99 <<< "$(wrk_run "$addr")"
    printf '%-6s %-8s %10s %9s %9s\n' "$r" "$target" "$rps" "$p50" "$p99"
    results[$target.p50]+="$p50 "
  done
done

echo
mbs() { echo "$MIB * 1.048576 / $1" | bc -l; }
for op in push pull; do
  d=$(median "${results[direct.$op]}")
  g=$(median "${results[gateway.$op]}")
  # The share of throughput the hop takes: 1 - (MB/s through the gateway) / (MB/s direct).
  printf '%-5s %4d MiB  direct %7.1f MB/s  gateway %7.1f MB/s  the hop takes %5.1f%% of it (target: at most 10%%)\n' \
    "$op" "$MIB" "$(mbs "$d")" "$(mbs "$g")" "$(echo "($g - $d) / $g * 100" | bc -l)"
done
printf "the gateway's CPU per %d MiB: push %.2f s, pull %.2f s (median)\n" "$MIB" "$(median "${results[cpu.push]}")" \
  "$(median "${results[cpu.pull]}")"
d=$(median "${results[direct.p50]}")
g=$(median "${results[gateway.p50]}")
printf 'manifest GET p50  direct %.3f ms  gateway %.3f ms  hop adds %.3f ms (target: at most 1 ms)\n' "$d" "$g" \
  "$(echo "$g - $d" | bc -l)"
