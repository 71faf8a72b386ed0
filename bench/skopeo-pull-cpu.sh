#!/usr/bin/env bash
# Where the time of a skopeo pull goes, per registry: skopeo's own CPU (user, system) and the
# rest of the copy's wall time ("wait"), which is all a registry can change once skopeo is busy
# for most of the copy (docs/benchmarks.md, issue #7). Needs a running ./berth up; starts CNCF
# distribution twice (lib.sh), with htpasswd; logs in to berth as a project robot. Pushes one image of a 256 MiB layer of random bytes to each
# registry, then pulls it back into an OCI layout in rounds, A B C then C B A, each pull after
# a `sync` and with skopeo's blob-info cache deleted. One uncounted warm-up round.
#
# usage: bench/skopeo-pull-cpu.sh [rounds] [layer-MiB]   (defaults: 20 rounds, 256 MiB)
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=${1:-20}
MIB=${2:-256}
bench_setup skopeo umoci python3

random_image "$MIB"

for target in "${TARGETS[@]}"; do
  skopeo --insecure-policy copy --quiet --dest-tls-verify=false --dest-creds "$(registry_creds "$target")" \
    "oci:$WORK/img:1.0" "docker://$(registry_address "$target")/$PROJECT/app:1.0" || die "push to $target failed"
done

# One pull from a target; prints "wall user system" in seconds, from bash's own accounting of the child.
pull() {
  local TIMEFORMAT='%R %U %S'
  rm -rf "$WORK/out"
  rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
  sync
  { time skopeo --insecure-policy copy --quiet --src-tls-verify=false --src-creds "$(registry_creds "$1")" \
      "docker://$(registry_address "$1")/$PROJECT/app:1.0" "oci:$WORK/out:1.0" > /dev/null; } 2>&1
}

: > "$WORK/pulls"
for ((r = 0; r <= ROUNDS; r++)); do
  order=("${TARGETS[@]}")
  ((r % 2 == 1)) && order=("${order[2]}" "${order[1]}" "${order[0]}")
  for target in "${order[@]}"; do
    line=$(pull "$target") || die "pull from $target failed"
    ((r == 0)) && continue
    echo "$target $line" >> "$WORK/pulls"
  done
done

python3 - "$WORK/pulls" "$ROUNDS" <<'PY'
import collections, statistics as st, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, wall, user, system = line.split()
    runs[name].append((float(wall), float(user), float(system)))
print(f"{sys.argv[2]} pulls per registry; medians in seconds")
print(f"{'registry':17} {'wall':>6} {'user':>6} {'system':>7} {'cpu':>6} {'wait':>6}")
for name, v in runs.items():
    med = lambda f: st.median(f(x) for x in v)
    print(f"{name:17} {med(lambda x: x[0]):6.3f} {med(lambda x: x[1]):6.3f} {med(lambda x: x[2]):7.3f}"
          f" {med(lambda x: x[1] + x[2]):6.3f} {med(lambda x: x[0] - x[1] - x[2]):6.3f}")
PY
