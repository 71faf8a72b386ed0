#!/usr/bin/env bash
# The numbers of docs/images.md: each image's size (compressed, as pushed; uncompressed, as
# unpacked) and layers, and each service's time from `podman run` to /q/health/ready = 200 when
# started from its image with the image's JVM settings, as an extra replica beside a running
# local stack (deploy/images/run-local.sh: read-only root, user 10001, IMAGES_MEMORY, default
# 1g), and its memory in use once ready (the container's cgroup). Prints a Markdown table.
#
#   deploy/images/measure.sh [service...]     after ./berth images and with ./berth up running
#
#   IMAGES_MEASURE_PORT  first port of the replicas (default 8110; each service takes 10)
set -uo pipefail

BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../local/lib/common.sh
source "$BERTH_ROOT/deploy/local/lib/common.sh"
# shellcheck source=../local/lib/services.sh
source "$BERTH_ROOT/deploy/local/lib/services.sh"
# shellcheck source=images.sh
source "$BERTH_ROOT/deploy/images/images.sh"

(($#)) || set -- "${SERVICE_COMPONENTS[@]}"
WORK=$(mktemp -d)
ROOT=(--storage-driver vfs --root "$WORK/root" --runroot "$WORK/run")
PID=
cleanup() {
  [[ -z $PID ]] || { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }
  rm -rf "$WORK"
}
trap cleanup EXIT

blob() { cat "$IMAGES_LAYOUT/blobs/sha256/${1#sha256:}"; }
mib() { awk -v b="$1" 'BEGIN {printf "%.0f", b / 1048576}'; }

echo "| service | compressed MiB | uncompressed MiB | layers (MiB compressed) | ready after | memory when ready |"
echo "|---|---:|---:|---|---:|---:|"
port=${IMAGES_MEASURE_PORT:-8110}
for svc in "$@"; do
  manifest=$(jq -r --arg r "$svc" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' \
    "$IMAGES_LAYOUT/index.json")
  [[ -n $manifest ]] || die "no image of $svc in $IMAGES_LAYOUT; run ./berth images"
  compressed=0 uncompressed=0 layers=()
  while read -r digest size; do
    compressed=$((compressed + size))
    uncompressed=$((uncompressed + $(blob "$digest" | gzip -dc | wc -c)))
    layers+=("$(mib "$size")")
  done < <(blob "$manifest" | jq -r '.layers[] | "\(.digest) \(.size)"')
  skopeo --insecure-policy copy -q "oci:$IMAGES_LAYOUT:$svc" "containers-storage:[vfs@$WORK/root+$WORK/run]localhost/berth/$svc:measure" ||
    die "could not load $svc into podman's storage"
  health=$port
  [[ $svc == gateway ]] && health=$((port + 2))
  start=$(date +%s%N)
  PODMAN_OPTS="${ROOT[*]}" "$BERTH_ROOT/deploy/images/run-local.sh" "$svc" "localhost/berth/$svc:measure" "$port" \
    > "$WORK/$svc.log" 2>&1 &
  PID=$!
  ready=
  while kill -0 "$PID" 2>/dev/null && (( ($(date +%s%N) - start) / 1000000000 < 180 )); do
    if [[ $(http_status "http://127.0.0.1:$health/q/health/ready") == 200 ]]; then
      ready=$(awk -v n="$(( $(date +%s%N) - start ))" 'BEGIN {printf "%.1f s", n / 1e9}')
      break
    fi
    sleep 0.2
  done
  memory=$(podman "${ROOT[@]}" --runtime runc --cgroup-manager cgroupfs stats --no-stream --format '{{.MemUsage}}' \
    "berth-image-$svc-$port" 2>/dev/null | cut -d/ -f1)
  [[ -n $ready ]] || { ready="not ready"; tail -n 5 "$WORK/$svc.log" >&2; }
  echo "| $svc | $(mib $compressed) | $(mib $uncompressed) | $(printf '%s + ' "${layers[@]}" | sed 's/ + $//') | $ready | ${memory:-?} |"
  kill -TERM "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  PID=
  podman "${ROOT[@]}" rmi -f "localhost/berth/$svc:measure" > /dev/null 2>&1
  port=$((port + 10))
done
