# shellcheck shell=bash
# Shared by the side-by-side scripts in bench/: checks the tools and a running ./berth up,
# starts CNCF distribution (Debian's docker-registry) twice on loopback, once on its filesystem
# driver and once on its s3 driver against the same S3Proxy berth uses, creates a throw-away
# berth project, and removes all of it on exit. Sets BERTH, DIST (filesystem), DIST_S3, WORK,
# PROJECT and TARGETS (the names registry_address understands).

BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../deploy/local/lib/common.sh
source "$BERTH_ROOT/deploy/local/lib/common.sh"

BERTH=127.0.0.1:$REGISTRY_API_PORT
DIST=127.0.0.1:5055
DIST_S3=127.0.0.1:5056
TARGETS=(berth distribution-fs distribution-s3)
WORK=$(mktemp -d)
PROJECT="bench-$(date +%s)"
DIST_PIDS=()
# distribution's s3 driver writes under this prefix of berth's bucket; removed on exit.
DIST_S3_ROOT=bench-distribution-$PROJECT

bench_psql() {
  PGPASSWORD=$PG_PASSWORD psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth -c "$1"
}

bench_cleanup() {
  local pid
  for pid in "${DIST_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  # S3Proxy's filesystem backend keeps a bucket as a directory: the prefix is a subdirectory.
  rm -rf "${BERTH_DATA:?}/s3/$S3_BUCKET/$DIST_S3_ROOT"
  bench_drop_project
  rm -rf "$WORK"
}

# Deletes the throw-away project and the blobs no other project references, rows first, then
# objects (the gc service does not collect them yet), so benchmark runs do not fill the store.
bench_drop_project() {
  local ids id
  ids=$(PGPASSWORD=$PG_PASSWORD psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth 2>/dev/null <<SQL
BEGIN;
CREATE TEMP TABLE bench_digests ON COMMIT DROP AS
  SELECT DISTINCT rb.digest FROM repository_blobs rb
  JOIN repositories r ON r.id = rb.repository_id JOIN projects p ON p.id = r.project_id
  WHERE p.name = '$PROJECT';
DELETE FROM projects WHERE name = '$PROJECT';
DELETE FROM blobs b USING bench_digests d
  WHERE b.digest = d.digest AND NOT EXISTS (SELECT 1 FROM repository_blobs rb WHERE rb.digest = b.digest)
  RETURNING b.object_id;
COMMIT;
SQL
  ) || return 0
  for id in $ids; do
    [[ $id =~ ^[0-9a-f-]{36}$ ]] && s3_delete_object "blobs/$id"
  done
}

# The address of one of TARGETS.
registry_address() {
  case $1 in
    berth) echo "$BERTH" ;;
    distribution-fs) echo "$DIST" ;;
    distribution-s3) echo "$DIST_S3" ;;
    *) die "unknown registry $1" ;;
  esac
}

# Starts distribution on $1 (host:port) with the storage section $2; waits until it answers.
start_distribution() { # address storage-yaml name
  cat > "$WORK/$3.yml" <<YML
version: 0.1
log: {level: error}
storage:
$2
  delete: {enabled: true}
  redirect: {disable: true}
http: {addr: "$1"}
YML
  # distribution's AWS SDK refuses to start when AWS_CA_BUNDLE is set (its transport cannot take
  # a custom bundle); the endpoint here is plain HTTP on loopback anyway.
  env -u AWS_CA_BUNDLE docker-registry serve "$WORK/$3.yml" > "$WORK/$3.log" 2>&1 &
  DIST_PIDS+=($!)
  local i
  for ((i = 0; i < 50; i++)); do [[ $(http_status "http://$1/v2/") == 200 ]] && return 0; sleep 0.2; done
  die "distribution ($3) did not start: $(tail -c 600 "$WORK/$3.log")"
}

# Checks the tools and that berth is up, and creates the throw-away project.
bench_project() { # tools...
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y $tool)"
  done
  [[ $(http_status "http://$BERTH/q/health/ready") == 200 ]] || die "registry-api is not ready; run ./berth up"
  trap bench_cleanup EXIT
  bench_psql "INSERT INTO projects (name) VALUES ('$PROJECT')"
}

# Starts distribution twice: on its filesystem driver and on its s3 driver against berth's S3Proxy.
start_distributions() {
  command -v docker-registry >/dev/null || die "docker-registry is missing (apt-get install -y docker-registry)"
  start_distribution "$DIST" "  filesystem: {rootdirectory: $WORK/distribution-data}" distribution-fs
  start_distribution "$DIST_S3" "  s3:
    accesskey: $S3_ACCESS_KEY
    secretkey: $S3_SECRET_KEY
    region: us-east-1
    regionendpoint: http://127.0.0.1:$S3_PORT
    bucket: $S3_BUCKET
    rootdirectory: /$DIST_S3_ROOT
    secure: false
    v4auth: true" distribution-s3
}

# Checks the tools, starts both distributions and creates the berth project.
bench_setup() { # tools...
  bench_project docker-registry "$@"
  start_distributions
}

# Builds the OCI layout $WORK/img, tag 1.0: one layer (gzip, by umoci) holding one file of
# <MiB> random bytes.
random_image() { # MiB
  umoci init --layout "$WORK/img" && umoci new --image "$WORK/img:1.0"
  umoci unpack --image "$WORK/img:1.0" "$WORK/bundle" > /dev/null
  head -c $(($1 * 1024 * 1024)) /dev/urandom > "$WORK/bundle/rootfs/random.bin"
  umoci repack --image "$WORK/img:1.0" "$WORK/bundle"
  rm -rf "$WORK/bundle"
}

# ---------------------------------------------------------------- measuring
# Seconds a command takes (its output dropped); fails when it fails.
timed() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1 || return 1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

# The median of space-separated numbers.
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# wrk against GET /v2/$PROJECT/app/manifests/latest at an address, with the Accept header
# clients send, for <connections> and <seconds>; prints "requests/s p50 p99" (ms). Any non-2xx
# answer aborts the run.
wrk_manifest_get() { # address connections seconds
  [[ -f $WORK/accept.lua ]] || cat > "$WORK/accept.lua" <<'LUA'
wrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
LUA
  wrk -t 2 -c "$2" -d "${3}s" --latency -s "$WORK/accept.lua" \
    "http://$1/v2/$PROJECT/app/manifests/latest" > "$WORK/wrk.out"
  grep -q 'Non-2xx' "$WORK/wrk.out" && die "non-2xx answers from $1: $(grep Non-2xx "$WORK/wrk.out")"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.3f %.2f\n", rps, p50, p99 }' "$WORK/wrk.out"
}
