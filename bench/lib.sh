# shellcheck shell=bash
# Shared by the side-by-side scripts in bench/: checks the tools and a running ./berth up,
# starts CNCF distribution (Debian's docker-registry, filesystem driver) on loopback, creates a
# throw-away berth project, and removes both on exit. Sets BERTH, DIST, WORK and PROJECT.

BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../deploy/local/lib/common.sh
source "$BERTH_ROOT/deploy/local/lib/common.sh"

DIST_PORT=5055
BERTH=127.0.0.1:$REGISTRY_API_PORT
DIST=127.0.0.1:$DIST_PORT
WORK=$(mktemp -d)
PROJECT="bench-$(date +%s)"
DIST_PID=

bench_psql() {
  PGPASSWORD=$PG_PASSWORD psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth -c "$1"
}

bench_cleanup() {
  [[ -n $DIST_PID ]] && kill "$DIST_PID" 2>/dev/null
  bench_psql "DELETE FROM projects WHERE name = '$PROJECT'" > /dev/null 2>&1
  rm -rf "$WORK"
}

# Checks the tools, starts distribution and creates the berth project.
bench_setup() { # tools...
  local tool i
  for tool in docker-registry "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y $tool)"
  done
  [[ $(http_status "http://$BERTH/q/health/ready") == 200 ]] || die "registry-api is not ready; run ./berth up"
  trap bench_cleanup EXIT
  cat > "$WORK/distribution.yml" <<YML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $WORK/distribution-data}
  delete: {enabled: true}
http: {addr: "127.0.0.1:$DIST_PORT"}
YML
  docker-registry serve "$WORK/distribution.yml" > "$WORK/distribution.log" 2>&1 &
  DIST_PID=$!
  for ((i = 0; i < 50; i++)); do [[ $(http_status "http://$DIST/v2/") == 200 ]] && break; sleep 0.2; done
  [[ $(http_status "http://$DIST/v2/") == 200 ]] || die "distribution did not start; see $WORK/distribution.log"
  bench_psql "INSERT INTO projects (name) VALUES ('$PROJECT')"
}
