#!/usr/bin/env bash
# Replication end to end (issue #23, ADRs 0037-0040), against a running stack, with real clients
# and real registries on loopback:
# - berth as its own remote: an event-based push policy from one project to another through the
#   gateway with the token flow (endpoint type berth), deletion propagation, overwrite off;
# - Debian's CNCF distribution (docker-registry) as a remote, pushed to with htpasswd and pulled
#   from without, and down while an event waits (the task retries and completes when it returns);
# - the seed's policy JSON POSTed as written (URLs pointed at these registries);
# - the executions API: counts, tasks, logs, a project administrator's view, anonymous refused.
# Exit code 0 only if every check passed.
set -uo pipefail

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

GATEWAY=127.0.0.1:$GATEWAY_PORT
API=http://$GATEWAY/api/v1/replication
ADMIN=admin:$BERTH_ADMIN_PASSWORD
RUN="r$(date +%s)-$RANDOM"
SRC=$RUN-src
DST=$RUN-dst
DIST_PIDS=()
export REGISTRY_AUTH_FILE=$WORK/auth.json

cleanup() {
  local pid id
  for pid in "${DIST_PIDS[@]}"; do
    kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null
  done
  for id in $(curl -s -u "$ADMIN" "$API/policies" | jq -r --arg r "$RUN" '.[] | select(.name | startswith($r)) | .id' 2> /dev/null); do
    curl -s -o /dev/null -u "$ADMIN" -X DELETE "$API/policies/$id"
  done
  for id in $(curl -s -u "$ADMIN" "$API/endpoints" | jq -r --arg r "$RUN" '.[] | select(.name | startswith($r)) | .id' 2> /dev/null); do
    curl -s -o /dev/null -u "$ADMIN" -X DELETE "$API/endpoints/$id"
  done
  psql_berth "DELETE FROM repositories WHERE name LIKE '$RUN-%'" > /dev/null 2>&1
  for p in "$SRC" "$DST"; do curl -s -o /dev/null -u "$ADMIN" -X DELETE "http://$GATEWAY/api/v1/projects/$p"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

api() { # method path [json]: prints the body; fails on a status >= 400
  local body=${3:-}
  if [[ -n $body ]]; then
    curl -sS -f -u "$ADMIN" -X "$1" -H 'Content-Type: application/json' -d "$body" "$API$2"
  else
    curl -sS -f -u "$ADMIN" -X "$1" "$API$2"
  fi
}
skopeo_() { skopeo --insecure-policy "$@"; }
new_project() { curl -sf -o /dev/null -u "$ADMIN" -H 'Content-Type: application/json' -d "{\"name\": \"$1\"}" \
  "http://$GATEWAY/api/v1/projects"; }
build_image() { # layout kib: one random layer
  umoci init --layout "$1" && umoci new --image "$1:1.0" && umoci unpack --image "$1:1.0" "$WORK/bundle" > /dev/null &&
    head -c "$(($2 * 1024))" /dev/urandom > "$WORK/bundle/rootfs/data.bin" &&
    umoci repack --image "$1:1.0" "$WORK/bundle" && rm -rf "$WORK/bundle"
}
digest_of() { # docker://ref [skopeo options]: the manifest's digest there
  local ref=$1
  shift
  skopeo_ inspect "$@" --format '{{.Digest}}' "$ref"
}
until_true() { # seconds command...: retries every 0.25 s until it succeeds
  local deadline=$((SECONDS + $1))
  shift
  while ((SECONDS < deadline)); do
    "$@" > /dev/null 2>&1 && return 0
    sleep 0.25
  done
  "$@"
}

# A Debian docker-registry (CNCF distribution 2.8.2) on a free loopback port: dist <name> [htpasswd]
dist() {
  local name=$1 auth=${2:-} dir=$WORK/$1 port
  mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  {
    echo "version: 0.1"
    echo "storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}"
    echo "http: {addr: 127.0.0.1:$port}"
    echo "log: {level: warn}"
    if [[ -n $auth ]]; then
      htpasswd -Bbn mirror "$RUN-pw" > "$dir/htpasswd"
      echo "auth: {htpasswd: {realm: dist, path: $dir/htpasswd}}"
    fi
  } > "$dir/config.yml"
  echo "$port" > "$dir/port"
}
dist_start() { # name
  # distribution reads every REGISTRY_* variable as configuration: skopeo's REGISTRY_AUTH_FILE
  # would become its auth section.
  env -u REGISTRY_AUTH_FILE docker-registry serve "$WORK/$1/config.yml" > "$WORK/$1/log" 2>&1 &
  DIST_PIDS+=($!)
  echo $! > "$WORK/$1/pid"
  until_true 10 curl -s -o /dev/null "http://127.0.0.1:$(cat "$WORK/$1/port")/v2/"
}
dist_stop() { kill "$(cat "$WORK/$1/pid")" && wait "$(cat "$WORK/$1/pid")" 2> /dev/null; return 0; }
dist_url() { echo "http://127.0.0.1:$(cat "$WORK/$1/port")"; }

check "anonymous callers are refused the replication API" test "$(http_status "$API/policies")" = 401
new_project "$SRC" && new_project "$DST"
check "skopeo logs in to the gateway" skopeo login --tls-verify=false -u admin -p "$BERTH_ADMIN_PASSWORD" "$GATEWAY"
check "umoci builds a small image" build_image "$WORK/small" 64

# ---------------------------------------------------------------- berth as its own remote
EP_SELF=$(api POST /endpoints "{\"name\": \"$RUN-self\", \"type\": \"berth\", \"url\": \"http://$GATEWAY\",
  \"credential\": {\"type\": \"basic\", \"username\": \"admin\", \"password\": \"$BERTH_ADMIN_PASSWORD\"}}" | jq -r .id)
check "an endpoint of type berth for this berth's gateway pings with the token flow" bash -c \
  '[[ $(curl -sf -u "$0" -X POST "$1/endpoints/$2/ping" | jq -r "[.ok, .auth] | join(\" \")") == "true bearer" ]]' \
  "$ADMIN" "$API" "$EP_SELF"
SELF_POLICY=$(api POST /policies "{\"name\": \"$RUN-self\", \"direction\": \"push\", \"endpointId\": $EP_SELF,
  \"filters\": {\"repositories\": [\"$SRC/**\"], \"tags\": {\"exclude\": [\"*-wip\"]}},
  \"destNamespace\": \"$DST\", \"replicateDeletion\": true, \"overwrite\": false,
  \"trigger\": {\"type\": \"event_based\"}}" | jq -r .id)
check "an event-based policy from $SRC to $DST is created" test -n "$SELF_POLICY" -a "$SELF_POLICY" != null
check "skopeo pushes $SRC/app:1.0" skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/small:1.0" "docker://$GATEWAY/$SRC/app:1.0"
SMALL_DIGEST=$(digest_of "docker://$GATEWAY/$SRC/app:1.0" --tls-verify=false)
check "... and within 10 s $DST/app:1.0 has the same digest" until_true 10 bash -c \
  '[[ $(skopeo inspect --tls-verify=false --format "{{.Digest}}" "docker://$0/$1/app:1.0") == "$2" ]]' \
  "$GATEWAY" "$DST" "$SMALL_DIGEST"
check "a tag the policy excludes (1.0-wip) is not replicated" bash -c '
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$0/small:1.0" "docker://$1/$2/app:1.0-wip" && sleep 3 &&
  ! skopeo inspect --tls-verify=false "docker://$1/$3/app:1.0-wip" > /dev/null 2>&1' "$WORK" "$GATEWAY" "$SRC" "$DST"
EXECUTION=$(api GET "/executions?policy_id=$SELF_POLICY" | jq -r '[.[] | select(.status == "succeeded")][0].id')
check "the execution is listed as succeeded, event_based, with one task" bash -c \
  '[[ $(curl -sf -u "$0" "$1/executions/$2" | jq -r "[.trigger, .total, .succeeded] | join(\" \")") == "event_based 1 1" ]]' \
  "$ADMIN" "$API" "$EXECUTION"
TASK=$(api GET "/executions/$EXECUTION/tasks" | jq -r '.[0].id')
check "... its task names source and destination, and its log says what was copied" bash -c '
  curl -sf -u "$0" "$1/executions/$2/tasks" | jq -e --arg s "$3/app:1.0" --arg d "$4/app:1.0" \
    ".[0].src_resource == \$s and .[0].dst_resource == \$d and .[0].status == \"succeeded\"" &&
  curl -sf -u "$0" "$1/executions/$2/tasks/$5/log" | grep -qi "manifest"' "$ADMIN" "$API" "$EXECUTION" "$SRC" "$DST" "$TASK"
check "the replicator exports berth_replication_lag_seconds for the policy" bash -c \
  'curl -sf "http://127.0.0.1:$0/q/metrics" | grep -q "^berth_replication_lag_seconds_count{.*policy=\"$1\""' \
  "$REPLICATOR_PORT" "$RUN-self"

# A referrer (an SBOM-like artifact with the image as subject), pushed by digest with curl: the
# untagged push's event replicates it (the policy's kinds include referrers), and berth's
# referrers API at the destination lists it.
push_blob() { # repository file: a monolithic upload; prints the digest
  local d
  d=sha256:$(sha256sum "$2" | cut -d' ' -f1)
  curl -sf -o /dev/null -u "$ADMIN" -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$2" \
    "http://$GATEWAY/v2/$1/blobs/uploads/?digest=$d" && echo "$d"
}
printf '{}' > "$WORK/empty.json"
printf '{"bomFormat":"CycloneDX","specVersion":"1.5","run":"%s"}' "$RUN" > "$WORK/sbom.json"
referrer_manifest() {
  local empty sbom
  empty=$(push_blob "$SRC/app" "$WORK/empty.json") && sbom=$(push_blob "$SRC/app" "$WORK/sbom.json") || return 1
  jq -cn --arg e "$empty" --arg s "$sbom" --arg subject "$SMALL_DIGEST" \
    --argjson ss "$(skopeo inspect --tls-verify=false --raw "docker://$GATEWAY/$SRC/app:1.0" | wc -c)" \
    --argjson sz "$(wc -c < "$WORK/sbom.json")" '{schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json", artifactType: "application/vnd.cyclonedx+json",
      config: {mediaType: "application/vnd.oci.empty.v1+json", digest: $e, size: 2},
      layers: [{mediaType: "application/vnd.cyclonedx+json", digest: $s, size: $sz}],
      subject: {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $subject, size: $ss}}' \
    > "$WORK/referrer.json"
}
check "a referrer of $SRC/app:1.0 is made (empty config, one CycloneDX layer)" referrer_manifest
REFERRER=sha256:$(sha256sum "$WORK/referrer.json" | cut -d' ' -f1)
check "... and pushed by digest" curl -sf -o /dev/null -u "$ADMIN" -X PUT \
  -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$WORK/referrer.json" \
  "http://$GATEWAY/v2/$SRC/app/manifests/$REFERRER"
listed_referrer() {
  curl -sf -u "$ADMIN" "http://$GATEWAY/v2/$DST/app/referrers/$SMALL_DIGEST" |
    jq -e --arg r "$REFERRER" '[.manifests[].digest] | index($r) != null'
}
check "... it travels to $DST/app: the referrers API there lists it within 10 s" until_true 10 listed_referrer

# One platform of an index (ADR 0040): the index keeps its bytes and digest at the destination,
# which holds the selected child only (a sparse index). berth accepts one from
# service$replicator alone, so the copy is a pull: from this berth as a remote (the gateway, as
# the administrator) into this berth (registry-api, as service$replicator).
check "umoci builds a second small image" build_image "$WORK/other" 64
push_child() { skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/$1:1.0" "docker://$GATEWAY/$SRC/multi:$2"; }
check "skopeo pushes two images into $SRC/multi (tags the first policy excludes)" bash -c \
  "$(declare -f skopeo_ push_child); GATEWAY=$GATEWAY SRC=$SRC WORK=$WORK; push_child small a-wip && push_child other b-wip"
raw() { skopeo_ inspect --tls-verify=false --raw "docker://$GATEWAY/$SRC/multi:$1"; }
OTHER_DIGEST=$(digest_of "docker://$GATEWAY/$SRC/multi:b-wip" --tls-verify=false)
jq -cn --arg a "$SMALL_DIGEST" --argjson asize "$(raw a-wip | wc -c)" --arg b "$OTHER_DIGEST" --argjson bsize "$(raw b-wip | wc -c)" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [
     {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $a, size: $asize, platform: {os: "linux", architecture: "amd64"}},
     {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $b, size: $bsize, platform: {os: "linux", architecture: "arm64"}}]}' \
  > "$WORK/index.json"
INDEX_DIGEST=sha256:$(sha256sum "$WORK/index.json" | cut -d' ' -f1)
AMD64=$(api POST /policies "{\"name\": \"$RUN-amd64\", \"direction\": \"pull\", \"endpointId\": $EP_SELF,
  \"filters\": {\"repositories\": [\"$SRC/multi\"], \"tags\": {\"include\": [\"multi-wip\"]}, \"platforms\": [\"linux/amd64\"]},
  \"destNamespace\": \"$DST\", \"trigger\": {\"type\": \"manual\"}}" | jq -r .id)
check "an index of linux/amd64 and linux/arm64 is pushed to $SRC/multi:multi-wip" \
  curl -sf -o /dev/null -u "$ADMIN" -X PUT -H 'Content-Type: application/vnd.oci.image.index.v1+json' \
  --data-binary "@$WORK/index.json" "http://$GATEWAY/v2/$SRC/multi/manifests/multi-wip"
check "... and a pull policy copying linux/amd64 only is run" \
  curl -sf -o /dev/null -u "$ADMIN" -H 'Content-Type: application/json' -d "{\"policy_id\": $AMD64}" "$API/executions"
sparse_arrived() {
  [[ $(curl -s -o /dev/null -w '%{http_code} %header{docker-content-digest}' -u "$ADMIN" \
    -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$GATEWAY/v2/$DST/multi/manifests/multi-wip") == "200 $INDEX_DIGEST" ]]
}
sparse_or_why() { # the task's error if it did not arrive
  until_true 10 sparse_arrived && return 0
  local e
  e=$(curl -s -u "$ADMIN" "$API/executions?policy_id=$AMD64" | jq -r '.[0].id')
  curl -s -u "$ADMIN" "$API/executions/$e/tasks" | jq -r '.[] | .error'
  return 1
}
check "... at $DST/multi:multi-wip within 10 s, with the same digest" sparse_or_why
check "... with its linux/amd64 child, and without the linux/arm64 one (MANIFEST_UNKNOWN)" bash -c '
  [[ $(curl -s -o /dev/null -w "%{http_code}" -u "$0" -I -H "Accept: application/vnd.oci.image.manifest.v1+json" "$1/$2") == 200 ]] &&
  [[ $(curl -s -o /dev/null -w "%{http_code}" -u "$0" -I -H "Accept: application/vnd.oci.image.manifest.v1+json" "$1/$3") == 404 ]]' \
  "$ADMIN" "http://$GATEWAY/v2/$DST/multi/manifests" "$SMALL_DIGEST" "$OTHER_DIGEST"

# Overwrite off: a different image under the same tag at the source fails the task at the destination.
skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/other:1.0" "docker://$GATEWAY/$SRC/app:1.0"
failed_overwrite() {
  curl -sf -u "$ADMIN" "$API/executions?policy_id=$SELF_POLICY&status=failed" | jq -r '.[0].id' | grep -qv null &&
    [[ $(digest_of "docker://$GATEWAY/$DST/app:1.0" --tls-verify=false) == "$SMALL_DIGEST" ]]
}
check "with overwrite off, a moved tag is not moved at the destination and its task fails" until_true 15 failed_overwrite
FAILED_EXEC=$(api GET "/executions?policy_id=$SELF_POLICY&status=failed" | jq -r '.[0].id')
check "... with an error saying the tag exists" bash -c \
  'curl -sf -u "$0" "$1/executions/$2/tasks" | jq -r ".[0].error" | grep -qi "exists"' "$ADMIN" "$API" "$FAILED_EXEC"

# Deletion propagation: the manifest deleted at the source goes at the destination.
skopeo_ copy -q --dest-tls-verify=false "oci:$WORK/small:1.0" "docker://$GATEWAY/$SRC/app:gone"
check "a replicated tag arrives ($DST/app:gone)" until_true 10 skopeo_ inspect --tls-verify=false "docker://$GATEWAY/$DST/app:gone"
GONE_DIGEST=$(digest_of "docker://$GATEWAY/$SRC/app:gone" --tls-verify=false)
check "deleting it at the source (by digest) deletes it at the destination" bash -c '
  curl -sf -o /dev/null -u "$0" -X DELETE "http://$1/v2/$2/app/manifests/$3" && for i in $(seq 40); do
    [[ $(curl -s -o /dev/null -w "%{http_code}" -u "$0" "http://$1/v2/$4/app/manifests/$3") == 404 ]] && exit 0; sleep 0.25; done; exit 1' \
  "$ADMIN" "$GATEWAY" "$SRC" "$GONE_DIGEST" "$DST"

# ---------------------------------------------------------------- distribution, with htpasswd, down and back
dist secured htpasswd
check "docker-registry with htpasswd starts on loopback" dist_start secured
EP_DIST=$(api POST /endpoints "{\"name\": \"$RUN-dist\", \"type\": \"distribution\", \"url\": \"$(dist_url secured)\",
  \"credential\": {\"type\": \"basic\", \"username\": \"mirror\", \"password\": \"$RUN-pw\"}}" | jq -r .id)
check "a wrong password pings as unauthorized" bash -c '
  [[ $(curl -sf -u "$0" -X POST -H "Content-Type: application/json" "$1/endpoints/ping" -d "{\"name\": \"x\",
    \"type\": \"distribution\", \"url\": \"$2\", \"credential\": {\"type\": \"basic\", \"username\": \"mirror\",
    \"password\": \"wrong\"}}" | jq -r .error) == unauthorized ]]' "$ADMIN" "$API" "$(dist_url secured)"
DIST_POLICY=$(api POST /policies "{\"name\": \"$RUN-dist\", \"direction\": \"push\", \"endpointId\": $EP_DIST,
  \"filters\": {\"repositories\": [\"$SRC/mirror*\"]}, \"destNamespace\": \"dc2\",
  \"trigger\": {\"type\": \"event_based\"}}" | jq -r .id)
check "skopeo pushes $SRC/mirrored:1.0 (an event-based policy sends it to docker-registry)" skopeo_ copy -q \
  --dest-tls-verify=false "oci:$WORK/small:1.0" "docker://$GATEWAY/$SRC/mirrored:1.0"
check "... it is at docker-registry as dc2/mirrored:1.0 within 10 s" until_true 10 skopeo_ inspect --tls-verify=false \
  --creds "mirror:$RUN-pw" "docker://127.0.0.1:$(cat "$WORK/secured/port")/dc2/mirrored:1.0"
dist_stop secured
check "with docker-registry down, a push to berth still succeeds" skopeo_ copy -q --dest-tls-verify=false \
  "oci:$WORK/other:1.0" "docker://$GATEWAY/$SRC/mirrored:2.0"
waiting_task() { curl -sf -u "$ADMIN" "$API/executions?policy_id=$DIST_POLICY" | jq -e '[.[] | select(.status == "running" or .status == "pending")] | length >= 1'; }
check "... its task waits to be retried" until_true 10 waiting_task
sleep 2
check "docker-registry comes back" dist_start secured
check "... and the task completes: dc2/mirrored:2.0 is there within 60 s" until_true 60 skopeo_ inspect --tls-verify=false \
  --creds "mirror:$RUN-pw" "docker://127.0.0.1:$(cat "$WORK/secured/port")/dc2/mirrored:2.0"

PULL_SECURED=$(api POST /policies "{\"name\": \"$RUN-dist-pull\", \"direction\": \"pull\", \"endpointId\": $EP_DIST,
  \"filters\": {\"repositories\": [\"dc2/**\"], \"tags\": {\"include\": [\"2.*\"]}}, \"destNamespace\": \"$DST\",
  \"flatten\": 1, \"trigger\": {\"type\": \"manual\"}}" | jq -r .id)
pull_secured() {
  local id s i
  id=$(curl -sf -u "$ADMIN" -H 'Content-Type: application/json' -d "{\"policy_id\": $PULL_SECURED}" "$API/executions" | jq -r .id)
  for i in $(seq 120); do
    s=$(curl -sf -u "$ADMIN" "$API/executions/$id" | jq -r '[.status, .total] | join(" ")')
    [[ $s == "succeeded 1" ]] && break
    [[ $s == succeeded* || $s == failed* ]] && { echo "execution $id: $s"; return 1; }
    sleep 0.5
  done
  [[ $(digest_of "docker://$GATEWAY/$DST/mirrored:2.0" --tls-verify=false) == \
     "$(digest_of "docker://$GATEWAY/$SRC/mirrored:2.0" --tls-verify=false)" ]]
}
check "a manual pull policy from docker-registry with htpasswd brings dc2/mirrored:2.0 (only 2.*) back as $DST/mirrored:2.0" \
  pull_secured

# ---------------------------------------------------------------- pull from an open distribution, the seed's policy
dist open
check "an open docker-registry starts on loopback" dist_start open
OPEN=127.0.0.1:$(cat "$WORK/open/port")
check "skopeo pushes myapp/frontend:1.0 and :2.0 to it" bash -c '
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$0/small:1.0" "docker://$1/myapp/frontend:1.0" &&
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$0/other:1.0" "docker://$1/myapp/frontend:2.0"' "$WORK" "$OPEN"
EP_OPEN=$(api POST /endpoints "{\"name\": \"$RUN-open\", \"type\": \"distribution\", \"url\": \"http://$OPEN\"}" | jq -r .id)
# The seed's example (section 五.2), as written but for its URLs: dc1 is the open registry, dc2 this berth.
SEED=$(sed -e "s#https://registry-dc1.example.com#http://$OPEN#" -e "s#https://registry-dc2.example.com#http://$GATEWAY#" \
  -e "s#\"dc2-sync\"#\"$RUN-seed\"#" -e "s#\"library\"#\"$DST\"#" "$BERTH_ROOT/docs/examples/seed-replication-policy.json")
SEED_POLICY=$(api POST /policies "$SEED" | jq -r .id)
check "the seed's policy JSON, POSTed as written, makes a manual pull policy" bash -c \
  '[[ $(curl -sf -u "$0" "$1/policies/$2" | jq -r "[.direction, .trigger.type, .enabled] | join(\" \")") == "pull manual true" ]]' \
  "$ADMIN" "$API" "$SEED_POLICY"
SEED_EXEC=$(curl -sf -u "$ADMIN" -H 'Content-Type: application/json' -d "{\"policy_id\": $SEED_POLICY}" \
  "$API/executions" | jq -r .id)
seed_done() { [[ $(curl -sf -u "$ADMIN" "$API/executions/$SEED_EXEC" | jq -r '[.status, .succeeded] | join(" ")') == "succeeded 2" ]]; }
check "... a manual execution copies both tags (succeeded, 2 tasks)" until_true 60 seed_done
check "... $DST/frontend:1.0 and :2.0 pull from berth with the digests of the remote" bash -c '
  for t in 1.0 2.0; do
    remote=$(skopeo inspect --tls-verify=false --format "{{.Digest}}" "docker://$0/myapp/frontend:$t") &&
      here=$(skopeo inspect --tls-verify=false --format "{{.Digest}}" "docker://$1/$2/frontend:$t") &&
      [[ -n $remote && $remote == "$here" ]] || exit 1
  done' "$OPEN" "$GATEWAY" "$DST"
check "... and a second run copies nothing new (bytes 0)" bash -c '
  id=$(curl -sf -u "$0" -H "Content-Type: application/json" -d "{\"policy_id\": $2}" "$1/executions" | jq -r .id)
  for i in $(seq 120); do
    s=$(curl -sf -u "$0" "$1/executions/$id" | jq -r "[.status, .bytes] | join(\" \")")
    [[ $s == "succeeded 0" ]] && exit 0; [[ $s == succeeded* || $s == failed* ]] && { echo "$s"; exit 1; }; sleep 0.5
  done; exit 1' "$ADMIN" "$API" "$SEED_POLICY"

# ---------------------------------------------------------------- who sees executions
check "a project's executions are not shown to the anonymous" test "$(http_status "$API/executions?project=$DST")" = 401

summary "replication"
