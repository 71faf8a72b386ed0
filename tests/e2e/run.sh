#!/usr/bin/env bash
# End-to-end tests with real clients from Debian (skopeo, umoci, podman) against a running
# stack. Run by ./berth test after the stack tests. Images are built offline with umoci, with
# random (incompressible) layers, pushed and pulled in OCI and Docker v2s2 formats.
#
# Until the gateway routes /v2 (issue #5) and auth issues tokens (issue #4), the clients talk
# to registry-api directly and the test project is created in PostgreSQL.
set -uo pipefail

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
trap 'rm -rf "$WORK"' EXIT

REGISTRY=127.0.0.1:$REGISTRY_API_PORT
PROJECT="e2e-$(date +%s)-$RANDOM"

# An OCI layout with one image of $2 random layers of $3 KiB each, built offline with umoci.
build_image() { # layout layers kib
  local layout=$1 layers=$2 kib=$3 i
  umoci init --layout "$layout" && umoci new --image "$layout:1.0" || return 1
  # One unpack per layer: repacking the same bundle twice would fold everything into one layer.
  for ((i = 1; i <= layers; i++)); do
    umoci unpack --image "$layout:1.0" "$WORK/bundle" > /dev/null || return 1
    head -c "$((kib * 1024))" /dev/urandom > "$WORK/bundle/rootfs/layer-$i.bin"
    umoci repack --image "$layout:1.0" "$WORK/bundle" || return 1
    rm -rf "$WORK/bundle"
  done
}

skopeo_() { skopeo --insecure-policy "$@"; }

# The layer digests of an image, one per line, as the registry serves them.
remote_layers() { skopeo_ inspect --tls-verify=false --raw "docker://$REGISTRY/$1" | grep -o 'sha256:[0-9a-f]\{64\}' | sort -u; }
local_layers() { skopeo_ inspect --raw "oci:$1" | grep -o 'sha256:[0-9a-f]\{64\}' | sort -u; }

same_content() { # oci-ref-a oci-ref-b: same layers and config after a round trip
  diff <(local_layers "$1") <(local_layers "$2")
}

check "the registry answers /v2/" test "$(http_status "http://$REGISTRY/v2/")" = 200
check "create project $PROJECT" psql_berth "INSERT INTO projects (name) VALUES ('$PROJECT')"

build_image "$WORK/oci" 3 2048
check "umoci built a 3-layer OCI image offline" \
  test "$(skopeo inspect --format '{{len .Layers}}' "oci:$WORK/oci:1.0" 2>/dev/null)" = 3

check "skopeo pushes an OCI image" skopeo_ copy --dest-tls-verify=false \
  "oci:$WORK/oci:1.0" "docker://$REGISTRY/$PROJECT/app/oci:1.0"
check "... and pulls it back unchanged" bash -c '
  skopeo --insecure-policy copy --src-tls-verify=false "docker://$0/$1/app/oci:1.0" "oci:$2/back:1.0" &&
  diff <(skopeo inspect --raw "oci:$3/oci:1.0") <(skopeo inspect --raw "oci:$2/back:1.0")' \
  "$REGISTRY" "$PROJECT" "$WORK" "$WORK"

blob_objects() { find "$BERTH_DATA/s3/$S3_BUCKET/blobs" -type f 2>/dev/null | wc -l; }
OBJECTS_AFTER_OCI=$(blob_objects)
check "skopeo pushes the same image as Docker v2s2" skopeo_ copy --dest-tls-verify=false \
  --format v2s2 "oci:$WORK/oci:1.0" "docker://$REGISTRY/$PROJECT/app/docker:1.0"
check "... served with the Docker media type" bash -c \
  'skopeo inspect --tls-verify=false --raw "docker://$0" | grep -q "application/vnd.docker.distribution.manifest.v2+json"' \
  "$REGISTRY/$PROJECT/app/docker:1.0"
check "... and pulls back with the same layers" bash -c '
  skopeo --insecure-policy copy --src-tls-verify=false "docker://$0" "oci:$1/back2:1.0" &&
  diff <(skopeo inspect --format "{{range .Layers}}{{.}} {{end}}" "oci:$1/oci:1.0") \
       <(skopeo inspect --format "{{range .Layers}}{{.}} {{end}}" "oci:$1/back2:1.0")' \
  "$REGISTRY/$PROJECT/app/docker:1.0" "$WORK"
OBJECTS_AFTER_DOCKER=$(blob_objects)

# Both repositories link the same layer digests, and the object store gained no object for the
# second push: the bytes were uploaded again, found stored, and dropped.
check "the layers pushed twice (OCI and v2s2) are linked twice and stored once" test \
  "$(psql_berth "SELECT count(*) FROM repository_blobs rb JOIN repositories r ON r.id = rb.repository_id
     WHERE r.name IN ('$PROJECT/app/oci', '$PROJECT/app/docker') GROUP BY rb.digest HAVING count(*) = 2" | wc -l)" \
  -ge 3 -a "$OBJECTS_AFTER_OCI" = "$OBJECTS_AFTER_DOCKER"

check "tags/list names the tag" bash -c 'curl -sf "http://$0/v2/$1/app/oci/tags/list" | grep -q "\"1.0\""' \
  "$REGISTRY" "$PROJECT"

PODMAN=(podman --storage-driver vfs --root "$WORK/podman-root" --runroot "$WORK/podman-run")
check "podman pulls the image" "${PODMAN[@]}" pull --tls-verify=false "$REGISTRY/$PROJECT/app/oci:1.0"
check "podman pushes it under a new tag" "${PODMAN[@]}" push --tls-verify=false \
  "$REGISTRY/$PROJECT/app/oci:1.0" "docker://$REGISTRY/$PROJECT/app/podman:2.0"
check "... which skopeo can inspect" skopeo_ inspect --tls-verify=false "docker://$REGISTRY/$PROJECT/app/podman:2.0"

# Repositories, manifests, tags and links go with the project; unreferenced blobs stay until gc exists.
psql_berth "DELETE FROM projects WHERE name = '$PROJECT'" > /dev/null

summary e2e
