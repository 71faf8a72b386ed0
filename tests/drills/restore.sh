#!/usr/bin/env bash
# The restore drill of docs/deploy.md ("Backups and restore"), on the local stack of ./berth up:
#
#   1. push an image (two random layers) into a new project, through the gateway, logged in;
#   2. back up as docs/deploy.md says: gc paused, PostgreSQL's databases berth and keycloak
#      (pg_dump, custom format), then the bucket, then the secrets;
#   3. wipe: the services and Keycloak stop, both databases are dropped, the bucket is emptied;
#   4. restore: pg_restore both databases, the bucket's objects back, ./berth up;
#   5. pull the image back by its tag and compare every digest; log in again (Keycloak's users
#      came back with its database).
#
# It DESTROYS the local stack's data (databases berth and keycloak, bucket berth; the test
# suite's berth_test and berth-test are not touched) and brings back what it backed up, so it
# runs only when asked: tests/drills/restore.sh --wipe-local-data. It is not part of
# ./berth test (about two minutes, most of it Keycloak and the services starting again).
set -euo pipefail

[[ ${1:-} == --wipe-local-data ]] || {
  echo "usage: $0 --wipe-local-data   (drops the local stack's databases and bucket, then restores them)" >&2
  exit 2
}

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../../deploy/local/lib/infra.sh
source "$BERTH_ROOT/deploy/local/lib/infra.sh"
pg_find_bin || { echo "PostgreSQL is not installed; run ./berth up first" >&2; exit 1; }
trap 'rm -rf "$WORK"' EXIT

BACKUP=$WORK/backup
BUCKET_DIR=$BERTH_DATA/s3/$S3_BUCKET
GATEWAY=127.0.0.1:$GATEWAY_PORT
PROJECT="drill-$(date +%s)"
export REGISTRY_AUTH_FILE=$WORK/auth.json
phase() { echo "== $* ($(date -u +%T))"; }
elapsed() { echo "   $1 took $((SECONDS - $2)) s"; }

phase "the stack is up"
"$BERTH" up > "$WORK/up.log" 2>&1 || { tail -n 20 "$WORK/up.log"; exit 1; }

phase "1. push an image into project $PROJECT"
curl -sf -o /dev/null -u "admin:$BERTH_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\": \"$PROJECT\"}" "http://$GATEWAY/api/v1/projects"
umoci init --layout "$WORK/oci" && umoci new --image "$WORK/oci:v1"
for i in 1 2; do
  umoci unpack --image "$WORK/oci:v1" "$WORK/bundle" > /dev/null
  head -c $((3 * 1024 * 1024)) /dev/urandom > "$WORK/bundle/rootfs/layer-$i.bin"
  umoci repack --image "$WORK/oci:v1" "$WORK/bundle"
  rm -rf "$WORK/bundle"
done
skopeo login --tls-verify=false -u admin -p "$BERTH_ADMIN_PASSWORD" "$GATEWAY" > /dev/null
skopeo copy -q --dest-tls-verify=false "oci:$WORK/oci:v1" "docker://$GATEWAY/$PROJECT/app:v1"
pushed=$(skopeo inspect --tls-verify=false --raw "docker://$GATEWAY/$PROJECT/app:v1" | sha256sum | cut -c1-64)
echo "   pushed $PROJECT/app:v1 = sha256:$pushed"

phase "2. back up"
t=$SECONDS
mkdir -p "$BACKUP"
# gc deletes objects of blobs nobody references. Paused, nothing the dump references can leave
# the bucket before the bucket is copied.
"$BERTH" stop gc > /dev/null
PGPASSWORD=$PG_PASSWORD "$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -Fc --create \
  -f "$BACKUP/berth.dump" berth
PGPASSWORD=keycloak "$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U keycloak -Fc --create \
  -f "$BACKUP/keycloak.dump" keycloak
# S3Proxy keeps the bucket as files; with MinIO this is `mc mirror` (docs/deploy.md).
tar -C "$BUCKET_DIR" -cf "$BACKUP/bucket.tar" .
# The secrets PostgreSQL's sealed values need (signing keys, endpoint passwords): ./berth's
# generated ones live in .berth/conf; in production, the Secrets.
tar -C "$BERTH_CONF" -cf "$BACKUP/conf.tar" .
"$BERTH" start gc > /dev/null
elapsed "the backup" "$t"
ls -l "$BACKUP" | sed 's/^/   /'

phase "3. wipe"
t=$SECONDS
for c in gateway registry-api auth replicator gc scanner-bridge keycloak; do "$BERTH" stop "$c" > /dev/null; done
pg_admin "DROP DATABASE berth WITH (FORCE)" > /dev/null
pg_admin "DROP DATABASE keycloak WITH (FORCE)" > /dev/null
find "$BUCKET_DIR" -mindepth 1 -delete
objects=$(find "$BUCKET_DIR" -type f | wc -l)
[[ $objects == 0 ]] || { echo "the bucket still holds $objects files" >&2; exit 1; }
elapsed "the wipe" "$t"

phase "4. restore"
t=$SECONDS
for db in berth keycloak; do
  # --create makes the database with its owner and comment (./berth recognises Keycloak's realm
  # by it), as the superuser, from the dump on standard input.
  pg_run "$PG_BIN/pg_restore" -h "$(readlink -f "$PG_DATA")" -p "$PG_PORT" -U postgres \
    --create --exit-on-error -d postgres < "$BACKUP/$db.dump"
done
tar -C "$BUCKET_DIR" -xf "$BACKUP/bucket.tar"
"$BERTH" up > "$WORK/up2.log" 2>&1 || { tail -n 20 "$WORK/up2.log"; exit 1; }
elapsed "the restore, with the stack started again" "$t"

phase "5. pull what was pushed before"
skopeo login --tls-verify=false -u admin -p "$BERTH_ADMIN_PASSWORD" "$GATEWAY" > /dev/null
pulled=$(skopeo inspect --tls-verify=false --raw "docker://$GATEWAY/$PROJECT/app:v1" | sha256sum | cut -c1-64)
[[ $pulled == "$pushed" ]] || { echo "the manifest came back as sha256:$pulled, not sha256:$pushed" >&2; exit 1; }
skopeo copy -q --src-tls-verify=false "docker://$GATEWAY/$PROJECT/app:v1" "oci:$WORK/back:v1"
# Every blob pulled back (manifest, config, both layers) is byte for byte the one pushed. (The
# pushed layout also holds what umoci's earlier repacks left; only the image's own blobs count.)
count=0
for blob in "$WORK"/back/blobs/sha256/*; do
  name=$(basename "$blob")
  cmp -s "$blob" "$WORK/oci/blobs/sha256/$name" || { echo "blob sha256:$name differs from the one pushed" >&2; exit 1; }
  count=$((count + 1))
done
((count == 4)) || { echo "pulled back $count blobs, not 4 (manifest, config, two layers)" >&2; exit 1; }
echo "   $PROJECT/app:v1 pulled back: manifest sha256:$pulled and its $count blobs equal"
echo "restore drill passed"
