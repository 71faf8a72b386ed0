# shellcheck shell=bash
# The four components berth runs on: PostgreSQL, Kafka, the S3 endpoint and Keycloak.
# Each defines <name>_install, _start, _ready, _ports and, where SIGTERM is not right, _stop.

# Resolves one of the stack's servers with deploy/local/pom.xml (see its header).
stack_artifacts() { # what execution -Dprop...
  local what=$1
  shift
  say "resolving $what through Maven"
  mvn_quiet "resolve $what" -f "$BERTH_ROOT/deploy/local/pom.xml" "$@"
}

# ---------------------------------------------------------------- PostgreSQL (Debian package)
PG_BIN=
pg_find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/postgres ]] && PG_BIN=$d
  done
  [[ -n $PG_BIN ]]
}

PG_DATA=$BERTH_DATA/postgres

# Runs a PostgreSQL tool as the 'postgres' user, from a directory that user can enter.
pg_run() { (cd / && runuser -u postgres -- "$@"); }

# The server's own log sits beside the cluster (where the postgres user can write) and is
# linked into .berth/logs, so ./berth logs postgres shows it.
pg_server_log() { echo "$(dirname "$(readlink -f "$PG_DATA")")/postgres-server.log"; }

postgres_install() {
  if ! pg_find_bin; then
    apt_install postgresql
    pg_find_bin || die "PostgreSQL was installed but no server binary was found under /usr/lib/postgresql"
  fi
  id postgres >/dev/null 2>&1 || die "PostgreSQL is installed but the 'postgres' system user is missing"
  [[ -f $PG_DATA/PG_VERSION || -f $PG_DATA/data/PG_VERSION ]] && return 0

  # The server refuses to run as root, so it runs as the 'postgres' user, who must be able to
  # reach the data directory. A checkout under a private home (/root) is not reachable: then
  # the cluster lives under /var/lib/berth and .berth/data/postgres links to it.
  mkdir -p "$BERTH_DATA"
  local dir=$PG_DATA
  if ! pg_run test -x "$BERTH_DATA"; then
    dir=/var/lib/berth/$(printf '%s' "$BERTH_HOME" | sha256sum | cut -c1-12)/postgres
    if [[ -e $dir ]]; then
      # Left by an earlier checkout at this same path whose .berth/ is gone, and with it every
      # link to this cluster: its data went with that checkout. A server still running on it
      # is not ours to take over.
      local pid
      pid=$(head -n 1 "$dir/postmaster.pid" 2>/dev/null || true)
      if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        die "a PostgreSQL server (PID $pid) still runs on $dir, left by an earlier checkout at $BERTH_ROOT; stop it first"
      fi
      say "removing the PostgreSQL cluster an earlier checkout at this path left in $dir"
      rm -rf "$dir"
    fi
    mkdir -p "$dir"
    ln -sfn "$dir" "$PG_DATA"
  else
    mkdir -p "$dir"
  fi
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  say "creating the PostgreSQL cluster in $PG_DATA"
  pg_run "$PG_BIN/initdb" -D "$dir" -U postgres -E UTF8 --no-locale \
    --auth-local=peer --auth-host=scram-sha-256 > "$BERTH_LOGS/postgres-initdb.log" 2>&1 ||
    die "initdb failed; see $BERTH_LOGS/postgres-initdb.log"
  cat >> "$dir/postgresql.conf" <<EOF

# set by ./berth
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$(readlink -f "$dir")'
max_connections = 200
shared_buffers = 128MB
logging_collector = off
EOF
}

postgres_ports() { echo "$PG_PORT"; }

postgres_start() {
  local dir
  dir=$(readlink -f "$PG_DATA")
  local log
  log=$(pg_server_log)
  touch "$log"
  chown postgres "$log"
  ln -sfn "$log" "$BERTH_LOGS/postgres.log"
  # pg_ctl daemonizes the postmaster and waits until it accepts connections.
  pg_run "$PG_BIN/pg_ctl" -D "$dir" -w -t 60 -l "$log" start \
    > "$BERTH_LOGS/postgres.start" 2>&1 || die "PostgreSQL did not start; see ./berth logs postgres"
  write_pid postgres "$(head -n1 "$dir/postmaster.pid")" "$dir"
  postgres_bootstrap
}

# Fast shutdown: roll back open transactions, then exit cleanly.
postgres_stop() { kill -INT "$1" 2>/dev/null || true; }

pg_admin() { # sql [database]
  pg_run "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(readlink -f "$PG_DATA")" \
    -p "$PG_PORT" -U postgres -d "${2:-postgres}" -tAc "$1"
}

# Roles and databases: berth's own, the test suite's, and Keycloak's. Idempotent.
postgres_bootstrap() {
  local role pw db owner
  for role in "$PG_USER:$PG_PASSWORD" "keycloak:keycloak"; do
    pw=${role#*:}; role=${role%%:*}
    if [[ -z $(pg_admin "SELECT 1 FROM pg_roles WHERE rolname = '$role'") ]]; then
      pg_admin "CREATE ROLE $role LOGIN PASSWORD '$pw'" >/dev/null
    fi
  done
  for db in "berth:$PG_USER" "berth_test:$PG_USER" "keycloak:keycloak"; do
    owner=${db#*:}; db=${db%%:*}
    if [[ -z $(pg_admin "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
      pg_admin "CREATE DATABASE $db OWNER $owner" >/dev/null
    fi
  done
}

postgres_ready() {
  pg_find_bin >/dev/null && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2
}

postgres_url() { echo "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/berth"; }

# ---------------------------------------------------------------- Kafka (KRaft, one node)
KAFKA_LIB=$BERTH_LIB/kafka-$KAFKA_VERSION
KAFKA_DATA=$BERTH_DATA/kafka

kafka_install() {
  if [[ ! -f $KAFKA_LIB/.complete ]]; then
    rm -rf "$KAFKA_LIB"
    stack_artifacts "Kafka $KAFKA_VERSION" dependency:copy-dependencies@kafka \
      "-Dkafka.version=$KAFKA_VERSION" "-Dkafka.dir=$KAFKA_LIB"
    touch "$KAFKA_LIB/.complete"
  fi
  mkdir -p "$BERTH_CONF/kafka" "$KAFKA_DATA"
  sed -e "s|@LOG_DIRS@|$KAFKA_DATA|" -e "s|@PORT@|$KAFKA_PORT|g" \
    -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    "$BERTH_ROOT/deploy/local/kafka/server.properties" > "$BERTH_CONF/kafka/server.properties"
  if [[ ! -f $KAFKA_DATA/meta.properties ]]; then
    local id
    id=$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1) || true
    [[ $id =~ ^[A-Za-z0-9_-]{22}$ ]] || die "Kafka's StorageTool could not make a cluster id; see ./berth logs kafka"
    kafka_java kafka.tools.StorageTool format -t "$id" -c "$BERTH_CONF/kafka/server.properties" \
      > "$BERTH_LOGS/kafka-format.log" 2>&1 || die "formatting Kafka's storage failed; see $BERTH_LOGS/kafka-format.log"
  fi
}

kafka_java() {
  java -Xmx256m -cp "$KAFKA_LIB/*" \
    "-Dlog4j2.configurationFile=$BERTH_ROOT/deploy/local/kafka/log4j2-tools.properties" "$@"
}

kafka_ports() { echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT"; }

kafka_start() {
  launch kafka "$KAFKA_LIB" java -Xms128m -Xmx384m -XX:+UseG1GC -cp "$KAFKA_LIB/*" \
    "-Dlog4j2.configurationFile=$BERTH_ROOT/deploy/local/kafka/log4j2.properties" \
    kafka.Kafka "$BERTH_CONF/kafka/server.properties"
}

# Ready when the broker answers the Kafka protocol, not merely when its port is open.
kafka_ready() {
  port_listening "$KAFKA_PORT" || return 1
  kafka_java org.apache.kafka.tools.BrokerApiVersionsCommand \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" > /dev/null 2>&1
}

# ---------------------------------------------------------------- S3 endpoint (S3Proxy)
S3PROXY_JAR=$BERTH_LIB/s3proxy-$S3PROXY_VERSION/s3proxy.jar

s3_install() {
  if [[ ! -f $S3PROXY_JAR ]]; then
    stack_artifacts "S3Proxy $S3PROXY_VERSION" dependency:copy@s3proxy \
      "-Ds3proxy.version=$S3PROXY_VERSION" "-Ds3proxy.dir=$(dirname "$S3PROXY_JAR")"
  fi
  mkdir -p "$BERTH_DATA/s3"
  sed -e "s|@PORT@|$S3_PORT|" -e "s|@BASEDIR@|$BERTH_DATA/s3|" -e "s|@ACCESS_KEY@|$S3_ACCESS_KEY|" \
    -e "s|@SECRET_KEY@|$S3_SECRET_KEY|" "$BERTH_ROOT/deploy/local/s3proxy.properties" \
    > "$BERTH_CONF/s3proxy.properties"
}

s3_ports() { echo "$S3_PORT"; }

s3_start() {
  launch s3 "$S3PROXY_JAR" java -Xms32m -Xmx256m -jar "$S3PROXY_JAR" \
    --properties "$BERTH_CONF/s3proxy.properties"
  wait_ready_port s3 "$S3_PORT" 60
  local b
  for b in "$S3_BUCKET" "$S3_TEST_BUCKET" "$S3_GC_TEST_BUCKET"; do
    case $(s3_request PUT "/$b") in
      200 | 409) ;;
      *) die "could not create the S3 bucket '$b'; see ./berth logs s3" ;;
    esac
  done
}

# A SigV4-signed request to the local S3 endpoint; prints the HTTP status.
s3_request() { # method path
  curl -s -o /dev/null -m 5 -w '%{http_code}' -X "$1" --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "http://127.0.0.1:$S3_PORT$2" 2>/dev/null || true
}

# Ready when the bucket answers an authenticated HEAD.
s3_ready() { [[ $(s3_request HEAD "/$S3_BUCKET") == 200 ]]; }

wait_ready_port() { # component port timeout
  local start=$SECONDS
  until port_listening "$2"; do
    is_running "$1" || die "$1 exited while starting; see ./berth logs $1"
    (( SECONDS - start > $3 )) && die "$1 did not open port $2 within $3s; see ./berth logs $1"
    sleep 0.3
  done
}

# ---------------------------------------------------------------- Keycloak
KEYCLOAK_HOME=$BERTH_LIB/keycloak-$KEYCLOAK_VERSION
# Build-time options: changing them means one more `kc.sh build`, which ./berth notices.
KEYCLOAK_BUILD_OPTS="--db=postgres --health-enabled=true --metrics-enabled=true"

keycloak_install() {
  if [[ ! -x $KEYCLOAK_HOME/bin/kc.sh ]]; then
    local tmp
    tmp=$(mktemp -d "$BERTH_LIB/.keycloak-XXXXXX")
    stack_artifacts "Keycloak $KEYCLOAK_VERSION" dependency:copy@keycloak \
      "-Dkeycloak.version=$KEYCLOAK_VERSION" "-Dkeycloak.dir=$tmp"
    tar -xzf "$tmp/keycloak.tar.gz" -C "$tmp" || die "could not unpack Keycloak"
    rm -rf "$KEYCLOAK_HOME"
    mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_HOME"
    rm -rf "$tmp"
  fi
  # Keycloak's build step re-augments the server for the chosen options (~20-40 s); do it once,
  # then start with --optimized.
  if [[ $(cat "$KEYCLOAK_HOME/.berth-build" 2>/dev/null) != "$KEYCLOAK_BUILD_OPTS" ]]; then
    say "building Keycloak for PostgreSQL (once)"
    # shellcheck disable=SC2086
    "$KEYCLOAK_HOME/bin/kc.sh" build $KEYCLOAK_BUILD_OPTS > "$BERTH_LOGS/keycloak-build.log" 2>&1 ||
      die "building Keycloak failed; see $BERTH_LOGS/keycloak-build.log"
    echo "$KEYCLOAK_BUILD_OPTS" > "$KEYCLOAK_HOME/.berth-build"
  fi
  # The realm file is imported on start only while the realm does not exist yet.
  mkdir -p "$KEYCLOAK_HOME/data/import"
  local realm
  realm=$(<"$BERTH_ROOT/deploy/local/keycloak/berth-realm.json")
  realm=${realm//@ADMIN_PASSWORD@/$(json_string "$BERTH_ADMIN_PASSWORD")}
  realm=${realm//@DEV_PASSWORD@/$(json_string "$BERTH_DEV_PASSWORD")}
  printf '%s\n' "$realm" > "$KEYCLOAK_HOME/data/import/berth-realm.json"
  keycloak_follow_realm_file
}

# Keycloak imports the realm only into a database without it. So that a changed realm file (or
# password) takes effect, Keycloak's database remembers the digest of the file it was made from,
# and starts over when the file differs: users made by hand in the local realm are lost then.
keycloak_follow_realm_file() {
  postgres_ready || return 0
  local digest was
  digest=$(sha256sum "$KEYCLOAK_HOME/data/import/berth-realm.json" | cut -c1-64)
  was=$(pg_admin "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'keycloak'")
  [[ $was == "realm $digest" ]] && return 0
  if [[ -n $(pg_admin "SELECT 1 FROM pg_tables WHERE schemaname = 'public' LIMIT 1" keycloak) ]]; then
    say "the realm file changed: Keycloak's database starts over to import it again"
    pg_admin "DROP DATABASE keycloak" >/dev/null
    pg_admin "CREATE DATABASE keycloak OWNER keycloak" >/dev/null
  fi
  pg_admin "COMMENT ON DATABASE keycloak IS 'realm $digest'" >/dev/null
}

# The inside of a JSON string literal.
json_string() {
  local s=${1//\\/\\\\}
  printf '%s' "${s//\"/\\\"}"
}

keycloak_ports() { echo "$KEYCLOAK_PORT $KEYCLOAK_MGMT_PORT"; }

# One node on loopback: --cache=local leaves out the cluster transport (JGroups), which would
# listen on every interface. Brute-force protection stays on, but it must not refuse the
# concurrent, correct logins of one account that CI jobs make (docker pushing layers in
# parallel): Keycloak blocks them unless allow-concurrent-requests is set (docs/identity.md).
keycloak_start() {
  # Master-realm admin for the admin console, created on the first start only.
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$BERTH_ADMIN_PASSWORD \
  KC_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/keycloak" KC_DB_USERNAME=keycloak KC_DB_PASSWORD=keycloak \
  JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20" \
    launch keycloak "$KEYCLOAK_HOME" "$KEYCLOAK_HOME/bin/kc.sh" start --optimized \
      --http-enabled=true --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
      --http-management-port="$KEYCLOAK_MGMT_PORT" --hostname-strict=false \
      --cache=local --spi-brute-force-protector-default-brute-force-detector-allow-concurrent-requests=true \
      --import-realm --log-console-color=false
}

# kc.sh execs java, so the PID launch recorded is the server's.
keycloak_ready() {
  [[ $(http_status "http://127.0.0.1:$KEYCLOAK_MGMT_PORT/health/ready") == 200 ]] &&
    [[ $(http_status "http://127.0.0.1:$KEYCLOAK_PORT/realms/berth/.well-known/openid-configuration") == 200 ]]
}
