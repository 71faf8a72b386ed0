#!/usr/bin/env bash
# The console's credential on /api/v1: a Keycloak access token as Authorization: Bearer (issue
# #25, ADR 0048), through the gateway, against a running stack and the real Keycloak. Tokens
# come from the realm's berth-cli client by password grant (berth-console, the browser's client,
# has no direct grant; auth accepts both as api-clients). Checks: a developer's token lists a
# private project's repositories and artifacts (with an index's platforms); a non-member gets
# what Basic gives them; a guest cannot delete, an administrator can; forged, re-signed,
# wrong-client and expired tokens get 401; Basic and registry tokens still work; /v2 refuses the
# Keycloak token; gc, replicator and scanner-bridge take it too. Makes two Keycloak users and a
# project, and removes them at the end. The expired-token check waits for a real token to
# expire (one issued with a 10 s lifetime, plus auth's 30 s skew); BEARER_SKIP_EXPIRY=1 leaves it out.
set -uo pipefail

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

GATEWAY=http://127.0.0.1:$GATEWAY_PORT
KEYCLOAK=http://127.0.0.1:$KEYCLOAK_PORT
ADMIN=admin:$BERTH_ADMIN_PASSWORD
PROJECT="bearer-$(date +%s)-$RANDOM"
REPO=$PROJECT/app
SUFFIX=$RANDOM$RANDOM
GUEST=bearer-guest-$SUFFIX STRANGER=bearer-stranger-$SUFFIX

# Keycloak's admin API, as the master realm's admin (whose token lives a minute: cleanup takes a new one).
kc_admin_login() {
  KC_ADMIN=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin \
    --data-urlencode "password=$BERTH_ADMIN_PASSWORD" "$KEYCLOAK/realms/master/protocol/openid-connect/token" |
    jq -r .access_token)
}
kc_admin_login
kc() { curl -s -H "Authorization: Bearer $KC_ADMIN" -H 'Content-Type: application/json' "$@"; }
kc_user_id() { kc "$KEYCLOAK/admin/realms/berth/users?exact=true&username=$1" | jq -r 'if type == "array" then .[0].id // empty else empty end'; }

cleanup() {
  local user id
  kc_admin_login
  declare -F cli_lifespan > /dev/null && cli_lifespan ""
  psql_berth "DELETE FROM repositories WHERE name LIKE '$PROJECT/%'" > /dev/null 2>&1
  curl -s -o /dev/null -u "$ADMIN" -X DELETE "$GATEWAY/api/v1/projects/$PROJECT"
  for user in "$GUEST" "$STRANGER"; do
    id=$(kc_user_id "$user")
    [[ -n $id ]] && kc -o /dev/null -X DELETE "$KEYCLOAK/admin/realms/berth/users/$id"
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A Keycloak access token of a user of the berth realm, from berth-cli's password grant.
kc_token() { # user password
  curl -sf -d grant_type=password -d client_id=berth-cli -d "username=$1" --data-urlencode "password=$2" \
    "$KEYCLOAK/realms/berth/protocol/openid-connect/token" | jq -r .access_token
}
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
jwt_part() { # token index: one part of a JWT, decoded
  local p
  p=$(cut -d. -f"$2" <<< "$1" | tr -- '-_' '+/')
  while ((${#p} % 4)); do p+='='; done
  base64 -d <<< "$p"
}
# The status of a request, its body in $WORK/body.
call() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }
status_is() { # expected curl-args...
  local got
  got=$(call "${@:2}")
  echo "HTTP $got: $(head -c 400 "$WORK/body")"
  [[ $got == "$1" ]]
}
bearer_status_is() { status_is "$1" -H "Authorization: Bearer $2" "${@:3}"; }

# ---------------------------------------------------------------- fixtures
new_user() { # name
  kc -o /dev/null -d "{\"username\": \"$1\", \"enabled\": true, \"email\": \"$1@berth.test\",
    \"emailVerified\": true, \"firstName\": \"Bearer\", \"lastName\": \"Test\",
    \"credentials\": [{\"type\": \"password\", \"value\": \"pw-$1\", \"temporary\": false}]}" \
    "$KEYCLOAK/admin/realms/berth/users"
}
member() { # user role
  curl -sf -o /dev/null -u "$ADMIN" -H 'Content-Type: application/json' -d "{\"username\": \"$1\", \"role\": \"$2\"}" \
    "$GATEWAY/api/v1/projects/$PROJECT/members"
}
push_blob() { # file -> digest
  local digest
  digest=sha256:$(sha256sum "$1" | cut -d' ' -f1)
  curl -sf -o /dev/null -u "$ADMIN" -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$1" \
    "$GATEWAY/v2/$REPO/blobs/uploads/?digest=$digest" && echo "$digest"
}
push_manifest() { # file media-type reference -> digest
  curl -sf -o /dev/null -u "$ADMIN" -X PUT -H "Content-Type: $2" --data-binary "@$1" "$GATEWAY/v2/$REPO/manifests/$3" &&
    echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"
}
push_image() { # arch -> digest of an image manifest with its own config and layer
  local config layer
  printf '{"architecture":"%s","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"n":"%s"}' "$1" "$RANDOM" \
    > "$WORK/config-$1.json"
  head -c 1024 /dev/urandom > "$WORK/layer-$1"
  config=$(push_blob "$WORK/config-$1.json") && layer=$(push_blob "$WORK/layer-$1") || return 1
  jq -n --arg c "$config" --argjson cs "$(stat -c %s "$WORK/config-$1.json")" --arg l "$layer" '{schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
    layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l, size: 1024}]}' > "$WORK/manifest-$1.json"
  push_manifest "$WORK/manifest-$1.json" application/vnd.oci.image.manifest.v1+json "$1"
}

new_user "$GUEST" && new_user "$STRANGER"
curl -sf -o /dev/null -u "$ADMIN" -H 'Content-Type: application/json' -d "{\"name\": \"$PROJECT\", \"public\": false}" \
  "$GATEWAY/api/v1/projects"
member developer developer && member "$GUEST" guest
AMD64=$(push_image amd64) ARM64=$(push_image arm64)
jq -n --arg a "$AMD64" --argjson asz "$(stat -c %s "$WORK/manifest-amd64.json")" \
  --arg r "$ARM64" --argjson rsz "$(stat -c %s "$WORK/manifest-arm64.json")" '{schemaVersion: 2,
  mediaType: "application/vnd.oci.image.index.v1+json", manifests: [
  {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $a, size: $asz,
   platform: {architecture: "amd64", os: "linux"}},
  {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $r, size: $rsz,
   platform: {architecture: "arm64", os: "linux", variant: "v8"}}]}' > "$WORK/index.json"
INDEX=$(push_manifest "$WORK/index.json" application/vnd.oci.image.index.v1+json 1.0)
check "fixtures: a private project with a developer and a guest, two images and an index" \
  test -n "$AMD64" -a -n "$ARM64" -a -n "$INDEX"

DEV=$(kc_token developer "$BERTH_DEV_PASSWORD")
GUEST_TOKEN=$(kc_token "$GUEST" "pw-$GUEST")
STRANGER_TOKEN=$(kc_token "$STRANGER" "pw-$STRANGER")
ADMIN_TOKEN=$(kc_token admin "$BERTH_ADMIN_PASSWORD")
check "Keycloak gives access tokens to the developer, the guest, a stranger and the administrator" \
  test -n "$DEV" -a -n "$GUEST_TOKEN" -a -n "$STRANGER_TOKEN" -a -n "$ADMIN_TOKEN"
# A token that expires soon: berth-cli's access tokens live 10 s while it is issued (a client
# attribute of Keycloak's), then the realm's 5 minutes again.
cli_lifespan() { # seconds, or "" for the realm's
  local id rep
  id=$(kc "$KEYCLOAK/admin/realms/berth/clients?clientId=berth-cli" | jq -r '.[0].id')
  rep=$(kc "$KEYCLOAK/admin/realms/berth/clients/$id" | jq --arg s "$1" \
    'if $s == "" then del(.attributes["access.token.lifespan"]) else .attributes["access.token.lifespan"] = $s end')
  kc -o /dev/null -X PUT -d "$rep" "$KEYCLOAK/admin/realms/berth/clients/$id"
}
cli_lifespan 10
EXPIRING=$(kc_token developer "$BERTH_DEV_PASSWORD")
cli_lifespan ""
EXPIRES_AT=$(jwt_part "$EXPIRING" 2 | jq -r .exp)

# ---------------------------------------------------------------- registry-api's browsing API
ARTIFACTS=$GATEWAY/api/v1/projects/$PROJECT/repositories/app/artifacts
lists_repository() { bearer_status_is 200 "$DEV" "$GATEWAY/api/v1/projects/$PROJECT/repositories" &&
  jq -e --arg r "$REPO" '[.[].name] == [$r]' "$WORK/body"; }
check "a developer's Keycloak token lists the private project's repositories" lists_repository
lists_artifacts() { bearer_status_is 200 "$1" "$ARTIFACTS" &&
  jq -e --arg i "$INDEX" '[.[].digest] | index($i) != null' "$WORK/body"; }
check "... and the repository's artifacts" lists_artifacts "$DEV"
platforms_of_index() { bearer_status_is 200 "$DEV" "$ARTIFACTS" &&
  jq -e --arg i "$INDEX" --arg a "$AMD64" --arg r "$ARM64" '.[] | select(.digest == $i) | .platforms ==
    [{digest: $a, os: "linux", architecture: "amd64", variant: null},
     {digest: $r, os: "linux", architecture: "arm64", variant: "v8"}]' "$WORK/body"; }
check "... where the index lists its children's platforms in its own order" platforms_of_index
check "a guest's token lists the artifacts too" lists_artifacts "$GUEST_TOKEN"
check "... but cannot delete one (403)" bearer_status_is 403 "$GUEST_TOKEN" -X DELETE "$ARTIFACTS/$AMD64"
check "... nor can the developer (no delete role)" bearer_status_is 403 "$DEV" -X DELETE "$ARTIFACTS/$AMD64/tags/amd64"
same_as_basic() { # url: the stranger's token gets exactly what the stranger's password gets
  local token_status basic_status
  token_status=$(call -H "Authorization: Bearer $STRANGER_TOKEN" "$1") && cp "$WORK/body" "$WORK/token.body"
  basic_status=$(call -u "$STRANGER:pw-$STRANGER" "$1")
  echo "token: $token_status $(cat "$WORK/token.body"); Basic: $basic_status $(cat "$WORK/body")"
  [[ $token_status == "$basic_status" && $token_status == 403 ]] && diff "$WORK/token.body" "$WORK/body"
}
check "a non-member's token gets what their Basic credentials get: 403 on the listing" \
  same_as_basic "$GATEWAY/api/v1/projects/$PROJECT/repositories"
check "... and on the artifacts" same_as_basic "$ARTIFACTS"
check "an administrator's token deletes a tag" bearer_status_is 204 "$ADMIN_TOKEN" -X DELETE "$ARTIFACTS/$ARM64/tags/arm64"

# Forgeries: another user's name under the developer's signature; a key of our own with the
# realm's key id; a token of berth-auth's service account (a realm client that is no api-client).
FORGED=$(cut -d. -f1 <<< "$DEV").$(jwt_part "$DEV" 2 | jq -c '.preferred_username = "admin"' | b64url).$(cut -d. -f3 <<< "$DEV")
openssl genrsa -out "$WORK/key.pem" 2048 2> /dev/null
SIGNED_INPUT=$(cut -d. -f1 <<< "$ADMIN_TOKEN").$(cut -d. -f2 <<< "$ADMIN_TOKEN")
RESIGNED=$SIGNED_INPUT.$(printf '%s' "$SIGNED_INPUT" | openssl dgst -sha256 -sign "$WORK/key.pem" | b64url)
SERVICE_TOKEN=$(curl -sf -d grant_type=client_credentials -d client_id=berth-auth -d client_secret=berth-auth-local-secret \
  "$KEYCLOAK/realms/berth/protocol/openid-connect/token" | jq -r .access_token)
refused() { bearer_status_is 401 "$1" "$2" && jq -e '.errors[0].code == "UNAUTHORIZED"' "$WORK/body"; }
check "a token whose claims were altered gets 401" refused "$FORGED" "$ARTIFACTS"
check "a token signed by another key under the realm's key id gets 401" refused "$RESIGNED" "$ARTIFACTS"
check "berth-auth's service-account token (not an api-client) gets 401" bash -c \
  '[[ -n $0 ]] && curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $0" "$1" | grep -qx 401' \
  "$SERVICE_TOKEN" "$ARTIFACTS"
check "... and so does a token that is no JWT" refused "not-a-jwt" "$ARTIFACTS"

# ---------------------------------------------------------------- what worked before still does
check "Basic credentials still list the artifacts" status_is 200 -u "developer:$BERTH_DEV_PASSWORD" "$ARTIFACTS"
REGISTRY_TOKEN=$(curl -sf -u "developer:$BERTH_DEV_PASSWORD" \
  "$GATEWAY/service/token?service=berth&scope=repository:$REPO:pull" | jq -r .token)
check "a registry token from /service/token still does" bearer_status_is 200 "$REGISTRY_TOKEN" "$ARTIFACTS"
check "/v2 refuses the Keycloak token (docker clients bring registry tokens)" bash -c \
  'curl -s -o /dev/null -D - -H "Authorization: Bearer $0" "$1/v2/$2/tags/list" | grep -q "^HTTP/1.1 401"' \
  "$DEV" "$GATEWAY" "$REPO"
check "... and takes the registry token" bearer_status_is 200 "$REGISTRY_TOKEN" "$GATEWAY/v2/$REPO/tags/list"

# ---------------------------------------------------------------- the other services' /api/v1
check "gc's API takes the administrator's Keycloak token" bearer_status_is 200 "$ADMIN_TOKEN" "$GATEWAY/api/v1/system/gc"
check "... refuses the developer's (403) and a forged one (401)" bash -c \
  'bearer() { curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $1" "$2"; }
   [[ $(bearer "$0" "$2") == 403 && $(bearer "$1" "$2") == 401 ]]' "$DEV" "$FORGED" "$GATEWAY/api/v1/system/gc"
check "replicator's API takes the administrator's Keycloak token" \
  bearer_status_is 200 "$ADMIN_TOKEN" "$GATEWAY/api/v1/replication/endpoints"
check "... and refuses a forged one" refused "$RESIGNED" "$GATEWAY/api/v1/replication/endpoints"
check "scanner-bridge's scanner registry takes the administrator's Keycloak token" \
  bearer_status_is 200 "$ADMIN_TOKEN" "$GATEWAY/api/v1/scanners"
VULNERABILITIES=$GATEWAY/api/v1/projects/$PROJECT/repositories/app/artifacts/$AMD64/vulnerabilities
check "... and its scan API the developer's (404: no report yet), but a stranger's gets 403" bash -c \
  'bearer() { curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $1" "$2"; }
   [[ $(bearer "$0" "$2") == 404 && $(bearer "$1" "$2") == 403 ]]' "$DEV" "$STRANGER_TOKEN" "$VULNERABILITIES"
check "... and a forged one 401" refused "$FORGED" "$VULNERABILITIES"

# ---------------------------------------------------------------- expiry
if [[ ${BEARER_SKIP_EXPIRY:-0} != 1 ]]; then
  # auth allows 30 s of clock skew past exp; registry-api's cached token never outlives exp.
  WAIT=$((EXPIRES_AT + 31 - $(date +%s)))
  echo "# waiting ${WAIT}s for the developer's token to expire"
  ((WAIT > 0)) && sleep "$WAIT"
  check "an expired Keycloak token gets 401" refused "$EXPIRING" "$ARTIFACTS"
fi

summary bearer
