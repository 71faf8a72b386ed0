# shellcheck shell=bash
# Shared by the side-by-side scripts in bench/: checks the tools and a running ./berth up,
# starts CNCF distribution (Debian's docker-registry) twice on loopback, once on its filesystem
# driver and once on its s3 driver against the same S3Proxy berth uses, both with an htpasswd
# file, creates a throw-away berth project and a robot of it through auth's API, and removes all
# of it on exit. Sets BERTH, AUTH, DIST (filesystem), DIST_S3, WORK, PROJECT, TARGETS (the names
# registry_address understands), BENCH_CREDS (the robot's user:password) and DIST_CREDS.
#
# Nothing here talks to an open registry: berth is reached with the robot's credentials (a
# token from auth's token service, or skopeo's --creds), distribution with Basic credentials.

BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../deploy/local/lib/common.sh
source "$BERTH_ROOT/deploy/local/lib/common.sh"

BERTH=127.0.0.1:$REGISTRY_API_PORT
AUTH=127.0.0.1:$AUTH_PORT
# BENCH_DIST and BENCH_DIST_S3 move the distributions, for a run beside another one.
DIST=${BENCH_DIST:-127.0.0.1:5055}
DIST_S3=${BENCH_DIST_S3:-127.0.0.1:5056}
TARGETS=(berth distribution-fs distribution-s3)
WORK=$(mktemp -d)
PROJECT="bench-$(date +%s)"
DIST_PIDS=()
# distribution's s3 driver writes under this prefix of berth's bucket; removed on exit.
DIST_S3_ROOT=bench-distribution-$PROJECT
# The project's robot (bench_project): what a CI farm pulls and pushes with.
BENCH_ROBOT= BENCH_CREDS= PROJECT_CREATED=
# A throw-away Keycloak user (bench_user), for token requests with a person's password.
KEYCLOAK=127.0.0.1:$KEYCLOAK_PORT
BENCH_USER_ID= BENCH_USER_CREDS=
# distribution's one htpasswd user, a new password each run.
DIST_CREDS=bench:bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
# The service berth's tokens are for (auth's berth.auth.token.service, "berth" on the local stack).
TOKEN_SERVICE=${BERTH_TOKEN_SERVICE:-berth}

bench_psql() {
  PGPASSWORD=$PG_PASSWORD psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth -c "$1"
}

bench_cleanup() {
  local pid
  for pid in "${DIST_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_berth_fs
  # S3Proxy's filesystem backend keeps a bucket as a directory: the prefix is a subdirectory.
  rm -rf "${BERTH_DATA:?}/s3/$S3_BUCKET/$DIST_S3_ROOT"
  bench_drop_project
  bench_drop_user
  rm -rf "$WORK"
}

# Deletes the throw-away project and the blobs no other project references. Its repositories and
# the blob rows go first, by SQL (no service deletes repositories or collects blobs yet), then
# the objects, so benchmark runs do not fill the store; then the project itself, with its robot,
# through auth's API as an administrator does it (by SQL only if auth refuses).
bench_drop_project() {
  local ids id
  [[ -n $PROJECT_CREATED ]] || return 0
  ids=$(PGPASSWORD=$PG_PASSWORD psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth 2>/dev/null <<SQL
BEGIN;
CREATE TEMP TABLE bench_digests ON COMMIT DROP AS
  SELECT DISTINCT rb.digest FROM repository_blobs rb
  JOIN repositories r ON r.id = rb.repository_id JOIN projects p ON p.id = r.project_id
  WHERE p.name = '$PROJECT';
DELETE FROM repositories r USING projects p WHERE r.project_id = p.id AND p.name = '$PROJECT';
DELETE FROM blobs b USING bench_digests d
  WHERE b.digest = d.digest AND NOT EXISTS (SELECT 1 FROM repository_blobs rb WHERE rb.digest = b.digest)
  RETURNING b.object_id;
COMMIT;
SQL
  ) || true
  for id in $ids; do
    [[ $id =~ ^[0-9a-f-]{36}$ ]] && s3_delete_object "blobs/$id"
  done
  if ! auth_api DELETE "/api/v1/projects/$PROJECT" 204 > /dev/null; then
    say "deleting the project $PROJECT by SQL instead"
    bench_psql "DELETE FROM projects WHERE name = '$PROJECT'" > /dev/null 2>&1 || true
  fi
}

# Calls auth's API (/api/v1/...) as the administrator, with a JSON body when one is given;
# prints the answer's body. Any status but the expected one fails, with the answer on stderr.
auth_api() { # method path expected-status [json]
  local out status
  out=$(curl -sS -m 30 -u "admin:$BERTH_ADMIN_PASSWORD" -X "$1" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} -w '\n%{http_code}' "http://$AUTH$2") || return 1
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if [[ $status != "$3" ]]; then
    printf 'berth: auth answered %s %s with %s: %s\n' "$1" "$2" "$status" "$out" >&2
    return 1
  fi
  printf '%s' "$out"
}

# One string field of a flat JSON object (the answers of auth's API and token service).
json_string() { # field json
  sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" <<< "$2"
}

# A token for the robot, with the scope given (repository:<project>/<repo>:pull,push), from
# auth's token service: what a client gets after the registry's 401. It lives 5 minutes.
bench_token() { # scope
  local body
  body=$(curl -sS -f -m 30 -u "$BENCH_CREDS" -G --data-urlencode "service=$TOKEN_SERVICE" \
    --data-urlencode "scope=$1" "http://$AUTH/service/token") || { echo "berth: the token service refused $BENCH_ROBOT" >&2; return 1; }
  json_string token "$body"
}

# user:password for one of TARGETS: the robot for berth, the htpasswd user for distribution.
registry_creds() {
  case $1 in
    berth) echo "$BENCH_CREDS" ;;
    distribution-*) echo "$DIST_CREDS" ;;
    *) die "unknown registry $1" ;;
  esac
}

# The Authorization value a client sends one of TARGETS (berth's gateway too) for a repository
# of the project: a token with pull and push for berth, Basic credentials for distribution.
registry_authorization() { # target repository
  local token
  case $1 in
    berth | gateway)
      token=$(bench_token "repository:$PROJECT/$2:pull,push") || return 1
      echo "Bearer $token"
      ;;
    *) echo "Basic $(printf '%s' "$(registry_creds "$1")" | base64 -w0)" ;;
  esac
}

# Whether a registry answers GET /v2/ at all: 200 when open, 401 when it asks for credentials.
registry_answers() { # address
  [[ $(http_status "http://$1/v2/") =~ ^(200|401)$ ]]
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

# Starts distribution on $1 (host:port) with the storage section $2 and the htpasswd file of
# start_distributions; waits until it answers (401: it asks for credentials).
start_distribution() { # address storage-yaml name
  cat > "$WORK/$3.yml" <<YML
version: 0.1
log: {level: error}
storage:
$2
  delete: {enabled: true}
  redirect: {disable: true}
auth: {htpasswd: {realm: bench, path: $WORK/htpasswd}}
http: {addr: "$1"}
YML
  # distribution's AWS SDK refuses to start when AWS_CA_BUNDLE is set (its transport cannot take
  # a custom bundle); the endpoint here is plain HTTP on loopback anyway. distribution also reads
  # every REGISTRY_* variable as configuration: REGISTRY_AUTH_FILE, which podman and skopeo read
  # for their logins, would become its auth section.
  env -u AWS_CA_BUNDLE -u REGISTRY_AUTH_FILE docker-registry serve "$WORK/$3.yml" > "$WORK/$3.log" 2>&1 &
  DIST_PIDS+=($!)
  local i
  for ((i = 0; i < 50; i++)); do [[ $(http_status "http://$1/v2/") == 401 ]] && return 0; sleep 0.2; done
  die "distribution ($3) did not start: $(tail -c 600 "$WORK/$3.log")"
}

# berth on its filesystem backend, beside distribution on its filesystem driver: a second
# registry-api on $BERTH_FS with berth.storage.kind=filesystem, its root under $WORK (the disk
# distribution_fs writes to), and a database of its own. It cannot share berth's: blob rows are
# shared by every project, so this run's digests, stored by berth on S3 a moment before, would
# be linked to objects the filesystem does not have. The bench project's row is copied there;
# tokens come from the same auth and are checked with the keys auth publishes. Everything it
# made goes with the run. Sets BERTH_FS_PID.
BERTH_FS=${BENCH_BERTH_FS:-127.0.0.1:8091}
BERTH_FS_DB=berth_bench_fs
BERTH_FS_PID=

start_berth_fs() {
  # shellcheck source=../deploy/local/lib/infra.sh
  source "$BERTH_ROOT/deploy/local/lib/infra.sh"
  # shellcheck source=../deploy/local/lib/services.sh
  source "$BERTH_ROOT/deploy/local/lib/services.sh"
  pg_find_bin || die "PostgreSQL's tools are missing; run ./berth up"
  [[ -n $PROJECT_CREATED ]] || die "start_berth_fs needs the bench project (bench_project) first"
  # (stderr: the NOTICE that there was none to drop)
  pg_admin "DROP DATABASE IF EXISTS $BERTH_FS_DB WITH (FORCE)" > /dev/null 2>&1
  pg_admin "CREATE DATABASE $BERTH_FS_DB OWNER $PG_USER" > /dev/null
  local jar log=$WORK/berth-fs.log i
  jar=$(service_jar registry-api)
  [[ -f $jar ]] || die "registry-api is not built ($jar); run ./berth up"
  mkdir -p "$WORK/berth-fs-data"
  # shellcheck disable=SC2046
  QUARKUS_HTTP_PORT=${BERTH_FS##*:} QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$BERTH_FS_DB" \
    BERTH_STORAGE_KIND=filesystem BERTH_STORAGE_FILESYSTEM_ROOT="$WORK/berth-fs-data" \
    BERTH_REGISTRY_AUTH_JWKS_URL="http://127.0.0.1:$AUTH_PORT/.well-known/jwks.json" \
    setsid java $(service_java_opts registry-api) -jar "$jar" > "$log" 2>&1 < /dev/null &
  BERTH_FS_PID=$!
  for ((i = 0; i < 240; i++)); do
    [[ $(http_status "http://$BERTH_FS/q/health/ready") == 200 ]] && break
    kill -0 "$BERTH_FS_PID" 2> /dev/null || die "berth on its filesystem backend did not start: $(tail -c 600 "$log")"
    sleep 0.5
  done
  [[ $(http_status "http://$BERTH_FS/q/health/ready") == 200 ]] ||
    die "berth on its filesystem backend was not ready within 120 s: $(tail -c 600 "$log")"
  PGPASSWORD=$PG_PASSWORD psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth \
    -c "\\copy (SELECT * FROM projects WHERE name = '$PROJECT') TO STDOUT" |
    PGPASSWORD=$PG_PASSWORD psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$BERTH_FS_DB" \
      -c "\\copy projects FROM STDIN" ||
    die "could not copy the project $PROJECT into $BERTH_FS_DB"
  [[ $(http_status "http://$BERTH_FS/v2/") == 401 ]] || die "berth on its filesystem backend answers /v2/ without credentials"
}

stop_berth_fs() {
  [[ -n $BERTH_FS_PID ]] || return 0
  kill "$BERTH_FS_PID" 2> /dev/null
  local i
  for ((i = 0; i < 50; i++)); do kill -0 "$BERTH_FS_PID" 2> /dev/null || break; sleep 0.2; done
  BERTH_FS_PID=
  # Its log outlives the run, beside the stack's: ./berth logs does not know it.
  cp "$WORK/berth-fs.log" "$BERTH_LOGS/bench-berth-fs.log" 2> /dev/null || true
  pg_admin "DROP DATABASE IF EXISTS $BERTH_FS_DB WITH (FORCE)" > /dev/null 2>&1 || true
}

# Checks the tools and that berth is up, and creates the throw-away project and its robot
# (pull, push, delete; expires in a day) through auth's API as the administrator. The robot is
# what every script logs in with: a CI farm's identity, and the one issue #19 sets its token
# target for. Sets BENCH_ROBOT and BENCH_CREDS.
bench_project() { # tools...
  local tool robot
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y $tool)"
  done
  registry_answers "$BERTH" || die "registry-api does not answer on $BERTH; run ./berth up"
  trap bench_cleanup EXIT
  auth_api POST /api/v1/projects 201 "{\"name\":\"$PROJECT\"}" > /dev/null ||
    die "could not create the project $PROJECT through auth's API on $AUTH (is ./berth up running?)"
  PROJECT_CREATED=1
  robot=$(auth_api POST "/api/v1/projects/$PROJECT/robots" 201 \
    '{"name":"bench","permissions":["pull","push","delete"],"expiresInDays":1}') ||
    die "could not create a robot of $PROJECT through auth's API"
  BENCH_ROBOT=$(json_string name "$robot")
  BENCH_CREDS=$BENCH_ROBOT:$(json_string secret "$robot")
  [[ -n $BENCH_ROBOT && $BENCH_CREDS != *: ]] || die "auth's answer held no robot name and secret"
}

# A Keycloak user of its own for this run, named after the project, with a random password, and
# a guest (pull) of the project; deleted on exit. Made through Keycloak's admin API as the
# local stack's master-realm administrator, because auth makes no users. A user of its own, not
# the shared developer: Keycloak's brute-force protection locks an account for a while when
# several password logins of it arrive at once, and a benchmark must not lock out the account
# the tests and people use. Sets BENCH_USER_CREDS.
bench_user() {
  local token password location
  token=$(keycloak_admin_token) || die "could not log in to Keycloak's admin API on $KEYCLOAK as admin"
  password=bench-$(od -An -N12 -tx4 /dev/urandom | tr -d ' ')
  location=$(curl -sS -m 30 -D - -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "{\"username\":\"$PROJECT\",\"enabled\":true,\"emailVerified\":true,\"firstName\":\"berth\",\"lastName\":\"bench\",
      \"email\":\"$PROJECT@bench.invalid\",\"credentials\":[{\"type\":\"password\",\"value\":\"$password\",\"temporary\":false}]}" \
    "http://$KEYCLOAK/admin/realms/berth/users" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  BENCH_USER_ID=${location##*/}
  [[ $BENCH_USER_ID =~ ^[0-9a-f-]{36}$ ]] || die "Keycloak made no user $PROJECT"
  BENCH_USER_CREDS=$PROJECT:$password
  bench_member "$PROJECT" guest
}

bench_drop_user() {
  local token
  [[ -n $BENCH_USER_ID ]] || return 0
  token=$(keycloak_admin_token) &&
    curl -sS -m 30 -o /dev/null -X DELETE -H "Authorization: Bearer $token" \
      "http://$KEYCLOAK/admin/realms/berth/users/$BENCH_USER_ID" || say "could not delete the Keycloak user $PROJECT"
}

# An access token of Keycloak's master-realm administrator (the local stack's admin password).
keycloak_admin_token() {
  local body
  body=$(curl -sS -f -m 30 -d grant_type=password -d client_id=admin-cli -d username=admin \
    --data-urlencode "password=$BERTH_ADMIN_PASSWORD" "http://$KEYCLOAK/realms/master/protocol/openid-connect/token") || return 1
  json_string access_token "$body"
}

# Makes a Keycloak user a member of the project, with a role (guest: pull only).
bench_member() { # username role
  auth_api POST "/api/v1/projects/$PROJECT/members" 201 "{\"username\":\"$1\",\"role\":\"$2\"}" > /dev/null ||
    die "could not make $1 a member of $PROJECT"
}

# Starts both distributions, with one htpasswd user (bcrypt, htpasswd's default cost of 5, as
# `htpasswd -Bbn` makes it and distribution's docs show): distribution checks the hash on every
# request that carries Basic credentials, which is every request of a client after the first 401.
start_distributions() {
  command -v docker-registry >/dev/null || die "docker-registry is missing (apt-get install -y docker-registry)"
  command -v htpasswd >/dev/null || apt_install apache2-utils
  htpasswd -Bbn "${DIST_CREDS%%:*}" "${DIST_CREDS#*:}" > "$WORK/htpasswd"
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
# For the scripts that keep their numbers as JSON lines ($RESULTS, then
# $OUT_DIR/<name>-latest.json): sets OUT_DIR and RESULTS.
bench_results() {
  OUT_DIR=${BENCH_OUT:-$BERTH_HOME/bench}
  mkdir -p "$OUT_DIR"
  RESULTS=$WORK/results.jsonl
  : > "$RESULTS"
}
result() { jq -cn "$@" >> "$RESULTS"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# bc's answer as a JSON number (bc writes .5 for 0.5).
calc() { printf '%.3f' "$(echo "scale=6; $1" | bc)"; }
psql_at() { PGPASSWORD=$PG_PASSWORD psql -X -q -At -F ' ' -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth -c "$1"; }

# Seconds a command takes (its output dropped); fails when it fails.
timed() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1 || return 1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

# The median of space-separated numbers.
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# wrk against GET /v2/$PROJECT/app/manifests/latest at an address, with the Accept header
# clients send and the Authorization value given (registry_authorization), for <connections>
# and <seconds>; prints "requests/s p50 p99" (ms). Any non-2xx answer aborts the run.
wrk_manifest_get() { # address connections seconds authorization
  cat > "$WORK/headers.lua" <<LUA
wrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
wrk.headers["Authorization"] = "$4"
LUA
  wrk -t 2 -c "$2" -d "${3}s" --latency -s "$WORK/headers.lua" \
    "http://$1/v2/$PROJECT/app/manifests/latest" > "$WORK/wrk.out"
  grep -q 'Non-2xx' "$WORK/wrk.out" && die "non-2xx answers from $1: $(grep Non-2xx "$WORK/wrk.out")"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.3f %.2f\n", rps, p50, p99 }' "$WORK/wrk.out"
}
