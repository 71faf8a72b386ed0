#!/usr/bin/env bash
# bench/pull-wakeups.sh [seconds]: where a pull's CPU goes, berth beside distribution.
#
# Pushes one 100 MiB blob into registry-api and into distribution on its s3 driver (the same
# S3Proxy), then pulls it with two curl loops for <seconds> from each (and from registry-api
# through the gateway), and prints per pull the registry process's CPU seconds (and of them the
# user part) and its threads' context switches (voluntary and not, from /proc), and S3Proxy's
# CPU. The gateway line reads the gateway's process. berth is reached with a token of a
# throw-away project's robot, distribution (htpasswd) with Basic credentials, whose bcrypt check
# is in its CPU per pull. Needs a running ./berth up. Issue #7's
# large pulls are explained with it in docs/benchmarks.md.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECONDS_EACH=${1:-12}

bench_project
start_distributions
head -c $((100 * 1024 * 1024)) /dev/urandom > "$WORK/blob"
DIGEST=sha256:$(sha256sum "$WORK/blob" | cut -d' ' -f1)

push_blob() { # target repository
  local location url authorization address
  address=$(registry_address "$1")
  authorization=$(registry_authorization "$1" "${2#"$PROJECT"/}") || die "no credentials for $1"
  location=$(curl -s -D - -o /dev/null -X POST -H "Authorization: $authorization" "http://$address/v2/$2/blobs/uploads/" |
    awk -F': ' 'tolower($1) == "location" {print $2}' | tr -d '\r')
  [[ $location == http* ]] || location=http://$address$location
  case $location in *\?*) url="$location&digest=$DIGEST" ;; *) url="$location?digest=$DIGEST" ;; esac
  [[ $(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' \
    -H "Authorization: $authorization" --data-binary @"$WORK/blob" "$url") == 201 ]] || die "could not push the blob to $1"
}
uticks() { awk '{print $14}' /proc/"$1"/stat; }
switches() { cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }
pull_loop() { # url file authorization
  local end=$((SECONDS + SECONDS_EACH)) n=0
  while ((SECONDS < end)); do curl -sf -o /dev/null -H "Authorization: $3" "$1" || die "a pull of $1 failed"; n=$((n + 1)); done
  echo "$n" > "$2"
}

measure() { # name address pid target (berth, gateway or distribution-s3: whose credentials)
  local url=http://$2/v2/$PROJECT/b/blobs/$DIGEST s3 c0 t0 s0 p1 p2 pulls authorization
  s3=$(component_pid s3)
  authorization=$(registry_authorization "$4" b) || die "no credentials for $4"
  curl -sf -o /dev/null -H "Authorization: $authorization" "$url" || die "could not pull from $2" # warm
  sync
  c0=$(switches "$3") t0=$(ticks "$3") u0=$(uticks "$3") s0=$(ticks "$s3")
  pull_loop "$url" "$WORK/$1.1" "$authorization" & p1=$!
  pull_loop "$url" "$WORK/$1.2" "$authorization" & p2=$!
  wait "$p1" "$p2"
  pulls=$(($(cat "$WORK/$1.1") + $(cat "$WORK/$1.2")))
  awk -v n="$1" -v p="$pulls" -v s="$(($(switches "$3") - c0))" -v t="$(($(ticks "$3") - t0))" \
    -v s3="$(($(ticks "$s3") - s0))" -v u="$(($(uticks "$3") - u0))" -v sec="$SECONDS_EACH" 'BEGIN {
      printf "%-16s %5d pulls (%4.0f MB/s)  per pull: %6.0f context switches, %.3f CPU-s (user %.3f), S3Proxy %.3f CPU-s\n",
        n, p, p * 104.8576 / sec, s / p, t / 100 / p, u / 100 / p, s3 / 100 / p }'
}

push_blob berth "$PROJECT/b"
push_blob distribution-s3 "$PROJECT/b"
measure berth "$BERTH" "$(component_pid registry-api)" berth
measure gateway "127.0.0.1:$GATEWAY_PORT" "$(component_pid gateway)" gateway
measure distribution "$DIST_S3" "${DIST_PIDS[1]}" distribution-s3
