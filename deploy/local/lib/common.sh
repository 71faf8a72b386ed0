# shellcheck shell=bash
# Shared by ./berth and the stack tests: where things live, the ports, and how a component
# is started, checked and stopped. A "component" is one process that ./berth manages; each
# has a PID file at $BERTH_RUN/<component>.pid and a log at $BERTH_LOGS/<component>.log.

BERTH_HOME=${BERTH_HOME:-$BERTH_ROOT/.berth}
BERTH_RUN=$BERTH_HOME/run
BERTH_LOGS=$BERTH_HOME/logs
BERTH_DATA=$BERTH_HOME/data
BERTH_LIB=$BERTH_HOME/lib
BERTH_CONF=$BERTH_HOME/conf

# Versions of what ./berth runs beside the services; each is resolved through Maven.
KAFKA_VERSION=${BERTH_KAFKA_VERSION:-4.4.0}
S3PROXY_VERSION=${BERTH_S3PROXY_VERSION:-4.1.0}
KEYCLOAK_VERSION=${BERTH_KEYCLOAK_VERSION:-26.7.3}

# The local stack's ports; everything binds to 127.0.0.1. The services' application.properties
# default to the same numbers, so a service started by hand finds the stack too.
PG_PORT=5432
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
S3_PORT=9000
KEYCLOAK_PORT=8180
KEYCLOAK_MGMT_PORT=9190
GATEWAY_PORT=5000
GATEWAY_TLS_PORT=5443
# The gateway's health and metrics: on loopback only, never on the ports clients reach.
GATEWAY_MGMT_PORT=9580
REGISTRY_API_PORT=8081
AUTH_PORT=8082
REPLICATOR_PORT=8083
GC_PORT=8084
SCANNER_BRIDGE_PORT=8085

# Local-only credentials. They guard nothing but this machine's loopback.
PG_USER=berth
PG_PASSWORD=berth
S3_ACCESS_KEY=berth
S3_SECRET_KEY=berth-local-secret
S3_BUCKET=berth
S3_TEST_BUCKET=berth-test
# gc's tests sweep a whole bucket for orphans, so they have their own.
S3_GC_TEST_BUCKET=berth-gc-test
BERTH_ADMIN_PASSWORD=${BERTH_ADMIN_PASSWORD:-berth-admin}
BERTH_DEV_PASSWORD=berth-dev

INFRA_COMPONENTS=(postgres kafka s3 keycloak)
SERVICE_COMPONENTS=(registry-api auth replicator gc scanner-bridge gateway)
ALL_COMPONENTS=("${INFRA_COMPONENTS[@]}" "${SERVICE_COMPONENTS[@]}")

say() { printf 'berth: %s\n' "$*"; }
# One line on stderr and a non-zero exit: what a person needs, never a stack trace.
die() { printf 'berth: %s\n' "$*" >&2; exit 1; }

is_component() {
  local c
  for c in "${ALL_COMPONENTS[@]}"; do [[ $c == "$1" ]] && return 0; done
  return 1
}

# component name -> shell function prefix (registry-api -> registry_api)
fn() { printf '%s' "${1//-/_}"; }

pid_file() { printf '%s/%s.pid' "$BERTH_RUN" "$1"; }

# The PID of a running component, or nothing. A PID file whose process is gone, or whose PID
# was reused by an unrelated process, counts as not running: the process must still carry
# this checkout's marker in its command line or environment.
component_pid() {
  local f pid
  f=$(pid_file "$1")
  [[ -f $f ]] || return 1
  pid=$(head -n1 "$f")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if ! tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(sed -n 2p "$f")"; then
    return 1
  fi
  printf '%s' "$pid"
}

is_running() { component_pid "$1" >/dev/null; }

write_pid() { # component pid marker
  mkdir -p "$BERTH_RUN"
  printf '%s\n%s\n' "$2" "$3" > "$(pid_file "$1")"
}

# Whether something listens on 127.0.0.1:<port> (or on any address).
port_listening() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -ltnH "sport = :$1" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n1 |
      sed 's/users:(("\([^"]*\)",pid=\([0-9]*\)/\1, pid \2/'
  fi
}

# Refuse to start a component whose port is held by something else: one clear line.
require_free_ports() { # component port...
  local c=$1 p owner
  shift
  for p in "$@"; do
    if port_listening "$p"; then
      owner=$(port_owner "$p")
      die "cannot start $c: port $p is already in use${owner:+ by $owner}; stop that process and run again"
    fi
  done
}

# Starts a command detached from this shell (its own session), logging to the component's log.
# The command must exec the long-running process so that $! is its PID.
launch() { # component marker command...
  local c=$1 marker=$2
  shift 2
  mkdir -p "$BERTH_LOGS" "$BERTH_RUN"
  printf '\n==== %s: starting %s\n' "$(date -u +%FT%TZ)" "$c" >> "$BERTH_LOGS/$c.log"
  setsid "$@" >> "$BERTH_LOGS/$c.log" 2>&1 < /dev/null &
  write_pid "$c" "$!" "$marker"
}

# Waits until `<fn>_ready` succeeds, the process dies, or the timeout passes.
wait_ready() { # component timeout-seconds
  local c=$1 timeout=$2 f start
  f="$(fn "$c")_ready"
  start=$SECONDS
  until "$f" 2>/dev/null; do
    if ! is_running "$c"; then
      die "$c exited while starting; see ./berth logs $c (last line: $(tail -n1 "$BERTH_LOGS/$c.log" 2>/dev/null | cut -c1-160))"
    fi
    if (( SECONDS - start > timeout )); then
      die "$c did not become ready within ${timeout}s; see ./berth logs $c"
    fi
    sleep 0.5
  done
}

# Stops a component by its PID file: SIGTERM (or the component's own stop), then SIGKILL
# after a grace period. Only the process ./berth started is ever signalled.
stop_component() {
  local c=$1 pid i custom
  pid=$(component_pid "$c") || { rm -f "$(pid_file "$c")"; return 0; }
  custom="$(fn "$c")_stop"
  if declare -F "$custom" >/dev/null; then
    "$custom" "$pid"
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$c did not stop within 30s; killing it"
    # launch() made the component a process-group leader: take its children too.
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$(pid_file "$c")"
  say "stopped $c"
}

# Memory a component really holds, in MiB: the proportional set size (shared pages divided
# among their users) of its process and its direct children (kc.sh -> java, postgres backends).
component_memory_mib() { # pid
  local p kib=0 v
  for p in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    kib=$((kib + ${v:-0}))
  done
  echo $((kib / 1024))
}

# Deletes one object of the local bucket through the S3 API (SigV4 by curl), as any S3 client
# would; used to remove blobs that tests and benchmarks stored and nothing references.
s3_delete_object() { # key
  curl -sf -o /dev/null -X DELETE --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "http://127.0.0.1:$S3_PORT/$S3_BUCKET/$1"
}

# HTTP status of a GET, or 000 when nothing answers.
http_status() {
  curl -s -o /dev/null -m "${2:-3}" -w '%{http_code}' "$1" 2>/dev/null || true
}

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "Java 17 or newer is required but 'java' is not on PATH (apt-get install -y openjdk-17-jdk-headless)"
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ ${v%%.*} =~ ^[0-9]+$ ]] && (( ${v%%.*} >= 17 )) ||
    die "Java 17 or newer is required, but 'java' is version ${v:-unknown}"
}

require_tools() {
  local t missing=()
  for t in curl tar; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  ((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (apt-get install -y ${missing[*]})"
}

# The console (console/) is built with the machine's Node.js (20.19+) and packages from the npm
# registry; its build script says what is missing.
require_node() {
  bash "$BERTH_ROOT/console/scripts/build.sh" node || die "the web console cannot be built on this machine"
}

# Installs the Debian packages whose commands are missing: "cmd" where the package has the
# command's name, "cmd:package" where it does not (dockerd:docker.io).
require_packages() {
  local p missing=()
  for p in "$@"; do command -v "${p%%:*}" >/dev/null 2>&1 || missing+=("${p#*:}"); done
  ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "missing: $*, and apt-get is not available to install it"
  say "installing $* (apt-get)"
  mkdir -p "$BERTH_LOGS"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } \
    > "$BERTH_LOGS/apt.log" 2>&1 || die "could not install $* with apt-get; see $BERTH_LOGS/apt.log"
}

# Runs Maven through the wrapper, quietly; on failure prints the reason in one line.
mvn_quiet() { # what-for args...
  local what=$1 out
  shift
  mkdir -p "$BERTH_LOGS"
  if ! "$BERTH_ROOT/mvnw" -B -q "$@" > "$BERTH_LOGS/maven.log" 2>&1; then
    out=$(grep -m1 -E 'Could not (resolve|find|transfer)|ERROR\]' "$BERTH_LOGS/maven.log" | sed 's/^\[ERROR\] *//' | cut -c1-220)
    die "could not $what: ${out:-see $BERTH_LOGS/maven.log}"
  fi
}
