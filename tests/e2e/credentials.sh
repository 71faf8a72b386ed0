#!/usr/bin/env bash
# Basic credentials on /v2 and their revocation across replicas (issue #19, ADR 0020).
#
# Given a running auth ($AUTH_URL) and the built registry-api jar, starts two registry-api
# replicas of its own that demand tokens and exchange Basic credentials at auth, then with
# curl -u only: a robot pushes through replica 1 and pulls through replica 2; the robot is
# disabled through auth's API and replica 2 must refuse it within 2 s although it had its
# token cached; a user lists tags and deletes a manifest by digest as the clean-up script
# does; a user disabled in Keycloak is refused by replica 2 within 2 s (this needs the realm's
# admin events, ADR 0020). Stops its replicas and deletes its project and user at the end.
# Exit code 0 only if every check passed.
#
#   AUTH_URL            auth's base URL (default http://127.0.0.1:8082)
#   CRED_REGISTRY_PORTS the two replicas' ports (default "8193 8194")
#   REGISTRY_API_JAR    default services/registry-api/target/quarkus-app/quarkus-run.jar
set -uo pipefail

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

AUTH_URL=${AUTH_URL:-http://127.0.0.1:$AUTH_PORT}
read -r PORT1 PORT2 <<< "${CRED_REGISTRY_PORTS:-8193 8194}"
JAR=${REGISTRY_API_JAR:-$BERTH_ROOT/services/registry-api/target/quarkus-app/quarkus-run.jar}
ADMIN=admin:$BERTH_ADMIN_PASSWORD
PROJECT="cred-$(date +%s)-$RANDOM"
REPO=$PROJECT/app
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null
  done
  # The project can only go once it has no repositories; they are this script's own.
  psql_berth "DELETE FROM repositories WHERE name LIKE '$PROJECT/%'" > /dev/null 2>&1
  curl -s -o /dev/null -u "$ADMIN" -X DELETE "$AUTH_URL/api/v1/projects/$PROJECT"
  rm -rf "$WORK"
}
trap cleanup EXIT

start_replica() { # port
  QUARKUS_HTTP_PORT=$1 \
    BERTH_REGISTRY_AUTH_ENABLED=true \
    BERTH_REGISTRY_AUTH_JWKS_URL="$AUTH_URL/.well-known/jwks.json" \
    BERTH_REGISTRY_AUTH_TOKEN_URL="$AUTH_URL/service/token" \
    java -Xmx256m -jar "$JAR" > "$WORK/registry-$1.log" 2>&1 &
  PIDS+=($!)
}

wait_ready() { # port: /v2/ answers the 401 challenge
  local i
  for ((i = 0; i < 120; i++)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v2/") == 401 ]] && return 0
    sleep 0.5
  done
  tail -n 30 "$WORK/registry-$1.log"
  return 1
}

status() { # expected-status curl-args...: the request answers exactly this status
  local want=$1 got
  shift
  got=$(curl -s -o "$WORK/body" -w '%{http_code}' "$@")
  [[ $got == "$want" ]] || { echo "HTTP $got, not $want: $(head -c 400 "$WORK/body")"; return 1; }
}

push_blob() { # port file
  status 201 -u "$ROBOT" -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$2" \
    "http://127.0.0.1:$1/v2/$REPO/blobs/uploads/?digest=sha256:$(sha256sum < "$2" | cut -d' ' -f1)"
}

# Polls replica 2 with the robot until it is refused; fails if that takes more than 2 s.
refused_within_2s() {
  local start now
  start=$(date +%s%N)
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -u "$ROBOT" "http://127.0.0.1:$PORT2/v2/$REPO/manifests/v1")
    now=$(date +%s%N)
    [[ $code == 401 ]] && { echo "refused after $(((now - start) / 1000000)) ms"; return 0; }
    ((now - start > 2000000000)) && { echo "still $code after 2 s"; return 1; }
    sleep 0.05
  done
}

[[ -f $JAR ]] || { echo "no registry-api jar at $JAR; build it first" >&2; exit 1; }
start_replica "$PORT1"
start_replica "$PORT2"
check "replica 1 starts and demands credentials" wait_ready "$PORT1"
check "replica 2 starts and demands credentials" wait_ready "$PORT2"

check "the administrator creates private project $PROJECT" status 201 -u "$ADMIN" \
  -H 'Content-Type: application/json' -d "{\"name\": \"$PROJECT\"}" "$AUTH_URL/api/v1/projects"
ROBOT=
make_robot() {
  status 201 -u "$ADMIN" -H 'Content-Type: application/json' \
    -d '{"name": "ci", "permissions": ["pull", "push"], "expiresInDays": 1}' \
    "$AUTH_URL/api/v1/projects/$PROJECT/robots" || return 1
  ROBOT="$(jq -r .name "$WORK/body"):$(jq -r .secret "$WORK/body")"
}
check "a robot with pull and push" make_robot

# A small image: a config and one layer, pushed monolithically with Basic credentials.
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' > "$WORK/config"
head -c 2048 /dev/urandom > "$WORK/layer"
digest_of() { echo "sha256:$(sha256sum < "$1" | cut -d' ' -f1)"; }
cat > "$WORK/manifest" << EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$(digest_of "$WORK/config")","size":$(stat -c %s "$WORK/config")},
"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"$(digest_of "$WORK/layer")","size":2048}]}
EOF
MANIFEST_DIGEST=$(digest_of "$WORK/manifest")
MT=application/vnd.oci.image.manifest.v1+json

check "anonymous push is refused with the Bearer challenge" status 401 -X POST \
  "http://127.0.0.1:$PORT1/v2/$REPO/blobs/uploads/"
check "a wrong robot secret is refused" status 401 -u "${ROBOT%%:*}:wrong" "http://127.0.0.1:$PORT1/v2/$REPO/tags/list"
check "the robot pushes the config through replica 1 (curl -u)" push_blob "$PORT1" "$WORK/config"
check "the robot pushes the layer through replica 1" push_blob "$PORT1" "$WORK/layer"
check "the robot pushes the manifest through replica 1" status 201 -u "$ROBOT" -X PUT \
  -H "Content-Type: $MT" --data-binary "@$WORK/manifest" "http://127.0.0.1:$PORT1/v2/$REPO/manifests/v1"
check "the robot pulls the manifest through replica 2" status 200 -u "$ROBOT" -H "Accept: $MT" \
  "http://127.0.0.1:$PORT2/v2/$REPO/manifests/v1"
pulled_layer() {
  curl -sf -u "$ROBOT" "http://127.0.0.1:$PORT2/v2/$REPO/blobs/$(digest_of "$WORK/layer")" | cmp - "$WORK/layer"
}
check "the robot pulls the layer through replica 2, byte for byte" pulled_layer
check "a second pull through replica 2" status 200 -u "$ROBOT" -H "Accept: $MT" \
  "http://127.0.0.1:$PORT2/v2/$REPO/manifests/v1"
served_from_cache() { # replica 2 counted a Basic request it answered without asking auth
  curl -s "http://127.0.0.1:$PORT2/q/metrics" | grep -E '^berth_registry_delegated_requests_total\{credential="basic",result="cached"\} [1-9]'
}
check "replica 2 served the second pull from its cache" served_from_cache

check "the administrator disables the robot" status 204 -u "$ADMIN" -X PUT -H 'Content-Type: application/json' \
  -d '{"disabled": true}' "$AUTH_URL/api/v1/projects/$PROJECT/robots/ci"
check "replica 2 refuses the disabled robot within 2 s" refused_within_2s
echo "    # $(tail -n 1 "$WORK/last.out")"
check "replica 1 refuses it too" status 401 -u "$ROBOT" "http://127.0.0.1:$PORT1/v2/$REPO/tags/list"

# The clean-up script's calls: Basic credentials of a user on every call.
tags_have_v1() {
  status 200 -u "$ADMIN" "http://127.0.0.1:$PORT1/v2/$REPO/tags/list" && jq -e '.tags | index("v1")' "$WORK/body"
}
check "a user lists the tags with curl -u user:password" tags_have_v1
check "the user deletes the manifest by digest" status 202 -u "$ADMIN" -X DELETE \
  "http://127.0.0.1:$PORT2/v2/$REPO/manifests/$MANIFEST_DIGEST"
check "the manifest is gone" status 404 -u "$ADMIN" -H "Accept: $MT" "http://127.0.0.1:$PORT1/v2/$REPO/manifests/v1"
check "a wrong user password is refused with the challenge" status 401 -u "admin:not-the-password" \
  "http://127.0.0.1:$PORT1/v2/$REPO/tags/list"

# A person disabled in Keycloak: auth reads Keycloak's admin events and announces them (needs
# the realm's adminEventsEnabled and view-events for berth-auth's service account, ADR 0020).
KEYCLOAK=http://127.0.0.1:$KEYCLOAK_PORT
KC_ADMIN=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin \
  -d "password=$BERTH_ADMIN_PASSWORD" "$KEYCLOAK/realms/master/protocol/openid-connect/token" | jq -r .access_token)
KC_USER="cred-$RANDOM$RANDOM"
kc() { curl -s -H "Authorization: Bearer $KC_ADMIN" -H 'Content-Type: application/json' "$@"; }
kc -o /dev/null -d "{\"username\": \"$KC_USER\", \"enabled\": true, \"email\": \"$KC_USER@berth.test\",
  \"emailVerified\": true, \"firstName\": \"Cred\", \"lastName\": \"Test\",
  \"credentials\": [{\"type\": \"password\", \"value\": \"pw-$KC_USER\", \"temporary\": false}]}" \
  "$KEYCLOAK/admin/realms/berth/users"
KC_ID=$(kc "$KEYCLOAK/admin/realms/berth/users?exact=true&username=$KC_USER" | jq -r '.[0].id')
user_refused_within_2s() {
  local start now code
  start=$(date +%s%N)
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -u "$KC_USER:pw-$KC_USER" "http://127.0.0.1:$PORT2/v2/")
    now=$(date +%s%N)
    [[ $code == 401 ]] && { echo "refused after $(((now - start) / 1000000)) ms"; return 0; }
    ((now - start > 2000000000)) && { echo "still $code after 2 s"; return 1; }
    sleep 0.05
  done
}
check "a Keycloak user logs in to replica 2 with Basic" status 200 -u "$KC_USER:pw-$KC_USER" "http://127.0.0.1:$PORT2/v2/"
check "and again (cached)" status 200 -u "$KC_USER:pw-$KC_USER" "http://127.0.0.1:$PORT2/v2/"
check "the user is disabled in Keycloak" kc -f -X PUT -d '{"enabled": false}' "$KEYCLOAK/admin/realms/berth/users/$KC_ID"
check "replica 2 refuses the disabled user within 2 s" user_refused_within_2s
echo "    # $(tail -n 1 "$WORK/last.out")"
kc -o /dev/null -X DELETE "$KEYCLOAK/admin/realms/berth/users/$KC_ID"

summary "credentials"
