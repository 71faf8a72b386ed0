#!/usr/bin/env bash
# Runs the OCI distribution-spec conformance suite (built by build.sh) against the registry-api
# of a running ./berth up, with every optional API and data kind on except sparse manifests
# (docs/conformance.md says why). The repositories live in a throw-away project, removed after.
#
# usage: tests/conformance/run.sh [binary]     (default .berth/conformance/conformance)
# Results: .berth/conformance/results (results.yaml, junit.xml, report.html). Exit status is the
# suite's: 0 only when every test passed.
set -euo pipefail

BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../deploy/local/lib/common.sh
source "$BERTH_ROOT/deploy/local/lib/common.sh"
BIN=${1:-$BERTH_HOME/conformance/conformance}
[[ -x $BIN ]] || die "no conformance binary at $BIN; build it with tests/conformance/build.sh"
[[ $(http_status "http://127.0.0.1:$REGISTRY_API_PORT/q/health/ready") == 200 ]] \
  || die "registry-api is not ready; run ./berth up"

# The suite logs in as the administrator (the registry is closed) into a project made through
# auth's API; repositories with data cannot be deleted through the API, so the rows go by SQL.
PROJECT="conformance-$(date +%s)"
sql() { PGPASSWORD=$PG_PASSWORD psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth -c "$1"; }
curl -sf -o /dev/null -u "admin:$BERTH_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
  -d "{\"name\": \"$PROJECT\"}" "http://127.0.0.1:$AUTH_PORT/api/v1/projects" || die "could not create $PROJECT"
trap 'sql "DELETE FROM projects WHERE name = '"'$PROJECT'"'" > /dev/null' EXIT

RESULTS=$BERTH_HOME/conformance/results
rm -rf "$RESULTS"
status=0
OCI_REGISTRY=127.0.0.1:$REGISTRY_API_PORT OCI_TLS=disabled \
  OCI_USERNAME=admin OCI_PASSWORD=$BERTH_ADMIN_PASSWORD \
  OCI_REPO1=$PROJECT/repo1 OCI_REPO2=$PROJECT/repo2 \
  OCI_API_PULL=true OCI_API_PUSH=true \
  OCI_API_BLOBS_ATOMIC=true OCI_API_BLOBS_DELETE=true OCI_API_BLOBS_DIGEST_HEADER=true \
  OCI_API_BLOBS_MOUNT_ANONYMOUS=true OCI_API_BLOBS_UPLOAD_CANCEL=true \
  OCI_API_MANIFESTS_ATOMIC=true OCI_API_MANIFESTS_DELETE=true OCI_API_MANIFESTS_DIGEST_HEADER=true \
  OCI_API_MANIFESTS_TAG_PARAM=true OCI_API_TAGS_ATOMIC=true OCI_API_TAGS_DELETE=true \
  OCI_API_TAGS_LIST=true OCI_API_REFERRER=true \
  OCI_DATA_IMAGE=true OCI_DATA_INDEX=true OCI_DATA_INDEX_LIST=true OCI_DATA_SPARSE=false \
  OCI_DATA_ARTIFACT=true OCI_DATA_SUBJECT=true OCI_DATA_SUBJECT_MISSING=true \
  OCI_DATA_ARTIFACT_LIST=true OCI_DATA_SUBJECT_LIST=true OCI_DATA_DATA_FIELD=true \
  OCI_DATA_NONDISTRIBUTABLE=true OCI_DATA_CUSTOM_FIELDS=true OCI_DATA_NO_LAYERS=true \
  OCI_DATA_EMPTY_BLOB=true OCI_DATA_SHA512=true \
  OCI_RESULTS_DIR="$RESULTS" "$BIN" > "$BERTH_HOME/conformance/run.log" 2>&1 || status=$?
sed -n '/^API conformance:/,$p' "$BERTH_HOME/conformance/run.log"
grep 'failed test' "$BERTH_HOME/conformance/run.log" | cut -c1-300 || true
echo "full log: $BERTH_HOME/conformance/run.log; reports: $RESULTS"
exit "$status"
