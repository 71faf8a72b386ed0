#!/usr/bin/env bash
# End-to-end tests with real clients from Debian (skopeo, umoci, podman, buildah, docker)
# against a running stack. Run by ./berth test after the stack tests. Images are built offline
# with umoci, with random (incompressible) layers, pushed and pulled in OCI and Docker v2s2
# formats.
#
# The stack is closed, as users run it: every client logs in (or sends Basic credentials on
# /v2, as scripts do), and projects are made through auth's API. Some checks talk to
# registry-api's own port, which demands the same credentials as the gateway.
set -uo pipefail

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
DOCKERD_PID=
e2e_cleanup() {
  [[ -n $DOCKERD_PID ]] && kill "$DOCKERD_PID" 2>/dev/null && wait "$DOCKERD_PID" 2>/dev/null
  rm -rf "$WORK" /etc/docker/certs.d/127.0.0.1:"$GATEWAY_TLS_PORT"
}
trap e2e_cleanup EXIT

REGISTRY=127.0.0.1:$REGISTRY_API_PORT
GATEWAY=127.0.0.1:$GATEWAY_PORT
AUTH=http://127.0.0.1:$AUTH_PORT
ADMIN=admin:$BERTH_ADMIN_PASSWORD
STARTED_AT=$(date -u +%FT%TZ)
PROJECT="e2e-$(date +%s)-$RANDOM"

# skopeo, podman and buildah keep their logins here, not in the machine's auth file.
export REGISTRY_AUTH_FILE=$WORK/auth.json
# curl with the administrator's Basic credentials, as operators script the registry.
rcurl() { curl -u "$ADMIN" "$@"; }
# A project through auth's management API (on the gateway), as the administrator.
new_project() { # name [public]
  rcurl -sf -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"name\": \"$1\", \"public\": ${2:-false}}" "http://$GATEWAY/api/v1/projects"
}
login_admin() { skopeo login --tls-verify=false -u admin -p "$BERTH_ADMIN_PASSWORD" "$1"; } # registry

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

check "the registry answers /v2/ with 401 without credentials" test "$(http_status "http://$REGISTRY/v2/")" = 401
check "... and 200 with them" test "$(rcurl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY/v2/")" = 200
check "create project $PROJECT through the API" new_project "$PROJECT"
login_both() { login_admin "$REGISTRY" && login_admin "$GATEWAY"; }
check "skopeo logs in to registry-api and to the gateway" login_both

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
# The second push's copies are deleted just after each commit is answered: give that a moment.
for _ in {1..20}; do [[ $(blob_objects) == "$OBJECTS_AFTER_OCI" ]] && break; sleep 0.25; done
OBJECTS_AFTER_DOCKER=$(blob_objects)

# Both repositories link the same layer digests, and the object store kept no object of the
# second push: the bytes were uploaded again, found stored, and dropped.
check "the layers pushed twice (OCI and v2s2) are linked twice and stored once" test \
  "$(psql_berth "SELECT count(*) FROM repository_blobs rb JOIN repositories r ON r.id = rb.repository_id
     WHERE r.name IN ('$PROJECT/app/oci', '$PROJECT/app/docker') GROUP BY rb.digest HAVING count(*) = 2" | wc -l)" \
  -ge 3 -a "$OBJECTS_AFTER_OCI" = "$OBJECTS_AFTER_DOCKER"

tags_with_basic() { # repository tag: curl -u lists the tag (the status and body are shown if not)
  local status
  status=$(rcurl -s -o "$WORK/tags.json" -w '%{http_code}' "http://$REGISTRY/v2/$1/tags/list")
  echo "HTTP $status: $(head -c 500 "$WORK/tags.json")"
  [[ $status == 200 ]] && grep -q "\"$2\"" "$WORK/tags.json"
}
# One fresh-clone run (of four) got a failure here that no other run showed, without its
# status; a retry 2 s later is allowed, and the first answer is kept in
# .berth/logs/e2e-retries.log for whoever looks into it (issue #19's note).
tags_with_basic_once_more() {
  tags_with_basic "$@" > "$WORK/tags.first" 2>&1 && return 0
  { date -u +%FT%TZ; cat "$WORK/tags.first"; } >> "$BERTH_LOGS/e2e-retries.log"
  sleep 2
  tags_with_basic "$@"
}
check "tags/list with Basic credentials names the tag" tags_with_basic_once_more "$PROJECT/app/oci" 1.0

PODMAN=(podman --storage-driver vfs --root "$WORK/podman-root" --runroot "$WORK/podman-run")
check "podman pulls the image" "${PODMAN[@]}" pull --tls-verify=false "$REGISTRY/$PROJECT/app/oci:1.0"
check "podman pushes it under a new tag" "${PODMAN[@]}" push --tls-verify=false \
  "$REGISTRY/$PROJECT/app/oci:1.0" "docker://$REGISTRY/$PROJECT/app/podman:2.0"
check "... which skopeo can inspect" skopeo_ inspect --tls-verify=false "docker://$REGISTRY/$PROJECT/app/podman:2.0"

# A layer bigger than a part: skopeo sends it as one PATCH with a Content-Length, which goes to
# the store in one streamed PUT (docs/adr/0007-registry-storage.md, whole bodies).
build_image "$WORK/oci-large" 1 24576
check "skopeo pushes an image with a 24 MiB layer" skopeo_ copy --dest-tls-verify=false \
  "oci:$WORK/oci-large:1.0" "docker://$REGISTRY/$PROJECT/app/large:1.0"
check "... and pulls it back unchanged" bash -c '
  skopeo --insecure-policy copy --src-tls-verify=false "docker://$0/$1/app/large:1.0" "oci:$2/back-large:1.0" &&
  diff <(skopeo inspect --raw "oci:$2/oci-large:1.0") <(skopeo inspect --raw "oci:$2/back-large:1.0")' \
  "$REGISTRY" "$PROJECT" "$WORK"

# ---------------------------------------------------------------- chunked uploads at scale
# curl against the upload API: POST opens a session, PATCH sends one chunk of a file.
open_upload() { # repository -> Location
  rcurl -sf -X POST -o /dev/null -w '%header{location}' "http://$REGISTRY/v2/$1/blobs/uploads/"
}
patch_chunk() { # registry location file offset length
  local end=$(($4 + $5 - 1))
  # tail dies of SIGPIPE once head has its bytes; that is not a failure of the chunk.
  (set +o pipefail; tail -c +"$(($4 + 1))" "$3" | head -c "$5") | rcurl -sf -X PATCH -o /dev/null \
    -H "Content-Type: application/octet-stream" -H "Content-Range: $4-$end" \
    --data-binary @- "http://$1$2"
}
commit_upload() { # registry location digest
  local sep='?'
  [[ $2 == *\?* ]] && sep='&'
  [[ $(rcurl -s -X PUT -o /dev/null -w '%{http_code}' "http://$1$2${sep}digest=$3") == 201 ]]
}
blob_digest_is() { # registry repository digest: the bytes served hash to the digest
  [[ "sha256:$(rcurl -sf "http://$1/v2/$2/blobs/$3" | sha256sum | cut -d' ' -f1)" == "$3" ]]
}
heap_live_mib() { # what the last collection left alive in the old generation
  curl -sf -H 'Accept: text/plain' "http://$REGISTRY/q/metrics" |
    awk '/^jvm_gc_live_data_size_bytes/ {printf "%d", $NF / 1048576}'
}

# Runs a command while a probe's value is written to a file, one line every interval.
sampled() { # file interval probe command...
  local file=$1 interval=$2 probe=$3 sampler rc
  shift 3
  ( while :; do "$probe"; echo; sleep "$interval"; done ) > "$file" 2>/dev/null &
  sampler=$!
  "$@"
  rc=$?
  kill "$sampler" 2>/dev/null
  wait "$sampler" 2>/dev/null
  return $rc
}

# Runs an upload while registry-api's heap is sampled into $WORK/<name>.samples, twice a
# second. Sampled is the heap that survives a collection (the heap is a fixed 256 MiB, so
# "used" only says when the collector ran).
with_heap_samples() { sampled "$WORK/$1.samples" 0.5 heap_live_mib "${@:2}"; }
heap_stayed_flat() { # name: every sample under 128 MiB, and enough of them to mean something
  local max
  max=$(sort -n "$WORK/$1.samples" | tail -n 1)
  echo "at most ${max:-?} MiB live after a collection"
  test "${max:-999}" -lt 128 -a "$(grep -c . "$WORK/$1.samples")" -gt 3
}

# A 1 GiB random layer in 64 MiB chunks: the bytes must stream through a part-sized buffer,
# never pile up.
head -c $((1024 * 1024 * 1024)) /dev/urandom > "$WORK/big.bin"
BIG_DIGEST="sha256:$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)"
big_upload() {
  local location offset chunk=$((64 * 1024 * 1024))
  location=$(open_upload "$PROJECT/app/big") || return 1
  for ((offset = 0; offset < 1024 * 1024 * 1024; offset += chunk)); do
    patch_chunk "$REGISTRY" "$location" "$WORK/big.bin" "$offset" "$chunk" || return 1
  done
  commit_upload "$REGISTRY" "$location" "$BIG_DIGEST"
}
check "a 1 GiB layer pushed in 16 chunks commits with its digest" with_heap_samples chunked big_upload
check "... while registry-api's heap stayed flat" heap_stayed_flat chunked
check "... and it reads back bit for bit" blob_digest_is "$REGISTRY" "$PROJECT/app/big" "$BIG_DIGEST"

# The same size as one whole body with a Content-Length, as docker, podman and skopeo send a
# layer: it goes to the store in one streamed PUT, and the heap must stay as flat.
printf x >> "$WORK/big.bin"
WHOLE_DIGEST="sha256:$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)"
whole_upload() {
  local location
  location=$(open_upload "$PROJECT/app/whole") || return 1
  rcurl -sf -X PATCH -o /dev/null -H "Content-Type: application/octet-stream" -T "$WORK/big.bin" \
    "http://$REGISTRY$location" || return 1
  commit_upload "$REGISTRY" "$location" "$WHOLE_DIGEST"
}
check "a 1 GiB layer pushed as one whole body commits with its digest" with_heap_samples whole whole_upload
check "... while registry-api's heap stayed flat" heap_stayed_flat whole
check "... and it reads back bit for bit" blob_digest_is "$REGISTRY" "$PROJECT/app/whole" "$WHOLE_DIGEST"
# ---------------------------------------------------------------- through the gateway (issue #5)
# The same 1 GiB body through the gateway, pushed and pulled back, while the gateway's resident
# memory is sampled five times a second: it streams, so it stays flat.
GATEWAY_PID=$(component_pid gateway)
rss_mib() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$GATEWAY_PID/status"; }
with_rss_samples() { sampled "$WORK/$1.rss" 0.2 rss_mib "${@:2}"; } # name command...
rss_stayed_under() { # mib names...: every sample under the bound, and enough of them
  local bound=$1 max
  shift
  max=$(for n in "$@"; do cat "$WORK/$n.rss"; done | sort -n | tail -n 1)
  echo "the gateway was at most ${max:-?} MiB resident"
  test "${max:-9999}" -lt "$bound" -a "$(for n in "$@"; do cat "$WORK/$n.rss"; done | grep -c .)" -gt 5
}
gateway_whole_upload() {
  local location
  location=$(rcurl -sf -X POST -o /dev/null -w '%header{location}' "http://$GATEWAY/v2/$PROJECT/app/gw/blobs/uploads/") ||
    return 1
  [[ $location == *berth-instance=* ]] || { echo "no instance in the upload location: $location"; return 1; }
  location=$(rcurl -sf -X PATCH -o /dev/null -w '%header{location}' -H "Content-Type: application/octet-stream" \
    -T "$WORK/big.bin" "http://$GATEWAY$location") || return 1
  commit_upload "$GATEWAY" "$location" "$WHOLE_DIGEST"
}
check "a 1 GiB layer pushed through the gateway commits with its digest" with_rss_samples gw-push gateway_whole_upload
check "... reads back through it bit for bit" with_rss_samples gw-pull blob_digest_is "$GATEWAY" "$PROJECT/app/gw" "$WHOLE_DIGEST"
check "... while the gateway stayed under 300 MiB resident" rss_stayed_under 300 gw-push gw-pull

# A client that reads at 1 MiB/s for 12 s: the gateway keeps sending (not cut off) and holds no
# more of the blob than its buffers (back-pressure reaches registry-api), then the reader stops.
slow_read() {
  local rc size
  rcurl -s --limit-rate 1M --max-time 12 -o "$WORK/slow.part" \
    "http://$GATEWAY/v2/$PROJECT/app/gw/blobs/$WHOLE_DIGEST"
  rc=$?
  size=$(stat -c %s "$WORK/slow.part")
  echo "curl exit $rc after reading $size bytes"
  # 28: curl's own --max-time, the only way this read may end. curl's limit is an average it
  # reaches after a faster start, so about 1-3 MiB/s over the 12 s.
  ((rc == 28 && size > 9 * 1024 * 1024 && size < 40 * 1024 * 1024))
}
rss_grew_less_than() { # mib name
  local first max
  first=$(head -n 1 "$WORK/$2.rss")
  max=$(sort -n "$WORK/$2.rss" | tail -n 1)
  echo "resident from $first to at most $max MiB"
  (( max - first < $1 ))
}
check "a client reading a 1 GiB blob at 1 MiB/s is not cut off" with_rss_samples slow slow_read
check "... and does not make the gateway hold the blob (resident grew < 64 MiB)" rss_grew_less_than 64 slow

# HTTPS with the certificate ./berth made, verified by the clients; HTTP/2 where they speak it.
CERTS=$BERTH_CONF/tls/certs.d
TLS_GATEWAY=127.0.0.1:$GATEWAY_TLS_PORT
check "the gateway answers HTTP/2 over TLS with HSTS" bash -c \
  'curl -sf -u "$2" --http2 --cacert "$0/ca.crt" -D - -o /dev/null "https://$1/v2/" | tr -d "\r" |
   grep -q "^HTTP/2 200" && curl -sf -u "$2" --cacert "$0/ca.crt" -D - -o /dev/null "https://$1/v2/" |
   grep -qi "^strict-transport-security: max-age="' "$CERTS" "$TLS_GATEWAY" "$ADMIN"
check "... and refuses TLS 1.1" bash -c '! curl -s --tls-max 1.1 --cacert "$0/ca.crt" "https://$1/v2/"' "$CERTS" "$TLS_GATEWAY"
check "skopeo logs in to the gateway over HTTPS" skopeo login --cert-dir "$CERTS" -u admin -p "$BERTH_ADMIN_PASSWORD" "$TLS_GATEWAY"
check "skopeo pushes through the gateway over HTTPS" skopeo_ copy --dest-cert-dir "$CERTS" \
  "oci:$WORK/oci:1.0" "docker://$TLS_GATEWAY/$PROJECT/app/tls:1.0"
check "... and pulls it back unchanged" bash -c '
  skopeo --insecure-policy copy --src-cert-dir "$0" "docker://$1/$2/app/tls:1.0" "oci:$3/tls-back:1.0" &&
  diff <(skopeo inspect --raw "oci:$3/oci:1.0" | grep -o "sha256:[0-9a-f]\{64\}" | sort -u) \
       <(skopeo inspect --raw "oci:$3/tls-back:1.0" | grep -o "sha256:[0-9a-f]\{64\}" | sort -u)' \
  "$CERTS" "$TLS_GATEWAY" "$PROJECT" "$WORK"
check "podman pulls it over HTTPS and pushes it under a new tag" bash -c \
  '"${@:2}" pull --cert-dir "$0" "$1/'"$PROJECT"'/app/tls:1.0" &&
   "${@:2}" push --cert-dir "$0" "$1/'"$PROJECT"'/app/tls:1.0" "docker://$1/'"$PROJECT"'/app/tls:podman"' \
  "$CERTS" "$TLS_GATEWAY" "${PODMAN[@]}"
# The gateway writes its line when the response has ended, which can be just after the client
# has its answer: allow it a few seconds.
check "the gateway logged each request as one JSON line" bash -c \
  'for ((i = 0; i < 50; i++)); do
     grep "berth.access" "$0/gateway.log" | tail -n 200 | grep -q "\"path\":\"/v2/$1/app/tls/manifests/podman\"" && exit 0
     sleep 0.1
   done; exit 1' \
  "$BERTH_LOGS" "$PROJECT"

rm -f "$WORK/big.bin"


# Two registry-api instances share one chunked upload: the session lives in PostgreSQL and S3,
# so the second continues it and the first, whose running hash is now stale, commits it by
# hashing the stored object.
SECOND_PORT=8091
SECOND=127.0.0.1:$SECOND_PORT
QUARKUS_HTTP_PORT=$SECOND_PORT \
  java -Xmx256m -jar "$BERTH_ROOT/services/registry-api/target/quarkus-app/quarkus-run.jar" \
  > "$WORK/second.log" 2>&1 &
SECOND_PID=$!
second_ready() { [[ $(http_status "http://$SECOND/q/health/ready") == 200 ]]; }
for ((i = 0; i < 60; i++)); do second_ready && break; sleep 1; done
head -c $((9 * 1024 * 1024 + 123)) /dev/urandom > "$WORK/shared.bin"
SHARED_DIGEST="sha256:$(sha256sum "$WORK/shared.bin" | cut -d' ' -f1)"
shared_upload() {
  local location
  location=$(open_upload "$PROJECT/app/shared") || return 1
  patch_chunk "$REGISTRY" "$location" "$WORK/shared.bin" 0 $((6 * 1024 * 1024)) &&
    patch_chunk "$SECOND" "$location" "$WORK/shared.bin" $((6 * 1024 * 1024)) $((3 * 1024 * 1024 + 123)) &&
    commit_upload "$REGISTRY" "$location" "$SHARED_DIGEST"
}
check "a second registry-api instance starts beside the first" second_ready
check "one chunked upload spread over two instances commits" shared_upload
check "... and both instances serve the same bytes" bash -c '
  for r in "$0" "$1"; do
    [[ "sha256:$(curl -sf -u "$4" "http://$r/v2/$2/blobs/$3" | sha256sum | cut -d" " -f1)" == "$3" ]] || exit 1
  done' "$REGISTRY" "$SECOND" "$PROJECT/app/shared" "$SHARED_DIGEST" "$ADMIN"

# The same chunk sent to both instances at the same moment: nothing serialises them but the
# compare-and-set on the session row, so exactly one is accepted and the other is refused
# (416 if it saw the winner's progress, 400 BLOB_UPLOAD_INVALID if it lost the race mid-write).
# The session stays usable and the blob commits whole.
chunk_status() { # registry location file offset length -> HTTP status
  local end=$(($4 + $5 - 1))
  (set +o pipefail; tail -c +"$(($4 + 1))" "$3" | head -c "$5") | rcurl -s -X PATCH -o /dev/null \
    -w '%{http_code}' -H "Content-Type: application/octet-stream" -H "Content-Range: $4-$end" \
    --data-binary @- "http://$1$2"
}
racing_upload() {
  local location a b pa pb
  location=$(open_upload "$PROJECT/app/race") || return 1
  chunk_status "$REGISTRY" "$location" "$WORK/shared.bin" 0 $((6 * 1024 * 1024)) > "$WORK/race.a" &
  pa=$!
  chunk_status "$SECOND" "$location" "$WORK/shared.bin" 0 $((6 * 1024 * 1024)) > "$WORK/race.b" &
  pb=$!
  wait "$pa" "$pb"
  a=$(cat "$WORK/race.a") b=$(cat "$WORK/race.b")
  echo "    (racing PATCHes answered $a and $b)"
  [[ "$a $b" =~ ^(202\ (416|400)|(416|400)\ 202)$ ]] || return 1
  [[ $(rcurl -s -o /dev/null -w '%header{range}' "http://$SECOND$location") == "0-$((6 * 1024 * 1024 - 1))" ]] || return 1
  patch_chunk "$SECOND" "$location" "$WORK/shared.bin" $((6 * 1024 * 1024)) $((3 * 1024 * 1024 + 123)) &&
    commit_upload "$REGISTRY" "$location" "$SHARED_DIGEST" &&
    blob_digest_is "$SECOND" "$PROJECT/app/race" "$SHARED_DIGEST"
}
check "the same chunk raced to both instances is taken once, and the upload still commits whole" racing_upload

# Both instances behind one gateway: a chunked upload stays on the instance that opened it, and
# once that instance is gone the other continues it from storage.
GW3_PORT=5003
GW3=127.0.0.1:$GW3_PORT
java -Xmx128m -Dquarkus.http.port=$GW3_PORT -Dquarkus.http.ssl-port=5446 -Dquarkus.management.port=9583 \
  -Dberth.gateway.upstreams.registry-api.instances="http://$REGISTRY,http://$SECOND" \
  -jar "$BERTH_ROOT/services/gateway/target/quarkus-app/quarkus-run.jar" > "$WORK/gw3.log" 2>&1 &
GW3_PID=$!
for ((i = 0; i < 60; i++)); do [[ $(http_status "http://127.0.0.1:9583/q/health/ready") == 200 ]] && break; sleep 1; done
upload_id() { sed 's|.*/uploads/\([^?]*\).*|\1|' <<< "$1"; }
instances_of() { # upload id -> the instances the gateway sent its chunks and commit to
  grep 'berth.access' "$WORK/gw3.log" | grep "/uploads/$1\"" | sed 's/.*"upstream":"\([^"]*\)".*/\1/' | sort -u
}
open_gw3() { rcurl -sf -X POST -o /dev/null -w '%header{location}' "http://$GW3/v2/$PROJECT/app/$1/blobs/uploads/"; }
sticky_uploads() {
  local n location id
  for n in 1 2 3 4; do
    location=$(open_gw3 sticky) || return 1
    id=$(upload_id "$location")
    patch_chunk "$GW3" "$location" "$WORK/shared.bin" 0 $((6 * 1024 * 1024)) &&
      patch_chunk "$GW3" "$location" "$WORK/shared.bin" $((6 * 1024 * 1024)) $((3 * 1024 * 1024 + 123)) &&
      commit_upload "$GW3" "$location" "$SHARED_DIGEST" || return 1
    echo "upload $n went to: $(instances_of "$id" | tr '\n' ' ')"
    [[ $(instances_of "$id" | wc -l) == 1 ]] || return 1
  done
  # Round robin opened them on both instances.
  [[ $(grep 'berth.access' "$WORK/gw3.log" | grep '"method":"POST"' | sed 's/.*"upstream":"\([^"]*\)".*/\1/' |
    sort -u | wc -l) == 2 ]]
}
failover_upload() {
  local n location id held=
  for n in 1 2 3 4; do
    location=$(open_gw3 failover) || return 1
    id=$(upload_id "$location")
    patch_chunk "$GW3" "$location" "$WORK/shared.bin" 0 $((6 * 1024 * 1024)) || return 1
    held=$(instances_of "$id")
    [[ $held == "$SECOND" ]] && break
  done
  [[ $held == "$SECOND" ]] || { echo "no session landed on $SECOND"; return 1; }
  kill "$SECOND_PID" && wait "$SECOND_PID" 2>/dev/null
  patch_chunk "$GW3" "$location" "$WORK/shared.bin" $((6 * 1024 * 1024)) $((3 * 1024 * 1024 + 123)) &&
    commit_upload "$GW3" "$location" "$SHARED_DIGEST" || return 1
  echo "upload $id went to: $(instances_of "$id" | tr '\n' ' ')"
  blob_digest_is "$GW3" "$PROJECT/app/failover" "$SHARED_DIGEST"
}
check "through a gateway over two instances, each upload stays on the instance that opened it" sticky_uploads
check "... and when that instance is gone, the other continues it from storage" failover_upload
kill "$GW3_PID" 2>/dev/null
wait "$GW3_PID" 2>/dev/null
kill "$SECOND_PID" 2>/dev/null
wait "$SECOND_PID" 2>/dev/null

# ---------------------------------------------------------------- logins and roles
# People and robots log in through the gateway, whose /service/token is auth's; registry-api
# behind it checks each token. A developer may push and pull in its own project, nothing else.
MINE="$PROJECT-mine" THEIRS="$PROJECT-theirs" OPEN="$PROJECT-open"
new_project "$MINE" && new_project "$THEIRS" && new_project "$OPEN" true
for p in "$MINE" "$OPEN"; do
  rcurl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"username": "developer", "role": "developer"}' \
    "http://$GATEWAY/api/v1/projects/$p/members"
done
AUTHFILE=$WORK/dev-auth.json
as_dev() { skopeo_ "$1" --authfile "$AUTHFILE" "${@:2}"; }
check "an anonymous /v2/ gets a Bearer challenge naming the gateway's token endpoint" bash -c \
  'curl -s -o /dev/null -D - "http://$0/v2/" | grep -qi "www-authenticate: Bearer realm=\"http://$0/service/token\""' \
  "$GATEWAY"
check "skopeo login with a wrong password is refused" bash -c \
  '! skopeo login --tls-verify=false --authfile "$0" -u developer -p wrong "$1"' "$AUTHFILE" "$GATEWAY"
check "skopeo login with an unknown user is refused" bash -c \
  '! skopeo login --tls-verify=false --authfile "$0" -u nobody-$RANDOM -p wrong "$1"' "$AUTHFILE" "$GATEWAY"
check "skopeo login as a Keycloak user" skopeo login --tls-verify=false --authfile "$AUTHFILE" \
  -u developer -p "$BERTH_DEV_PASSWORD" "$GATEWAY"
check "... pushes into a project where the user is a developer" as_dev copy --dest-tls-verify=false \
  "oci:$WORK/oci:1.0" "docker://$GATEWAY/$MINE/app:1.0"
check "... and pulls it back" as_dev copy --src-tls-verify=false \
  "docker://$GATEWAY/$MINE/app:1.0" "oci:$WORK/token-back:1.0"
check "... but cannot push into a project it is not a member of" bash -c \
  '! skopeo --insecure-policy copy --authfile "$0" --dest-tls-verify=false "oci:$1/oci:1.0" "docker://$2/$3/app:1.0"' \
  "$AUTHFILE" "$WORK" "$GATEWAY" "$THEIRS"
check "... nor delete (a developer has no delete)" bash -c \
  '! skopeo delete --authfile "$0" --tls-verify=false "docker://$1/$2/app:1.0"' "$AUTHFILE" "$GATEWAY" "$MINE"
check "podman logs in and pulls the same image" bash -c \
  '"${@:3}" login --tls-verify=false --authfile "$0/podman-auth.json" -u developer -p "$1" "$2" &&
   "${@:3}" pull --tls-verify=false --authfile "$0/podman-auth.json" "$2/'"$MINE"'/app:1.0"' \
  "$WORK" "$BERTH_DEV_PASSWORD" "$GATEWAY" "${PODMAN[@]}"
GW2=127.0.0.1:$GATEWAY_TLS_PORT
check "over HTTPS, the challenge names the gateway's HTTPS token endpoint" bash -c \
  'curl -s --cacert "$0" -o /dev/null -D - "https://$1/v2/" | grep -qi "www-authenticate: Bearer realm=\"https://$1/service/token\""' \
  "$BERTH_CONF/tls/tls.crt" "$GW2"
check "... and a Forwarded header changes the realm" bash -c \
  'curl -s -o /dev/null -D - -H "Forwarded: for=192.0.2.60;proto=https;host=registry.example.com" "http://$0/v2/" |
   grep -qi "realm=\"https://registry.example.com/service/token\""' "$GATEWAY"
check "skopeo logs in over HTTPS through the gateway and pushes" bash -c \
  'skopeo login --cert-dir "$0" --authfile "$1/gw.json" -u developer -p "$2" "$3" &&
   skopeo --insecure-policy copy --authfile "$1/gw.json" --dest-cert-dir "$0" "oci:$1/oci:1.0" "docker://$3/$4/app:gw"' \
  "$BERTH_CONF/tls/certs.d" "$WORK" "$BERTH_DEV_PASSWORD" "$GW2" "$MINE"
check "podman logs in over HTTPS through the gateway and pulls" bash -c \
  '"${@:5}" login --cert-dir "$0" --authfile "$1/gw-podman.json" -u developer -p "$2" "$3" &&
   "${@:5}" pull --cert-dir "$0" --authfile "$1/gw-podman.json" "$3/$4/app:gw"' \
  "$BERTH_CONF/tls/certs.d" "$WORK" "$BERTH_DEV_PASSWORD" "$GW2" "$MINE" "${PODMAN[@]}"
check "the gateway's access log names the user who pushed" bash -c \
  'grep "berth.access" "$0/gateway.log" | grep "\"method\":\"PUT\"" | grep "/v2/$1/app/manifests/gw\"" |
   grep -q "\"principal\":\"developer\""' "$BERTH_LOGS" "$MINE"
audited_push_by() { # repository tag user: the push is in the audit log with that actor
  local i
  for i in $(seq 1 40); do
    [[ $(psql_berth "SELECT actor FROM audit_log WHERE subject = '$1' AND data->>'tag' = '$2'
         AND event_type = 'io.berth.artifact.pushed.v1'") == "$3" ]] && return 0
    sleep 0.5
  done
  return 1
}
check "... and the audit log has the push with its user" audited_push_by "$MINE/app" gw developer

# ---------------------------------------------------------------- nothing is open
check "an anonymous client cannot push, even into a public project" bash -c \
  '! skopeo --insecure-policy copy --dest-no-creds --dest-tls-verify=false "oci:$0/oci:1.0" "docker://$1/$2/app:anon"' \
  "$WORK" "$GATEWAY" "$OPEN"
check "... nor pull from a private project" bash -c \
  '! skopeo inspect --tls-verify=false --no-creds "docker://$0/$1/app:1.0"' "$GATEWAY" "$MINE"
check "... nor list the catalog, delete a manifest, or get in with a forged token" bash -c '
  [[ $(curl -s -o /dev/null -w "%{http_code}" "http://$0/v2/_catalog") == 401 &&
     $(curl -s -o /dev/null -w "%{http_code}" -X DELETE "http://$0/v2/$1/app/manifests/1.0") == 401 &&
     $(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer not-a-jwt" "http://$0/v2/$1/app/tags/list") == 401 &&
     $(curl -s -o /dev/null -w "%{http_code}" -u "developer:wrong" "http://$0/v2/$1/app/tags/list") == 401 ]]' \
  "$GATEWAY" "$MINE"
check "... and the tag is still there" bash -c 'curl -sf -u "$2" "http://$0/v2/$1/app/tags/list" | grep -q "\"1.0\""' \
  "$GATEWAY" "$MINE" "$ADMIN"

# ---------------------------------------------------------------- docker and buildah
# Docker Engine 20.10 (Debian's docker.io), run here with its own data, state and socket; it
# trusts plain HTTP on 127.0.0.1, and HTTPS with the CA in /etc/docker/certs.d/<host:port>.
DOCKER_HOME=$WORK/docker
docker_() { /usr/bin/docker -H "unix://$DOCKER_HOME/docker.sock" --config "$DOCKER_HOME/config" "$@"; }
start_dockerd() {
  mkdir -p "$DOCKER_HOME/config" "/etc/docker/certs.d/127.0.0.1:$GATEWAY_TLS_PORT"
  cp "$BERTH_CONF/tls/tls.crt" "/etc/docker/certs.d/127.0.0.1:$GATEWAY_TLS_PORT/ca.crt"
  dockerd --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
    --data-root "$DOCKER_HOME/data" --exec-root "$DOCKER_HOME/exec" --pidfile "$DOCKER_HOME/docker.pid" \
    -H "unix://$DOCKER_HOME/docker.sock" > "$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 120); do docker_ version > /dev/null 2>&1 && return 0; sleep 0.5; done
  tail -n 20 "$WORK/dockerd.log"
  return 1
}
docker_round_trip() { # registry tag: push the loaded image there, remove it, pull it back
  local ref=$1/$MINE/docker:$2
  docker_ tag e2e/app:1.0 "$ref" && docker_ push "$ref" && docker_ rmi "$ref" > /dev/null &&
    docker_ pull "$ref" && [[ $(docker_ image inspect -f '{{.Id}}' "$ref") == $(docker_ image inspect -f '{{.Id}}' e2e/app:1.0) ]]
}
check "dockerd starts (vfs, no iptables, its own socket)" start_dockerd
docker_load() { skopeo_ copy -q "oci:$WORK/oci:1.0" "docker-archive:$WORK/app.tar:e2e/app:1.0" && docker_ load -i "$WORK/app.tar"; }
docker_login_refused() { ! docker_ login -u developer -p wrong "$1"; }
check "docker loads the test image" docker_load
for gw in "$GATEWAY" "$GW2"; do
  check "docker login to $gw with a wrong password fails" docker_login_refused "$gw"
  check "docker login to $gw as the developer" docker_ login -u developer -p "$BERTH_DEV_PASSWORD" "$gw"
  check "... docker pushes through it and pulls the same image back" docker_round_trip "$gw" "${gw##*:}"
done
kill "$DOCKERD_PID" 2>/dev/null && wait "$DOCKERD_PID" 2>/dev/null
DOCKERD_PID=

BUILDAH=(buildah --storage-driver vfs --root "$WORK/buildah-root" --runroot "$WORK/buildah-run")
buildah_build_push() { # an image with one new layer, built from scratch and pushed over HTTPS
  local ctr
  head -c 65536 /dev/urandom > "$WORK/buildah.bin"
  ctr=$("${BUILDAH[@]}" from scratch) && "${BUILDAH[@]}" copy "$ctr" "$WORK/buildah.bin" /data.bin &&
    "${BUILDAH[@]}" commit -q "$ctr" e2e-buildah:1.0 &&
    "${BUILDAH[@]}" push --cert-dir "$CERTS" --authfile "$WORK/buildah.json" e2e-buildah:1.0 \
      "docker://$GW2/$MINE/buildah:1.0"
}
buildah_login() { # over HTTPS, then HTTP
  "${BUILDAH[@]}" login --cert-dir "$CERTS" --authfile "$WORK/buildah.json" -u developer -p "$BERTH_DEV_PASSWORD" "$GW2" &&
    "${BUILDAH[@]}" login --tls-verify=false --authfile "$WORK/buildah.json" -u developer -p "$BERTH_DEV_PASSWORD" "$GATEWAY"
}
check "buildah logs in over HTTPS and HTTP" buildah_login
check "... builds an image from scratch and pushes it" buildah_build_push
check "... and pulls it back over HTTP" "${BUILDAH[@]}" pull --tls-verify=false --authfile "$WORK/buildah.json" \
  "docker://$GATEWAY/$MINE/buildah:1.0"

# ---------------------------------------------------------------- the clean-up script of docs/
# docs/scripts/keep-last-tags.sh (the brief's 五.1, corrected) keeps the newest 2 tags by
# version order. 1.10 and 1.2 share an image, so 1.2 goes as a tag only and 1.10 keeps it; 1.1
# goes with its manifest. Basic credentials on every call, as the script sends them.
CLEAN=$MINE/cleanup
build_image "$WORK/c1" 1 64 && build_image "$WORK/c2" 1 64 && build_image "$WORK/c3" 1 64
for t in 1.1:c1 1.2:c2 1.9:c3 1.10:c2; do
  skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/${t#*:}:1.0" "docker://$GATEWAY/$CLEAN:${t%%:*}"
done
digest_of() { rcurl -sf -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$GATEWAY/v2/$CLEAN/manifests/$1" |
  tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}'; }
C1=$(digest_of 1.1) C2=$(digest_of 1.2)
check "the clean-up script from docs runs as written" env BERTH_USER=admin BERTH_PASSWORD="$BERTH_ADMIN_PASSWORD" \
  "$BERTH_ROOT/docs/scripts/keep-last-tags.sh" "http://$GATEWAY" "$CLEAN" 2
cleanup_result() {
  local tags
  tags=$(rcurl -sf "http://$GATEWAY/v2/$CLEAN/tags/list" | jq -c '.tags | sort')
  echo "tags left: $tags"
  [[ $tags == '["1.10","1.9"]' ]] &&
    [[ $(rcurl -s -o /dev/null -w '%{http_code}' "http://$GATEWAY/v2/$CLEAN/manifests/$C1") == 404 ]] &&
    [[ $(digest_of 1.10) == "$C2" ]]
}
check "... keeping 1.10 and 1.9, the image 1.2 shared with 1.10, and deleting 1.1's manifest" cleanup_result

# ---------------------------------------------------------------- project policies
# A quota that fits one of two images pushed at once, immutable tags and read-only mode, with
# skopeo through the gateway as the administrator.
POLICY=$PROJECT-policy
new_project "$POLICY"
set_project() { rcurl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d "$2" "http://$GATEWAY/api/v1/projects/$1"; }
used_bytes() { rcurl -sf "http://$GATEWAY/api/v1/projects/$1" | jq -r .usedBytes; }
image_bytes() { # what an OCI layout's image stores: its manifest, config and layers
  local raw
  raw=$(skopeo inspect --raw "oci:$1:1.0") || return 1
  echo $(( ${#raw} + $(jq '.config.size + ([.layers[].size] | add)' <<< "$raw") ))
}
build_image "$WORK/q1" 1 512 && build_image "$WORK/q2" 1 512
Q1=$(image_bytes "$WORK/q1") Q2=$(image_bytes "$WORK/q2")
set_project "$POLICY" "{\"quotaBytes\": $((Q1 + Q2 - 1))}"
parallel_pushes() {
  local a b
  skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/q1:1.0" "docker://$GATEWAY/$POLICY/q1:1.0" > "$WORK/q1.out" 2>&1 &
  a=$!
  skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/q2:1.0" "docker://$GATEWAY/$POLICY/q2:1.0" > "$WORK/q2.out" 2>&1 &
  b=$!
  wait "$a"; echo "q1 exit $?" > "$WORK/q.rc"
  wait "$b"; echo "q2 exit $?" >> "$WORK/q.rc"
  cat "$WORK/q.rc" "$WORK/q1.out" "$WORK/q2.out"
  [[ $(grep -c 'exit 0$' "$WORK/q.rc") == 1 ]]
}
check "quota: of two images pushed at once where one fits, exactly one is stored" parallel_pushes
WINNER=$(grep -o '^q. exit 0$' "$WORK/q.rc" | cut -c1-2) LOSER=q1
[[ $WINNER == q1 ]] && LOSER=q2
check "... the refusal names the quota" bash -c 'grep -qiE "quota|denied" "$0"' "$WORK/$LOSER.out"
usage_within_quota() { local used; used=$(used_bytes "$POLICY"); echo "usedBytes $used"; ((used > 0 && used <= Q1 + Q2 - 1)); }
check "... and usedBytes counts the stored image, within the quota" usage_within_quota
# The loser's layers, uploaded before its manifest was refused, count until gc removes them
# (ADR 0021), so the check is that the winner's bytes are freed, not that usage drops to 0.
delete_winner() {
  local digest before after
  digest=$(rcurl -sf -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$GATEWAY/v2/$POLICY/$WINNER/manifests/1.0" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}')
  before=$(used_bytes "$POLICY")
  [[ $(rcurl -s -o /dev/null -w '%{http_code}' -X DELETE "http://$GATEWAY/v2/$POLICY/$WINNER/manifests/$digest") == 202 ]] ||
    return 1
  after=$(used_bytes "$POLICY")
  echo "usedBytes $before before the delete, $after after"
  ((before - after >= $(image_bytes "$WORK/$WINNER") - 1024))
}
check "... deleting it frees its bytes" delete_winner
check "... and the other image is pushed then" skopeo_ copy -q --dest-tls-verify=false \
  "oci:$WORK/$LOSER:1.0" "docker://$GATEWAY/$POLICY/$LOSER:1.0"

set_project "$POLICY" '{"quotaBytes": -1, "immutableTagRules": [{"repositories": "**", "tags": "release-*"}]}'
check "immutability: a release tag is pushed" skopeo_ copy -q --dest-tls-verify=false \
  "oci:$WORK/q1:1.0" "docker://$GATEWAY/$POLICY/imm:release-1"
check "... pushed again with the same image" skopeo_ copy -q --dest-tls-verify=false \
  "oci:$WORK/q1:1.0" "docker://$GATEWAY/$POLICY/imm:release-1"
check "... but not with another image" bash -c '! skopeo --insecure-policy copy -q --dest-tls-verify=false \
  "oci:$0/q2:1.0" "docker://$1/$2/imm:release-1"' "$WORK" "$GATEWAY" "$POLICY"
check "... nor deleted by tag" bash -c '! skopeo delete --tls-verify=false "docker://$0/$1/imm:release-1"' "$GATEWAY" "$POLICY"
check "... and it still names the first image" bash -c \
  'diff <(skopeo inspect --tls-verify=false --raw "docker://$0/$1/imm:release-1") <(skopeo inspect --raw "oci:$2/q1:1.0")' \
  "$GATEWAY" "$POLICY" "$WORK"
check "... while a tag no rule matches moves freely" bash -c \
  'for i in q1 q2; do skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$0/$i:1.0" "docker://$1/$2/imm:latest" || exit 1; done' \
  "$WORK" "$GATEWAY" "$POLICY"

read_only() { rcurl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d "{\"readOnly\": $1}" \
  "http://$GATEWAY/api/v1/system/settings"; }
read_only_round() {
  local status rc=0
  read_only true || return 1
  sleep 2.5 # every replica reads the switch once a second
  status=$(rcurl -s -D "$WORK/ro.headers" -o "$WORK/ro.body" -w '%{http_code}' -X POST "http://$GATEWAY/v2/$POLICY/ro/blobs/uploads/")
  echo "upload while read-only: $status $(cat "$WORK/ro.body")"
  [[ $status == 503 ]] && grep -qi '^retry-after:' "$WORK/ro.headers" && grep -q '"errors"' "$WORK/ro.body" || rc=1
  skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/q1:1.0" "docker://$GATEWAY/$POLICY/ro:1.0" && { echo "a push went through"; rc=1; }
  skopeo_ inspect --tls-verify=false "docker://$GATEWAY/$POLICY/imm:release-1" > /dev/null || { echo "a pull failed"; rc=1; }
  read_only false || return 1
  sleep 2.5
  skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/q1:1.0" "docker://$GATEWAY/$POLICY/ro:1.0" || { echo "no push after"; rc=1; }
  return $rc
}
check "read-only mode: writes get 503 with Retry-After, reads work, and writes come back when it ends" read_only_round
read_only false

# A CLI secret, made the way the console makes it: with a Keycloak token of the user.
kc_token() { curl -sf -d grant_type=password -d client_id=berth-cli -d "username=$1" --data-urlencode "password=$2" \
  "http://127.0.0.1:$KEYCLOAK_PORT/realms/berth/protocol/openid-connect/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'; }
json_field() { sed -n 's/.*"'"$1"'":"\([^"]*\)".*/\1/p'; }
CLI_SECRET=$(curl -sf -X POST -H "Authorization: Bearer $(kc_token developer "$BERTH_DEV_PASSWORD")" \
  "$AUTH/api/v1/users/current/cli-secret" | json_field secret)
check "a Keycloak token of the user makes a CLI secret" test -n "$CLI_SECRET"
check "skopeo logs in with the CLI secret and pulls" bash -c \
  'skopeo login --tls-verify=false --authfile "$0/cli.json" -u developer -p "$1" "$2" &&
   skopeo --insecure-policy copy --authfile "$0/cli.json" --src-tls-verify=false "docker://$2/$3/app:1.0" "oci:$0/cli-back:1.0"' \
  "$WORK" "$CLI_SECRET" "$GATEWAY" "$MINE"
curl -sf -o /dev/null -X DELETE -u "developer:$BERTH_DEV_PASSWORD" "$AUTH/api/v1/users/current/cli-secret"
check "... and once it is revoked, is refused" bash -c \
  '! skopeo login --tls-verify=false --authfile "$0/cli.json" -u developer -p "$1" "$2"' \
  "$WORK" "$CLI_SECRET" "$GATEWAY"

# A robot for CI, made through the management API by a system administrator.
ROBOT_SECRET=$(curl -sf -u "admin:$BERTH_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
  -d '{"name": "ci", "permissions": ["pull", "push"], "expiresInDays": 1}' \
  "$AUTH/api/v1/projects/$MINE/robots" | json_field secret)
ROBOT="robot\$$MINE+ci"
check "a project robot logs in with its secret and pushes" bash -c \
  'skopeo login --tls-verify=false --authfile "$0/robot.json" -u "$1" -p "$2" "$3" &&
   skopeo --insecure-policy copy --authfile "$0/robot.json" --dest-tls-verify=false "oci:$0/oci:1.0" "docker://$3/$4/app:robot"' \
  "$WORK" "$ROBOT" "$ROBOT_SECRET" "$GATEWAY" "$MINE"
curl -sf -o /dev/null -X PUT -u "admin:$BERTH_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
  -d '{"disabled": true}' "$AUTH/api/v1/projects/$MINE/robots/ci"
check "... and once disabled, is refused" bash -c \
  '! skopeo login --tls-verify=false --authfile "$0/robot.json" -u "$1" -p "$2" "$3"' \
  "$WORK" "$ROBOT" "$ROBOT_SECRET" "$GATEWAY"
# Key rotation across services: a token signed before the rotation and one signed after both
# open the repository at the registry (the old key stays in the JWKS; the new kid makes
# registry-api fetch the JWKS again).
pull_token() { curl -sf -u "developer:$BERTH_DEV_PASSWORD" \
  "$AUTH/service/token?service=berth&scope=repository:$MINE/app:pull" | json_field token; }
tags_with() { [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" \
  "http://$REGISTRY/v2/$MINE/app/tags/list") == 200 ]]; }
BEFORE=$(pull_token)
check "a token from before a key rotation opens the repository" tags_with "$BEFORE"
ROTATION=$(curl -sf -X POST -u "admin:$BERTH_ADMIN_PASSWORD" "$AUTH/api/v1/system/signing-keys/rotate")
NEW_KID=$(json_field kid <<< "$ROTATION")
check "an administrator rotates the signing key: the new key is published before it signs" bash -c \
  'curl -sf "$0/.well-known/jwks.json" | grep -q "\"$1\""' "$AUTH" "$NEW_KID"
# The local stack publishes a new key 15 s ahead (deploy/local/lib/services.sh).
until (( $(date +%s) > $(date -d "$(json_field signsFrom <<< "$ROTATION")" +%s) )); do sleep 1; done
AFTER=$(pull_token)
check "... a token signed with the new key is accepted" tags_with "$AFTER"
check "... and the one signed before still is" tags_with "$BEFORE"
check "... they were signed by different keys" test "${BEFORE%%.*}" != "${AFTER%%.*}"

check "a public project's image is pushed by a member" as_dev copy --dest-tls-verify=false \
  "oci:$WORK/oci:1.0" "docker://$GATEWAY/$OPEN/app:1.0"
check "... and pulled anonymously" skopeo_ inspect --tls-verify=false --no-creds \
  "docker://$GATEWAY/$OPEN/app:1.0"
check "a private project's image is refused to anonymous callers" bash -c \
  '! skopeo inspect --tls-verify=false --no-creds "docker://$0/$1/app:1.0"' "$GATEWAY" "$MINE"

# The benchmark's own client (issue #7) answers the Bearer challenge with auth's token service,
# as skopeo does.
BENCH_JAR=$BERTH_ROOT/bench/target/berth-bench.jar
bench_jar() { java -jar "$BENCH_JAR" --profile smoke --fail-on-errors "$@"; }
check "the benchmark pushes and pulls through the token flow as a Keycloak user" bench_jar \
  --target "berth=http://$GATEWAY" --user "berth=developer:$BERTH_DEV_PASSWORD" --namespace "$MINE" \
  --only push-64KiB,pull-64KiB,manifest-get-tag,tag-list
check "... and with a wrong password stops at once: the token service refused it" bash -c \
  'out=$(java -jar "$0" --profile smoke --target "berth=http://$1" --user berth=developer:wrong --namespace "$2" 2>&1)
   rc=$?; echo "$out"; [[ $rc == 1 && $out == *"token service"*"answered 401"* ]]' "$BENCH_JAR" "$GATEWAY" "$MINE"
psql_berth "DELETE FROM projects WHERE name IN ('$MINE', '$THEIRS', '$OPEN', '$POLICY')" > /dev/null

# ---------------------------------------------------------------- events (issue #6)
# Kafka stops while 20 pushes happen (two repositories, alternating). Every push succeeds, its
# event waits in the outbox, and once Kafka is back the relay (in registry-api) publishes all
# 20 and auth's consumer writes them to the audit log, in push order per repository.
EVENTS="$PROJECT-events"
new_project "$EVENTS"
events_pushes() {
  local i r
  for i in $(seq 1 10); do
    for r in a b; do
      skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/oci:1.0" "docker://$REGISTRY/$EVENTS/$r:v$i" || return 1
    done
  done
}
pending_events() {
  psql_berth "SELECT count(*) FROM outbox WHERE published_at IS NULL AND event_key LIKE '$EVENTS/%'
              AND event_type = 'io.berth.artifact.pushed.v1'"
}
audited_tags() { # repository -> its pushed tags in the order the audit log received them
  psql_berth "SELECT data->>'tag' FROM audit_log WHERE subject = '$EVENTS/$1'
              AND event_type = 'io.berth.artifact.pushed.v1' ORDER BY id" | tr '\n' ' '
}
check "./berth stop kafka" "$BERTH" stop kafka
check "20 pushes succeed while Kafka is down" events_pushes
check "... and their 20 events wait in the outbox" test "$(pending_events)" = 20
check "./berth start kafka" "$BERTH" start kafka
all_audited() {
  local i
  for ((i = 0; i < 180; i++)); do
    [[ $(pending_events) == 0 && $(psql_berth "SELECT count(*) FROM audit_log WHERE subject LIKE '$EVENTS/%'
         AND event_type = 'io.berth.artifact.pushed.v1'") == 20 ]] && return 0
    sleep 1
  done
  echo "pending: $(pending_events); audited: a: $(audited_tags a) b: $(audited_tags b)"
  return 1
}
check "once Kafka is back, all 20 events are published and reach the audit log" all_audited
expected_tags=$(for i in $(seq 1 10); do printf 'v%s ' "$i"; done)
check "... in push order per repository" bash -c '[[ "$0" == "$2" && "$1" == "$2" ]] || { echo "a: $0"; echo "b: $1"; exit 1; }' \
  "$(audited_tags a)" "$(audited_tags b)" "$expected_tags"
check "... and an administrator reads them through the API" bash -c \
  'curl -sf -D - -o /dev/null -u "admin:$0" "$1/api/v1/audit-logs?project=$2&type=io.berth.artifact.pushed.v1" |
   tr -d "\r" | grep -qi "^x-total-count: 20$"' "$BERTH_ADMIN_PASSWORD" "http://127.0.0.1:$GATEWAY_PORT" "$EVENTS"
# auth's consumer restarted: it reads again from its last committed offset, and whatever it
# reads twice is not written twice.
check "auth restarts (its audit consumer with it)" bash -c '"$0" stop auth && "$0" start auth' "$BERTH"
events_after_restart() {
  local marker i
  # A new event behind the old ones on the same key: once it is in, the consumer has caught up.
  skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/oci:1.0" "docker://$REGISTRY/$EVENTS/a:after" || return 1
  for ((i = 0; i < 120; i++)); do
    marker=$(psql_berth "SELECT count(*) FROM audit_log WHERE subject = '$EVENTS/a' AND data->>'tag' = 'after'")
    [[ $marker == 1 ]] && break
    sleep 0.5
  done
  echo "a: $(audited_tags a)"
  [[ $marker == 1 && $(psql_berth "SELECT count(*) FROM audit_log WHERE subject LIKE '$EVENTS/%'
    AND event_type = 'io.berth.artifact.pushed.v1'") == 21 ]]
}
check "... and after it, every event is in the audit log exactly once" events_after_restart
psql_berth "DELETE FROM projects WHERE name = '$EVENTS'" > /dev/null

# ---------------------------------------------------------------- the benchmark (issues #7, #20)
# Every workload at toy sizes against berth, both distributions and berth on its filesystem
# backend: the tool, the four registries and the report work (the numbers mean nothing at
# these sizes).
check "./berth bench --vs distribution --smoke runs every workload on berth, berth_fs and both distributions, no errors" \
  "$BERTH" bench --vs distribution --smoke --fail-on-errors
LATEST=$BERTH_HOME/bench/latest.json
bench_report_complete() {
  local names
  names=$(grep -o '^    "name" : "[^"]*"' "$LATEST" | cut -d'"' -f4)
  echo "$names"
  # 25 workloads; the two token workloads are berth's own (null for both distributions). The
  # filesystem pair runs the 15 that move blob bytes (push-, pull-, skopeo-), and is compared.
  [[ $(grep -c . <<< "$names") == 25 ]] &&
    ! grep -vqE '^(push|pull|manifest-get|tag-list|catalog|mixed|skopeo|token)' <<< "$names" &&
    [[ $(grep -cE '^    "berth" : [0-9]' "$LATEST") == 25 ]] &&
    [[ $(grep -cE '^    "distribution" : [0-9]' "$LATEST") == 23 ]] &&
    [[ $(grep -cE '^    "berth_fs" : [0-9]' "$LATEST") == 15 ]] &&
    [[ $(grep -cE '^    "distribution_fs" : [0-9]' "$LATEST") == 15 ]] &&
    [[ $(grep -cE '^    "ratio_berth_fs" : [0-9]' "$LATEST") == 15 ]] &&
    [[ $(grep -c '^    "only" : "berth"' "$LATEST") == 2 ]] &&
    grep -qE '^    "cpus" : [0-9]+' "$LATEST" && grep -q '"p99_ms" : [0-9]' "$LATEST" &&
    grep -q '"command" : "./berth bench --vs distribution --smoke --fail-on-errors"' "$LATEST"
}
check "... and writes .berth/bench/latest.json: 25 workloads with berth's numbers, distribution's beside all but the two token ones, the filesystem pair's beside the 15 that move blobs" \
  bench_report_complete
bench_left_nothing() {
  ! psql_berth "SELECT name FROM projects" | grep -q '^bench-' &&
    ! ls "$BERTH_DATA/s3/$S3_BUCKET" | grep -q '^bench-distribution-' &&
    ! curl -sf -u "$ADMIN" "http://$GATEWAY/api/v1/projects" | grep -q '"name":"bench-'
}
check "... and removes what it pushed: its project, its robot, and distribution's prefix in the bucket" bench_left_nothing

# Basic auth: distribution with an htpasswd file (bcrypt, from apache2-utils).
command -v htpasswd > /dev/null || apt_install apache2-utils
BASIC_PASSWORD=bench-$RANDOM$RANDOM
htpasswd -Bbn bench "$BASIC_PASSWORD" > "$WORK/htpasswd"
cat > "$WORK/basic.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $WORK/basic-data}}
auth: {htpasswd: {realm: bench, path: $WORK/htpasswd}}
http: {addr: "127.0.0.1:5057"}
YML
# Without REGISTRY_AUTH_FILE (the clients' logins), which distribution would read as its config.
env -u REGISTRY_AUTH_FILE docker-registry serve "$WORK/basic.yml" > "$WORK/basic.log" 2>&1 &
BASIC_PID=$!
for ((i = 0; i < 50; i++)); do [[ $(http_status http://127.0.0.1:5057/v2/) == 401 ]] && break; sleep 0.2; done
check "the benchmark answers a Basic challenge (distribution with htpasswd)" bench_jar \
  --target "d=http://127.0.0.1:5057" --user "d=bench:$BASIC_PASSWORD" --only push-64KiB,pull-64KiB,catalog
check "... and without credentials stops, saying the registry asks for them" bash -c \
  'out=$(java -jar "$0" --profile smoke --target d=http://127.0.0.1:5057 2>&1); rc=$?; echo "$out"
   [[ $rc == 1 && $out == *"asks for a user and password"* ]]' "$BENCH_JAR"
kill "$BASIC_PID" 2>/dev/null
wait "$BASIC_PID" 2>/dev/null

# gc (issue #21): an image whose tag is deleted is collected online, bytes and all, through
# the gateway's API as an administrator, while the untouched image still pulls.
gc_run() { # body -> the run's JSON once it has ended
  local id i run
  id=$(rcurl -sf -H 'Content-Type: application/json' -d "$1" "http://$GATEWAY/api/v1/system/gc" | jq -r .id) || return 1
  for ((i = 0; i < 600; i++)); do
    run=$(rcurl -sf "http://$GATEWAY/api/v1/system/gc/$id") || return 1
    [[ $(jq -r .status <<< "$run") != running ]] && { echo "$run"; return 0; }
    sleep 0.2
  done
  return 1
}
gc_objects() { # repository tag -> the object ids of the image's config and layers, one per line
  local digests
  digests=$(skopeo_ inspect --tls-verify=false --raw "docker://$GATEWAY/$1:$2" | jq -r '.config.digest, .layers[].digest')
  for d in $digests; do psql_berth "SELECT object_id FROM blobs WHERE digest = '$d'"; done
}
stored_objects() { local id n=0; for id in "$@"; do [[ -f $BERTH_DATA/s3/$S3_BUCKET/blobs/$id ]] && n=$((n + 1)); done; echo "$n"; }

build_image "$WORK/gc-oci" 2 1024
check "gc: skopeo pushes an image to be deleted" skopeo_ copy --dest-tls-verify=false \
  "oci:$WORK/gc-oci:1.0" "docker://$GATEWAY/$PROJECT/gc/drop:1.0"
mapfile -t GC_OBJECTS < <(gc_objects "$PROJECT/gc/drop" 1.0)
check "... its config and 2 layers are 3 objects in the bucket" test "$(stored_objects "${GC_OBJECTS[@]}")" = 3
check "gc's API refuses anonymous callers (401) and people who are not administrators (403)" bash -c '
  [[ $(curl -s -o /dev/null -w "%{http_code}" -X POST "http://$0/api/v1/system/gc") == 401 &&
     $(curl -s -o /dev/null -w "%{http_code}" -u "developer:$1" -X POST "http://$0/api/v1/system/gc") == 403 ]]' \
  "$GATEWAY" "$BERTH_DEV_PASSWORD"
check "the tag is deleted through /v2" test "$(rcurl -s -o /dev/null -w '%{http_code}' -X DELETE \
  "http://$GATEWAY/v2/$PROJECT/gc/drop/manifests/1.0")" = 202
GC_DRY=$(gc_run '{"dryRun": true, "deleteUntagged": true, "graceSeconds": 0}')
check "a dry run says what would go and deletes nothing" bash -c '
  [[ $(jq -r .status <<< "$0") == succeeded && $(jq .manifestsDeleted <<< "$0") -ge 1 && $(jq .blobsDeleted <<< "$0") -ge 3 ]] &&
  [[ $1 == 3 ]]' "$GC_DRY" "$(stored_objects "${GC_OBJECTS[@]}")"
GC_RUN=$(gc_run '{"deleteUntagged": true, "graceSeconds": 0}')
check "gc deletes the untagged manifest and its blobs" bash -c '
  [[ $(jq -r .status <<< "$0") == succeeded && $(jq .manifestsDeleted <<< "$0") -ge 1 && $(jq .blobsDeleted <<< "$0") -ge 3 &&
     $(jq .bytesFreed <<< "$0") -ge 2097152 ]]' "$GC_RUN"
check "... and their bytes are gone from the object store" test "$(stored_objects "${GC_OBJECTS[@]}")" = 0
check "... and the manifest is gone from /v2" test "$(rcurl -s -o /dev/null -w '%{http_code}' \
  "http://$GATEWAY/v2/$PROJECT/gc/drop/manifests/$(skopeo_ inspect --format '{{.Digest}}' "oci:$WORK/gc-oci:1.0" 2>/dev/null)")" = 404
check "... its delete is an artifact.deleted event with reason gc" test "$(psql_berth "SELECT count(*) FROM outbox
  WHERE event_type = 'io.berth.artifact.deleted.v1' AND payload -> 'data' ->> 'repository' = '$PROJECT/gc/drop'
  AND payload -> 'data' ->> 'reason' = 'gc'")" -ge 1
check "... the run's log says what it did" bash -c \
  'curl -sf -u "$0" "http://$1/api/v1/system/gc/$2/log" | grep -q "succeeded: "' "$ADMIN" "$GATEWAY" "$(jq .id <<< "$GC_RUN")"
check "skopeo still pulls the untouched image whole" bash -c '
  skopeo --insecure-policy copy --src-tls-verify=false "docker://$0/$1/app/oci:1.0" "oci:$2/after-gc:1.0" &&
  diff <(skopeo inspect --raw "oci:$2/oci:1.0" | grep -o "sha256:[0-9a-f]\{64\}" | sort -u) \
       <(skopeo inspect --raw "oci:$2/after-gc:1.0" | grep -o "sha256:[0-9a-f]\{64\}" | sort -u)' \
  "$GATEWAY" "$PROJECT" "$WORK"
# (read from PostgreSQL every 30 s)
check "gc reports the project's storage as registry_storage_bytes_total" bash -c \
  'for ((i = 0; i < 40; i++)); do
     curl -sf "http://127.0.0.1:$0/q/metrics" | grep -q "^registry_storage_bytes_total{project=\"$1\"" && exit 0
     sleep 1
   done; exit 1' "$GC_PORT" "$PROJECT"

# Retention (issue #21, docs/retention.md): the seed's "keep the last 3 builds of
# <project>/frontend", through the gateway as a projectAdmin would, then checked with skopeo.
for b in 1 2 3 4 5; do build_image "$WORK/build-$b" 1 16 > /dev/null; done
push_builds() {
  local b
  for b in 1 2 3 4 5; do
    skopeo_ copy --dest-tls-verify=false "oci:$WORK/build-$b:1.0" "docker://$GATEWAY/$PROJECT/frontend:build-$b" || return 1
    sleep 1 # each build pushed after the one before, as CI pushes them
  done
}
check "retention: skopeo pushes 5 builds of frontend" push_builds
RETENTION_POLICY='{"rules": [{"template": "latestPushedK", "params": {"count": 3},
  "repositories": {"decoration": "repoMatches", "pattern": "frontend"},
  "tags": {"decoration": "matches", "pattern": "**", "untagged": false}}]}'
check "... the policy is set through the gateway (and refused to a user who is not projectAdmin)" bash -c '
  [[ $(curl -s -o /dev/null -w "%{http_code}" -u "developer:$3" -X PUT -H "Content-Type: application/json" -d "$2" "http://$0/api/v1/projects/$1/retention") == 403 ]] &&
  curl -sf -o /dev/null -u "$4" -X PUT -H "Content-Type: application/json" -d "$2" "http://$0/api/v1/projects/$1/retention"' \
  "$GATEWAY" "$PROJECT" "$RETENTION_POLICY" "$BERTH_DEV_PASSWORD" "$ADMIN"
retention_run() { # body -> the execution once it has ended
  local id i run
  id=$(rcurl -sf -H 'Content-Type: application/json' -d "$1" "http://$GATEWAY/api/v1/projects/$PROJECT/retention/executions" | jq -r .id) || return 1
  for ((i = 0; i < 300; i++)); do
    run=$(rcurl -sf "http://$GATEWAY/api/v1/projects/$PROJECT/retention/executions/$id") || return 1
    [[ $(jq -r .status <<< "$run") != running ]] && { echo "$run"; return 0; }
    sleep 0.2
  done
  return 1
}
RETENTION=$(retention_run '{"dryRun": false}')
check "... an execution keeps the 3 newest builds and deletes the 2 oldest" bash -c '
  [[ $(jq -r .status <<< "$0") == succeeded && $(jq .deleted <<< "$0") == 2 && $(jq .retained <<< "$0") == 3 ]]' "$RETENTION"
check "... build-1 and build-2 are gone from /v2" bash -c '
  for b in 1 2; do [[ $(curl -s -o /dev/null -w "%{http_code}" -u "$0" "http://$1/v2/$2/frontend/manifests/build-$b") == 404 ]] || exit 1; done' \
  "$ADMIN" "$GATEWAY" "$PROJECT"
check "... and skopeo still pulls build-3, build-4 and build-5" bash -c '
  for b in 3 4 5; do skopeo --insecure-policy copy --src-tls-verify=false "docker://$0/$1/frontend:build-$b" "oci:$2/kept-$b:1.0" > /dev/null || exit 1; done' \
  "$GATEWAY" "$PROJECT" "$WORK"
check "... its deletes are artifact.deleted events with reason retention" test "$(psql_berth "SELECT count(*) FROM outbox
  WHERE event_type = 'io.berth.artifact.deleted.v1' AND payload -> 'data' ->> 'repository' = '$PROJECT/frontend'
  AND payload -> 'data' ->> 'reason' = 'retention'")" = 2

# ---------------------------------------------------------------- scanning and the pull gate (issue #22)
# A Debian 12 image whose package database is the build machine's real zlib1g stanza, pushed
# with skopeo into a project that scans on push and prevents pulls of high findings: the
# built-in scanner finds DEBIAN-CVE-2023-45853 (CVE-2023-45853) from the OSV data set shipped
# in the repository, the pull is refused, and allowed once the CVE is allowlisted.
SCAN=$PROJECT-scan
new_project "$SCAN"
check "the shipped OSV data set imports (./berth vulndb import)" "$BERTH_ROOT/berth" vulndb import
set_project "$SCAN" '{"vulnerabilityPolicy": {"scanOnPush": true, "preventPull": true, "severity": "high"}}'
build_debian_image() { # layout: one layer with /etc/os-release and /var/lib/dpkg/status (zlib1g)
  umoci init --layout "$1" && umoci new --image "$1:1.0" &&
    umoci unpack --image "$1:1.0" "$WORK/dbundle" > /dev/null || return 1
  mkdir -p "$WORK/dbundle/rootfs/etc" "$WORK/dbundle/rootfs/var/lib/dpkg"
  cp /etc/os-release "$WORK/dbundle/rootfs/etc/os-release"
  dpkg -s zlib1g > "$WORK/dbundle/rootfs/var/lib/dpkg/status" || return 1
  umoci repack --image "$1:1.0" "$WORK/dbundle" && rm -rf "$WORK/dbundle"
}
check "umoci builds a Debian 12 image with zlib1g in its dpkg status" build_debian_image "$WORK/debian"
check "skopeo pushes it into a project that scans on push" skopeo_ copy -q --dest-tls-verify=false \
  "oci:$WORK/debian:1.0" "docker://$GATEWAY/$SCAN/debian:12"
SCAN_REPORT=http://$GATEWAY/api/v1/projects/$SCAN/repositories/debian/artifacts/12
scanned() { # the report names the CVE within 60 s of the push
  local i
  for i in {1..120}; do
    rcurl -sf "$SCAN_REPORT/vulnerabilities" > "$WORK/report.json" 2>/dev/null &&
      grep -q 'CVE-2023-45853' "$WORK/report.json" && return 0
    sleep 0.5
  done
  cat "$WORK/report.json" 2>/dev/null
  return 1
}
check "... the built-in scanner reports CVE-2023-45853 in zlib1g" scanned
check "... and its SBOM lists zlib1g with its package URL" bash -c \
  'curl -sf -u "$0" "$1/sbom" | grep -q "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1"' "$ADMIN" "$SCAN_REPORT"
# The SBOM as an OCI artifact (ADR 0035): scanner-bridge pushes it through registry-api with its
# service account, attached to the image by subject, so any OCI client finds it with the referrers API.
SCAN_DIGEST=$(rcurl -sf -o /dev/null -w '%header{docker-content-digest}' -I \
  -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$GATEWAY/v2/$SCAN/debian/manifests/12")
sbom_referrer() { # listed within 60 s of the report
  local i
  for i in {1..120}; do
    rcurl -sf "http://$GATEWAY/v2/$SCAN/debian/referrers/$SCAN_DIGEST?artifactType=application/vnd.cyclonedx%2Bjson" \
      > "$WORK/referrers.json" 2>/dev/null && [[ $(jq '.manifests | length' "$WORK/referrers.json") -ge 1 ]] && return 0
    sleep 0.5
  done
  cat "$WORK/referrers.json" 2>/dev/null
  return 1
}
check "... and pushes it as an OCI artifact that the referrers API lists (artifactType application/vnd.cyclonedx+json)" \
  sbom_referrer
SBOM_DIGEST=$(jq -r '.manifests[0].digest' "$WORK/referrers.json" 2>/dev/null)
check "... its manifest fetches, with the image as subject and one CycloneDX layer" bash -c '
  curl -sf -u "$0" -H "Accept: application/vnd.oci.image.manifest.v1+json" "$1/manifests/$2" > "$4/sbom-manifest.json" &&
  jq -e --arg s "$3" ".subject.digest == \$s and .artifactType == \"application/vnd.cyclonedx+json\"
    and (.layers | length) == 1 and .layers[0].mediaType == \"application/vnd.cyclonedx+json\"" "$4/sbom-manifest.json"' \
  "$ADMIN" "http://$GATEWAY/v2/$SCAN/debian" "$SBOM_DIGEST" "$SCAN_DIGEST" "$WORK"
check "... and its blob is the CycloneDX SBOM naming pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1" bash -c '
  curl -sfL -u "$0" "$1/blobs/$(jq -r ".layers[0].digest" "$2/sbom-manifest.json")" > "$2/sbom-blob.json" &&
  jq -e ".bomFormat == \"CycloneDX\"" "$2/sbom-blob.json" > /dev/null &&
  grep -q "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1" "$2/sbom-blob.json"' "$ADMIN" "http://$GATEWAY/v2/$SCAN/debian" "$WORK"
check "... and the report names it as its sbomDigest" test \
  "$(rcurl -sf "$SCAN_REPORT/vulnerabilities" | jq -r .sbomDigest)" = "$SBOM_DIGEST"
check "... the pull gate refuses skopeo's pull (403 DENIED naming the critical count)" bash -c '
  ! skopeo --insecure-policy copy --src-tls-verify=false "docker://$0/$1/debian:12" "oci:$2/gated:1.0" 2> "$2/gated.err" &&
  grep -qi "critical" "$2/gated.err"' "$GATEWAY" "$SCAN" "$WORK"
check "... while HEAD still answers" test "$(rcurl -s -o /dev/null -w '%{http_code}' -I \
  -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$GATEWAY/v2/$SCAN/debian/manifests/12")" = 200
set_project "$SCAN" '{"vulnerabilityPolicy": {"scanOnPush": true, "preventPull": true, "severity": "high", "allowlist": ["CVE-2023-45853"]}}'
pull_after_allowlist() { # the change reaches the gate within about 2 s
  local i
  for i in {1..20}; do
    skopeo_ copy -q --src-tls-verify=false "docker://$GATEWAY/$SCAN/debian:12" "oci:$WORK/allowed:1.0" && return 0
    sleep 0.5
  done
  return 1
}
check "... and lets it through once the project allowlists the CVE" pull_after_allowlist
check "... scan.completed was written for the image" test "$(psql_berth "SELECT count(*) FROM outbox
  WHERE event_type = 'io.berth.scan.completed.v1' AND payload -> 'data' ->> 'repository' = '$SCAN/debian'")" -ge 1

# An adapter scanner in the queue (docs/adr/0036): berth's own Pluggable Scanner API
# (scanner-bridge's /scanner, opened by the key ./berth up made) registered as a second scanner
# and chosen by a project that refuses unscanned pulls. The adapter pulls the image through the
# gateway with the token scanner-bridge minted (pull + scanner-pull for that one repository), so
# the gate that refuses skopeo lets it through; its report has the zlib finding.
ADAPTED=$PROJECT-adapter
SELF_SCANNER=e2e-self-$RANDOM
PLUGGABLE_KEY=$(cat "$BERTH_CONF/scanner-pluggable-api.key" 2>/dev/null)
new_project "$ADAPTED"
set_project "$ADAPTED" '{"vulnerabilityPolicy": {"scanOnPush": true, "preventPull": true, "severity": "high", "unscanned": "deny"}}'
check "berth's own Pluggable Scanner API registers as a second scanner" rcurl -sf -o /dev/null \
  -H 'Content-Type: application/json' "http://$GATEWAY/api/v1/scanners" -d "{\"name\": \"$SELF_SCANNER\",
  \"url\": \"http://127.0.0.1:$SCANNER_BRIDGE_PORT/scanner\", \"auth\": \"api-key\", \"secret\": \"$PLUGGABLE_KEY\"}"
check "... and a project chooses it" rcurl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
  "http://$GATEWAY/api/v1/projects/$ADAPTED/scanner" -d "{\"scanner\": \"$SELF_SCANNER\"}"
check "skopeo pushes the Debian image there" skopeo_ copy -q --dest-tls-verify=false \
  "oci:$WORK/debian:1.0" "docker://$GATEWAY/$ADAPTED/debian:12"
# The project's policy reaches the gate through each replica's one-second poll (PullGatePolicies),
# and the push can finish within that second: refused within 5 s, and from then on.
adapted_pull() {
  skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$GATEWAY/$ADAPTED/debian:12" \
    "oci:$WORK/unscanned:1.0" 2> "$WORK/unscanned.err"
}
pull_refused() {
  local i
  for i in {1..10}; do
    if ! adapted_pull; then
      grep -qi refused "$WORK/unscanned.err" && ! adapted_pull
      return
    fi
    sleep 0.5
  done
  return 1
}
check "... the gate refuses skopeo's pull (unscanned, then critical)" pull_refused
SCAN_REPORT=http://$GATEWAY/api/v1/projects/$ADAPTED/repositories/debian/artifacts/12
check "... the adapter pulled it through the gate and reports CVE-2023-45853" scanned
check "... the report is the adapter's" test "$(jq -r .scanner "$WORK/report.json")" = "$SELF_SCANNER"
check "... its SBOM came with it" bash -c 'curl -sf -u "$0" "$1/sbom" | grep -q "pkg:deb/debian/zlib1g"' "$ADMIN" "$SCAN_REPORT"
check "... scan.completed names the adapter" test "$(psql_berth "SELECT count(*) FROM outbox
  WHERE event_type = 'io.berth.scan.completed.v1' AND payload -> 'data' ->> 'repository' = '$ADAPTED/debian'
  AND payload -> 'data' ->> 'scanner' = '$SELF_SCANNER'")" -ge 1
rcurl -sf -o /dev/null -X DELETE "http://$GATEWAY/api/v1/scanners/$SELF_SCANNER"
psql_berth "DELETE FROM projects WHERE name = '$ADAPTED'" > /dev/null

# The race test of issue #21 (tests/e2e/GcRace.java): rounds of concurrent pushes sharing
# layers, indexes, mounts, deletes and gc runs with grace 0; after each round every tagged
# manifest pulls whole and no unreferenced blob survives a finished run.
check "gc races pushes, mounts and deletes for 6 rounds and loses nothing" env \
  BERTH_RACE_PSQL="PGPASSWORD=$PG_PASSWORD psql -X -q -tA -h 127.0.0.1 -p $PG_PORT -U $PG_USER -d berth -c" \
  java "$BERTH_ROOT/tests/e2e/GcRace.java" "$GATEWAY" "$ADMIN" "$PROJECT" 6

# Repositories, manifests, tags and links go with the project; gc then collects what this run
# stored and nothing uses any more (grace 0: this suite owns the stack while it runs).
psql_berth "DELETE FROM projects WHERE name = '$PROJECT'" > /dev/null
GC_LAST=$(gc_run '{"graceSeconds": 0}')
check "gc collects what the test project left" test "$(jq -r .status <<< "$GC_LAST")" = succeeded

summary e2e
