#!/usr/bin/env bash
# Manifest GET by tag under load, berth's registry-api (a running ./berth up) beside CNCF
# distribution (Debian's docker-registry, started here on loopback on its filesystem driver and
# on its s3 driver against berth's S3Proxy): the same small image pushed to each, then wrk with
# N connections for D seconds against each, alternating, after one uncounted warm-up round.
# Every request carries credentials, as a client's do: a robot's token for berth (fetched once
# per run, as a client keeps it), Basic credentials for distribution (checked against its
# htpasswd file's bcrypt hash on every request).
# Traffic stays on 127.0.0.1 and stops by itself.
#
# usage: bench/manifest-get-compare.sh [connections] [seconds] [rounds]   (defaults: 16 10 2)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS=${1:-16}
SECONDS_EACH=${2:-10}
ROUNDS=${3:-2}
bench_setup wrk skopeo umoci

umoci init --layout "$WORK/img" && umoci new --image "$WORK/img:1.0"
for target in "${TARGETS[@]}"; do
  skopeo --insecure-policy copy -q --dest-tls-verify=false --dest-creds "$(registry_creds "$target")" \
    "oci:$WORK/img:1.0" "docker://$(registry_address "$target")/$PROJECT/app:latest"
done

run() { # target -> "requests/s p50 p99"
  local authorization
  authorization=$(registry_authorization "$1" app) || die "no credentials for $1"
  wrk_manifest_get "$(registry_address "$1")" "$CONNECTIONS" "$SECONDS_EACH" "$authorization"
}

printf '%-6s %-16s %10s %9s %9s\n' round registry 'req/s' 'p50 ms' 'p99 ms'
# A first round per registry warms it up (berth's JIT, everyone's caches) and is not shown.
for target in "${TARGETS[@]}"; do run "$target" > /dev/null; done
for ((r = 1; r <= ROUNDS; r++)); do
  for target in "${TARGETS[@]}"; do
    read -r rps p50 p99 <<< "$(run "$target")"
    printf '%-6s %-16s %10s %9s %9s\n' "$r" "$target" "$rps" "$p50" "$p99"
  done
done
echo "(manifest GET by tag, $CONNECTIONS connections, ${SECONDS_EACH}s per run, wrk -t 2)"

