#!/usr/bin/env bash
# Keeps the newest N tags of a repository and deletes the rest: the clean-up script of the
# product brief (section 五.1), corrected, for berth or any OCI registry that takes Basic
# credentials on /v2 (berth, Harbor, distribution with htpasswd).
#
#   BERTH_USER=robot\$myapp+cleanup BERTH_PASSWORD=... \
#     docs/scripts/keep-last-tags.sh https://registry.example.com myapp/frontend 3
#
# "Newest" is the version order of the tag names (sort -V), as in the brief: 1.10 after 1.9.
# Where the brief read the digest from the manifest's body (a manifest has no digest field),
# this asks the registry with HEAD and reads Docker-Content-Digest. A tag that shares its
# manifest with a tag that is kept is deleted as a tag only, so the kept tag keeps its image;
# any other is deleted with its manifest. Needs curl and jq. DRY_RUN=1 only prints.
set -euo pipefail

usage() { echo "usage: BERTH_USER=... BERTH_PASSWORD=... $0 <registry-url> <repository> <keep>" >&2; exit 2; }
[[ $# -eq 3 && $3 =~ ^[0-9]+$ ]] || usage
REGISTRY_URL=${1%/} REPO=$2 KEEP=$3
: "${BERTH_USER:?set BERTH_USER}" "${BERTH_PASSWORD:?set BERTH_PASSWORD}"
CURL=(curl -sS --fail-with-body -u "$BERTH_USER:$BERTH_PASSWORD" ${CURL_OPTS:-})
ACCEPT="application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,\
application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json"

digest_of() { # tag -> the digest the registry says it points to
  "${CURL[@]}" -I -H "Accept: $ACCEPT" "$REGISTRY_URL/v2/$REPO/manifests/$1" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}'
}

# Every tag, following the Link header of a paginated list.
all_tags() {
  local next="/v2/$REPO/tags/list?n=1000" headers
  headers=$(mktemp)
  while [[ -n $next ]]; do
    "${CURL[@]}" -D "$headers" "$REGISTRY_URL$next" | jq -r '.tags // [] | .[]'
    next=$(tr -d '\r' < "$headers" | sed -n 's/^[Ll]ink: *<\([^>]*\)>.*/\1/p')
  done
  rm -f "$headers"
}

mapfile -t TAGS < <(all_tags | sort -Vr)
if ((${#TAGS[@]} <= KEEP)); then
  echo "$REPO has ${#TAGS[@]} tags; keeping all of them"
  exit 0
fi
declare -A KEPT=()
for tag in "${TAGS[@]:0:KEEP}"; do KEPT[$(digest_of "$tag")]=1; done
failed=0
for tag in "${TAGS[@]:KEEP}"; do
  # An older tag of a manifest deleted a moment ago is gone with it.
  digest=$(digest_of "$tag" 2>/dev/null) || { echo "$REPO:$tag is already gone"; continue; }
  if [[ -n ${KEPT[$digest]:-} ]]; then
    target=$tag what="tag $tag (its image is kept under a newer tag)"
  else
    target=$digest what="tag $tag and its manifest $digest"
  fi
  echo "deleting $what"
  # A refusal (an immutable tag, a missing delete permission) is reported, and the rest go on.
  [[ -n ${DRY_RUN:-} ]] || "${CURL[@]}" -X DELETE -o /dev/null "$REGISTRY_URL/v2/$REPO/manifests/$target" ||
    { echo "could not delete $REPO:$tag" >&2; failed=1; }
done
exit $failed
