#!/usr/bin/env bash
# A first side-by-side measurement until the bench module exists (issue #7): skopeo push and
# pull of a one-layer image of random bytes, against berth's registry-api (a running
# ./berth up) and CNCF distribution (Debian's docker-registry, started here on loopback with
# its filesystem driver). Runs alternate berth / distribution so machine drift cancels out;
# each line is one timed copy; the summary is the median per registry.
#
# usage: bench/skopeo-compare.sh [layer-MiB] [rounds]      (defaults: 256 MiB, 3 rounds)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIB=${1:-256}
ROUNDS=${2:-3}
bench_setup skopeo umoci bc

umoci init --layout "$WORK/img" && umoci new --image "$WORK/img:1.0"
umoci unpack --image "$WORK/img:1.0" "$WORK/bundle" > /dev/null
head -c $((MIB * 1024 * 1024)) /dev/urandom > "$WORK/bundle/rootfs/random.bin"
umoci repack --image "$WORK/img:1.0" "$WORK/bundle"
rm -rf "$WORK/bundle"

# skopeo remembers where blobs live; a fresh push must not skip uploads because of it.
forget() { rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb; }
timed() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1 || return 1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
# A new repository each round: a blob already linked in the target is skipped by skopeo.
push() { forget; timed skopeo --insecure-policy copy --dest-tls-verify=false "oci:$WORK/img:1.0" "docker://$1/$PROJECT/app$2:1.0"; }
pull() { forget; rm -rf "$WORK/out"; timed skopeo --insecure-policy copy --src-tls-verify=false "docker://$1/$PROJECT/app$2:1.0" "oci:$WORK/out:1.0"; }

declare -A results
for ((r = 1; r <= ROUNDS; r++)); do
  for target in berth distribution; do
    addr=$BERTH
    [[ $target == distribution ]] && addr=$DIST
    p=$(push "$addr" "$r") || die "push to $target failed"
    q=$(pull "$addr" "$r") || die "pull from $target failed"
    printf 'round %d  %-12s push %6.2f s  pull %6.2f s\n' "$r" "$target" "$p" "$q"
    results[$target.push]+="$p "
    results[$target.pull]+="$q "
  done
done

median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo
printf '%-10s %-14s %10s %14s %8s\n' op "layer" berth distribution ratio
for op in push pull; do
  b=$(median "${results[berth.$op]}")
  d=$(median "${results[distribution.$op]}")
  printf '%-10s %-14s %9.2fs %13.2fs %7.2fx\n' "$op" "${MIB} MiB" "$b" "$d" "$(echo "$d / $b" | bc -l)"
done
echo "(ratio = distribution time / berth time; above 1 means berth is faster)"

