#!/usr/bin/env bash
# The container images (issue #24, docs/images.md, ADR 0041) against a running stack: ./berth
# images builds the six, a second build gives the same digests, the layers and the config are
# as documented, ./berth images --push puts them into this berth through the gateway with a
# login, they come back with the same digests and their SBOM as a referrer, and registry-api's
# image runs for real (podman, read-only root, user 10001, 1 GiB) beside the stack and serves
# a pull with a token. Run by ./berth test after the other end-to-end suites; about 4 minutes
# on 2 cores with the base cached, 5 without. Stops what it started, by PID.
#
#   IMAGES_PORT        the extra registry-api's port (default 8096)
#   IMAGES_FULL_CHECK  1: also rebuild the Debian base and expect the same layer
set -uo pipefail

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../../deploy/local/lib/services.sh
source "$BERTH_ROOT/deploy/local/lib/services.sh"
# shellcheck source=../../deploy/images/images.sh
source "$BERTH_ROOT/deploy/images/images.sh"

RUN_PID=
images_cleanup() {
  if [[ -n $RUN_PID ]]; then kill -TERM "$RUN_PID" 2>/dev/null && wait "$RUN_PID" 2>/dev/null; fi
  "${PODMAN[@]}" rm -f "berth-image-registry-api-$PORT" > /dev/null 2>&1
  rm -rf "$WORK"
}
trap images_cleanup EXIT

PORT=${IMAGES_PORT:-8096}
GATEWAY=127.0.0.1:$GATEWAY_PORT
CREDS=admin:$BERTH_ADMIN_PASSWORD
VERSION=$(images_version)
INDEX=$IMAGES_LAYOUT/index.json
PODMAN=(podman --storage-driver vfs --root "$WORK/podman-root" --runroot "$WORK/podman-run" --runtime runc --cgroup-manager cgroupfs)

# ref -> manifest digest, one "ref digest" line each, from the layout's index.json
digests() { jq -r '.manifests[] | .annotations["org.opencontainers.image.ref.name"] + " " + .digest' "$INDEX" | sort; }
blob() { cat "$IMAGES_LAYOUT/blobs/sha256/${1#sha256:}"; }
manifest_of() { blob "$(digests | awk -v r="$1" '$1 == r {print $2}')"; }
config_of() { blob "$(manifest_of "$1" | jq -r .config.digest)"; }

say "the container images: built, pushed into this berth, pulled back and run (tests/e2e/images.sh)"
require_packages podman runc skopeo jq unzip mmdebstrap
start=$SECONDS
# From the jars ./berth test's Maven run built (their entries carry that build's time); the
# layers must still be the same twice. ./berth images alone rebuilds them with fixed times.
BUILD=(--no-build)
for s in "${SERVICE_COMPONENTS[@]}"; do [[ -f $(service_jar "$s") ]] || BUILD=(); done
check "./berth images builds the six images" "$BERTH" images "${BUILD[@]}"
digests > "$WORK/first"
check "... one image and one SBOM artifact per service in the OCI layout" test "$(wc -l < "$WORK/first")" = 12

# The service layers again from the same jars, into an empty layout (the base from its cache).
rebuild() {
  rm -rf "$IMAGES_LAYOUT"
  "$BERTH" images --no-build "$@" > /dev/null && digests > "$WORK/second" && diff "$WORK/first" "$WORK/second"
}
check "a second build from the same commit gives the same manifests, configs and layers" rebuild
if [[ ${IMAGES_FULL_CHECK:-0} == 1 ]]; then
  check "... and so does a build of the base from scratch (IMAGES_FULL_CHECK)" rebuild --rebuild-base
fi

EPOCH=$(images_epoch)
layer_entries_fixed() { # every entry of registry-api's app layer: owner 0/0, the commit's time
  local layer bad
  layer=$(manifest_of registry-api | jq -r '.layers[2].digest')
  blob "$layer" | gzip -dc | tar -tv --numeric-owner --full-time > "$WORK/entries" || return 1
  bad=$(grep -v " 0/0 .* $(date -u -d "@$EPOCH" '+%Y-%m-%d %H:%M:%S') " "$WORK/entries")
  [[ -z $bad && -s $WORK/entries ]] || { echo "$bad" | head; return 1; }
  blob "$layer" | gzip -dc | tar -t | grep -q '^opt/berth/quarkus-run.jar$' &&
    ! blob "$layer" | gzip -dc | grep -a -q -E '[0-9]+ (atime|ctime)='
}
check "the layers' entries are owned by 0:0, carry the commit's time and no atime/ctime" layer_entries_fixed

no_shell() { # the base holds no shell and no package manager
  local base
  base=$(manifest_of registry-api | jq -r '.layers[0].digest')
  blob "$base" | gzip -dc | tar -t > "$WORK/base-entries" || return 1
  grep -q 'usr/lib/jvm/java-17-openjdk-amd64/bin/java$' "$WORK/base-entries" &&
    ! grep -E '(^|/)(s?bin)/(sh|bash|dash|apt|apt-get|dpkg)$' "$WORK/base-entries"
}
check "the base holds the JRE, and no shell, apt or dpkg" no_shell

config_as_documented() { # service
  config_of "$1" > "$WORK/config.json"
  jq -e --arg v "$VERSION" --arg r "$(images_revision)" --arg c "$(iso_time "$EPOCH")" --arg java "$IMAGE_JAVA" '
    .config.User == "10001:10001" and .config.WorkingDir == "/opt/berth"
    and .config.Entrypoint[0] == $java and .config.Entrypoint[-2:] == ["-jar", "/opt/berth/quarkus-run.jar"]
    and (.config.Entrypoint | index("-XX:+UseG1GC") != null and index("-XX:MaxRAMPercentage=75") != null
         and index("-Djava.io.tmpdir=/tmp") != null and index("-Dio.netty.tryReflectionSetAccessible=true") != null)
    and (.config.Cmd == null) and .created == $c
    and .config.Labels["org.opencontainers.image.version"] == $v
    and .config.Labels["org.opencontainers.image.revision"] == $r
    and .config.Labels["org.opencontainers.image.created"] == $c
    and (.config.Labels | has("org.opencontainers.image.source") and has("org.opencontainers.image.title")
         and has("org.opencontainers.image.licenses") and has("org.opencontainers.image.description"))
    and (.rootfs.diff_ids | length) == 3' "$WORK/config.json"
}
check "registry-api's config: user 10001, exec-form entrypoint with the JVM flags, labels" config_as_documented registry-api
check "... the gateway's too, exposing 5000, 5443 and 9580" bash -c \
  'jq -e ".config.ExposedPorts | keys == [\"5000/tcp\", \"5443/tcp\", \"9580/tcp\"]" <<< "$1"' _ "$(config_of gateway)"
check "... the services share the base layer" test "$(for s in "${SERVICE_COMPONENTS[@]}"; do
  manifest_of "$s" | jq -r '.layers[0].digest'; done | sort -u | wc -l)" = 1
sbom_lists_both() {
  jq -e '[.components[] | select(.purl // "" | startswith("pkg:deb/debian/openjdk-17-jre-headless@"))] | length == 1' "$1" &&
    jq -e '[.components[] | select(.purl // "" | startswith("pkg:maven/io.quarkus/quarkus-core@"))] | length == 1' "$1" &&
    jq -e '[.components[] | select(.purl == null and .type == "library")] | length == 0' "$1"
}
check "registry-api's SBOM lists the JRE's Debian package and Quarkus's jars, each with a purl" \
  sbom_lists_both "$IMAGES_DIR/sbom/registry-api.cdx.json"

check "./berth images --push pushes the six through the gateway with a login" "$BERTH" images --push --no-build
pulled_back_same() {
  local s want got
  for s in "${SERVICE_COMPONENTS[@]}"; do
    want=$(digests | awk -v r="$s" '$1 == r {print $2}')
    got=sha256:$(skopeo inspect --raw --tls-verify=false --creds "$CREDS" "docker://$GATEWAY/berth/$s:$VERSION" | sha256sum | cut -d' ' -f1)
    echo "$s: built $want, served $got"
    [[ $want == "$got" ]] || return 1
  done
}
check "... each comes back from berth/<service>:$VERSION with the digest it was built with" pulled_back_same
pulled_config_same() {
  skopeo --insecure-policy copy -q --src-tls-verify=false --src-creds "$CREDS" \
    "docker://$GATEWAY/berth/gc:$VERSION" "oci:$WORK/back:gc" &&
    diff <(config_of gc | jq -S .) <(skopeo inspect --config "oci:$WORK/back:gc" | jq -S .)
}
check "... and a pulled copy has the same config, labels and all" pulled_config_same
sbom_referrer() {
  local image sbom
  image=$(digests | awk '$1 == "registry-api" {print $2}')
  sbom=$(digests | awk '$1 == "registry-api-sbom" {print $2}')
  curl -sf -u "$CREDS" "http://$GATEWAY/v2/berth/registry-api/referrers/$image?artifactType=${MT_CYCLONEDX/+/%2B}" > "$WORK/referrers" &&
    jq -e --arg d "$sbom" '.manifests | map(select(.digest == $d and .artifactType == "application/vnd.cyclonedx+json")) | length == 1' \
      "$WORK/referrers"
}
check "the referrers API lists the image's SBOM" sbom_referrer

# ---------------------------------------------------------------- the image, running
IMAGE=$GATEWAY/berth/registry-api:$VERSION
check "podman pulls registry-api's image from berth" "${PODMAN[@]}" pull -q --tls-verify=false --creds "$CREDS" "$IMAGE"
PODMAN_OPTS="--storage-driver vfs --root $WORK/podman-root --runroot $WORK/podman-run" \
  "$BERTH_ROOT/deploy/images/run-local.sh" registry-api "$IMAGE" "$PORT" > "$WORK/run.log" 2>&1 &
RUN_PID=$!
ready_from_image() {
  local t=$SECONDS
  until [[ $(http_status "http://127.0.0.1:$PORT/q/health/ready") == 200 ]]; do
    kill -0 "$RUN_PID" 2>/dev/null || { tail -n 20 "$WORK/run.log"; return 1; }
    ((SECONDS - t < 120)) || { tail -n 20 "$WORK/run.log"; return 1; }
    sleep 0.5
  done
  echo "ready in $((SECONDS - t)) s"
}
check "registry-api runs from its image (read-only root, /tmp tmpfs, user 10001, 1 GiB) and becomes ready" ready_from_image
check "... as user 10001 with nothing but /tmp writable" bash -c '
  "${@:2}" exec "berth-image-registry-api-$1" /usr/lib/jvm/java-17-openjdk-amd64/bin/java -XshowSettings:properties -version 2>&1 |
    grep -q "user.name = berth" &&
  "${@:2}" inspect -f "{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}" "berth-image-registry-api-$1" | grep -qx "true 10001:10001"' \
  _ "$PORT" "${PODMAN[@]}"
check "... and serves a pull of an image with a token from the stack's auth" skopeo --insecure-policy copy -q \
  --src-tls-verify=false --src-creds "$CREDS" "docker://127.0.0.1:$PORT/berth/gc:$VERSION" "oci:$WORK/from-container:gc"
check "... the same image as through the gateway" diff <(skopeo inspect --raw "oci:$WORK/from-container:gc") <(manifest_of gc)
kill -TERM "$RUN_PID" 2>/dev/null && wait "$RUN_PID" 2>/dev/null
RUN_PID=
check "... and it stops on SIGTERM" bash -c '! "${@:2}" container exists "berth-image-registry-api-$1"' _ "$PORT" "${PODMAN[@]}"

echo "images suite took $((SECONDS - start)) s"
summary images
