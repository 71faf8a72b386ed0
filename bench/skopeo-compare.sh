#!/usr/bin/env bash
# A first side-by-side measurement until the bench module exists (issue #7): skopeo push and
# pull of a one-layer image of random bytes, against berth's registry-api (a running
# ./berth up) and CNCF distribution (Debian's docker-registry, started here on loopback twice:
# on its filesystem driver, and on its s3 driver against the same S3Proxy berth uses), each with
# credentials: berth's as a project robot, distribution's from an htpasswd file. Runs
# alternate between the registries so machine drift cancels out; warm-up rounds (JIT, caches;
# WARMUP, default 2) are shown but not counted; each line is one timed copy; the summary is
# the median per registry.
#
# usage: [WARMUP=n] bench/skopeo-compare.sh [layer-MiB] [rounds]   (defaults: 256 MiB, 3 rounds)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIB=${1:-256}
ROUNDS=${2:-3}
bench_setup skopeo umoci bc

random_image "$MIB"

# skopeo remembers where blobs live; a fresh push must not skip uploads because of it. Every
# copy also starts with no dirty pages: on these machines a write() costs more system CPU the
# more unwritten data the page cache holds (about 0.06 s per 256 MiB when it is clean, 0.65 s
# with 2 GiB dirty), so without the sync each copy pays for the rounds before it.
forget() { rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb; sync; }
# A new repository each round: a blob already linked in the target is skipped by skopeo.
push() { # target round
  forget
  timed skopeo --insecure-policy copy --dest-tls-verify=false --dest-creds "$(registry_creds "$1")" \
    "oci:$WORK/img:1.0" "docker://$(registry_address "$1")/$PROJECT/app$2:1.0"
}
pull() { # target round
  forget
  rm -rf "$WORK/out"
  timed skopeo --insecure-policy copy --src-tls-verify=false --src-creds "$(registry_creds "$1")" \
    "docker://$(registry_address "$1")/$PROJECT/app$2:1.0" "oci:$WORK/out:1.0"
}

declare -A results
WARMUP=${WARMUP:-2}
for ((r = 1 - WARMUP; r <= ROUNDS; r++)); do
  for target in "${TARGETS[@]}"; do
    p=$(push "$target" "$r") || die "push to $target failed"
    q=$(pull "$target" "$r") || die "pull from $target failed"
    if ((r <= 0)); then
      printf 'warm-up  %-16s push %6.2f s  pull %6.2f s  (not counted)\n' "$target" "$p" "$q"
      continue
    fi
    printf 'round %d  %-16s push %6.2f s  pull %6.2f s\n' "$r" "$target" "$p" "$q"
    results[$target.push]+="$p "
    results[$target.pull]+="$q "
  done
done

echo
printf '%-6s %-9s %9s %17s %17s\n' op layer berth distribution-fs distribution-s3
for op in push pull; do
  b=$(median "${results[berth.$op]}")
  f=$(median "${results[distribution-fs.$op]}")
  s3=$(median "${results[distribution-s3.$op]}")
  printf '%-6s %-9s %8.2fs %8.2fs (%4.2fx) %8.2fs (%4.2fx)\n' "$op" "${MIB} MiB" "$b" \
    "$f" "$(echo "$f / $b" | bc -l)" "$s3" "$(echo "$s3 / $b" | bc -l)"
done
echo "(median seconds; ratio = distribution time / berth time, above 1 means berth is faster)"
