#!/usr/bin/env bash
# Stack tests: ./berth itself, as a new user meets it. Run by ./berth test after the Maven
# suite, with PostgreSQL, Kafka, S3 and Keycloak already up. Leaves the whole stack running;
# ./berth test then stops whatever it started.
#
# Each check prints "ok - ..." or "not ok - ..."; the last line counts them.
set -uo pipefail

# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

LISTENER_PID=
cleanup() {
  [[ -n $LISTENER_PID ]] && kill "$LISTENER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# Runs a command, captures stdout+stderr in $OUT and its exit code in $RC.
run() {
  OUT=$("$@" 2>&1)
  RC=$?
}

s3() { # method path [data-file]
  local body=${3:-/dev/null}
  curl -s -o "$WORK/s3.body" -w '%{http_code}' -X "$1" --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H "Content-Type: application/octet-stream" \
    -H "x-amz-content-sha256: $(sha256sum < "$body" | cut -d' ' -f1)" \
    ${3:+--data-binary "@$3"} "http://127.0.0.1:$S3_PORT$2"
}

kafka_topics() {
  java -cp "$BERTH_HOME/lib/kafka-$KAFKA_VERSION/*" \
    "-Dlog4j2.configurationFile=$BERTH_ROOT/deploy/local/kafka/log4j2-tools.properties" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" "$@"
}

# Waits until a command succeeds (or the timeout passes); returns its last status.
eventually() { # timeout command...
  local timeout=$1 start=$SECONDS
  shift
  until "$@"; do
    ((SECONDS - start > timeout)) && return 1
    sleep 1
  done
}

ready_status() { http_status "http://127.0.0.1:$1/q/health/ready" 5; }
registry_not_ready() { [[ $(ready_status "$REGISTRY_API_PORT") != 200 ]]; }
registry_ready() { [[ $(ready_status "$REGISTRY_API_PORT") == 200 ]]; }

# A failed command's output: exactly one line, containing the expected words.
one_clear_line() { # rc output expected
  [[ $1 -ne 0 && $(wc -l <<< "$2") -eq 1 && $2 == *"$3"* && $2 != *Exception* ]]
}

marker_in_pg() { [[ $(psql_berth "SELECT count(*) FROM stack_test.marker WHERE v = '$1'") == 1 ]]; }
marker_in_s3() { [[ $(s3 GET "/$S3_BUCKET/stack-test/$1") == 200 ]] && grep -qx "$1" "$WORK/s3.body"; }
topic_exists() { grep -qx "$1" <<< "$(kafka_topics --list)"; }

no_port_bound() {
  local p
  for p in $(berth_ports); do
    [[ -z $(ss -ltnH "sport = :$p") ]] || { echo "port $p is still bound"; return 1; }
  done
}

# Nothing started from this checkout survives: servers under .berth/ (PostgreSQL's cluster
# may live behind a link), or the services' jars.
no_berth_process() {
  local left pg
  pg=$(readlink -f "$BERTH_DATA/postgres")
  left=$(pgrep -af -- "$BERTH_HOME|$pg|$BERTH_ROOT/services/" | grep -v -e pgrep -e tests/stack || true)
  [[ -z $left ]] || { echo "$left"; return 1; }
}

every_service_has_metrics() {
  local p
  for p in $GATEWAY_MGMT_PORT $REGISTRY_API_PORT $AUTH_PORT $REPLICATOR_PORT $GC_PORT $SCANNER_BRIDGE_PORT; do
    grep -q "^jvm_memory_used_bytes" <<< "$(curl -sf -H "Accept: text/plain" "http://127.0.0.1:$p/q/metrics")" ||
      { echo "no Prometheus metrics on :$p"; return 1; }
  done
}

developer_can_sign_in() {
  curl -sf -d grant_type=password -d client_id=berth-auth -d client_secret=berth-auth-local-secret \
    -d username=developer -d "password=$BERTH_DEV_PASSWORD" \
    "http://127.0.0.1:$KEYCLOAK_PORT/realms/berth/protocol/openid-connect/token" | grep -q access_token
}

others_running() { # except
  local c
  for c in "${ALL_COMPONENTS[@]}"; do
    [[ $c == "$1" ]] || is_running "$c" || { echo "$c is not running"; return 1; }
  done
}

berth_ports() {
  echo "$PG_PORT $KAFKA_PORT $KAFKA_CONTROLLER_PORT $S3_PORT $KEYCLOAK_PORT $KEYCLOAK_MGMT_PORT" \
    "$GATEWAY_PORT $GATEWAY_TLS_PORT $GATEWAY_MGMT_PORT $REGISTRY_API_PORT $AUTH_PORT $REPLICATOR_PORT $GC_PORT $SCANNER_BRIDGE_PORT"
}

# ---------------------------------------------------------------- up, status, idempotent up
run "$BERTH" up
check "./berth up brings the whole suite up" test "$RC" -eq 0
check "./berth up prints the registry endpoint" grep -q "127.0.0.1:$GATEWAY_PORT" <<< "$OUT"

run "$BERTH" status
check "./berth status exits 0 with every component healthy" test "$RC" -eq 0
STATUS=$OUT
echo "$STATUS" | sed 's/^/    /'
total_mib=$(awk '$1 == "total" {print $2}' <<< "$STATUS")
check "the idle stack holds under 4 GiB (${total_mib:-?} MiB)" test "${total_mib:-99999}" -lt 4096

run "$BERTH" up
check "a second ./berth up is a no-op that says so" test "$RC" -eq 0 -a -n "$(grep 'already up' <<< "$OUT")"

check "every service answers /q/metrics in Prometheus format (the gateway on its management port)" every_service_has_metrics
check "./berth up prints how to log in" grep -q "podman login --cert-dir .* -u developer" <<< "$OUT"

# ---------------------------------------------------------------- closed by default
challenge_of() { # url -> the WWW-Authenticate header of an anonymous GET
  curl -s --cacert "$BERTH_CONF/tls/tls.crt" -o /dev/null -D - "$1" | tr -d '\r' |
    sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: //p'
}
anonymous_status() { curl -s --cacert "$BERTH_CONF/tls/tls.crt" -o /dev/null -w '%{http_code}' "$@"; }
check "an anonymous GET /v2/ through the gateway gets 401 and a challenge naming its token endpoint" bash -c \
  '[[ $(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$0/v2/") == 401 &&
     $1 == "Bearer realm=\"http://127.0.0.1:$0/service/token\",service=\"berth\"" ]]' \
  "$GATEWAY_PORT" "$(challenge_of "http://127.0.0.1:$GATEWAY_PORT/v2/")"
check "... and over HTTPS the realm is the HTTPS one" bash -c '[[ $0 == *"realm=\"https://127.0.0.1:$1/service/token\""* ]]' \
  "$(challenge_of "https://127.0.0.1:$GATEWAY_TLS_PORT/v2/")" "$GATEWAY_TLS_PORT"
check "registry-api's own port refuses anonymous and forged requests" bash -c \
  '[[ $(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$0/v2/_catalog") == 401 &&
     $(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer not-a-jwt" "http://127.0.0.1:$0/v2/_catalog") == 401 &&
     $(curl -s -o /dev/null -w "%{http_code}" -X POST "http://127.0.0.1:$0/v2/library/x/blobs/uploads/") == 401 ]]' \
  "$REGISTRY_API_PORT"
check "the gateway serves no /q endpoint to clients (metrics and health are on $GATEWAY_MGMT_PORT)" bash -c \
  '[[ $(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$0/q/metrics") == 404 &&
     $(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$0/q/health") == 404 ]]' "$GATEWAY_PORT"
errors_in_format() { # every service answers a path it lacks with a JSON 404 NOT_FOUND (docs/errors.md)
  local p path body
  for p in $GATEWAY_PORT $REGISTRY_API_PORT $AUTH_PORT $REPLICATOR_PORT $GC_PORT $SCANNER_BRIDGE_PORT; do
    # The gateway's other paths are the console's pages (index.html): a file it lacks, then.
    path=/no-such-path
    [[ $p == "$GATEWAY_PORT" ]] && path=/assets/no-such-file.js
    body=$(curl -s -H "Accept: text/html" -w ' %{http_code} %{content_type}' "http://127.0.0.1:$p$path")
    [[ $body == '{"errors":[{"code":"NOT_FOUND",'*' 404 application/json'* ]] ||
      { echo ":$p answered $body"; return 1; }
  done
  # The gateway's 404 for a path no route has, and auth's behind /api/v1, say the same.
  body=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$GATEWAY_PORT/api/v1/no-such-path")
  [[ $body == '{"errors":[{"code":"NOT_FOUND",'*' 404' ]] || { echo "/api/v1 answered $body"; return 1; }
}
check "every service answers a path it lacks in the error format, never an HTML page" errors_in_format
openapi_public() { # the merged API description, public by decision (docs/security.md), with every service's operations
  local body
  body=$(curl -sf -m 10 "http://127.0.0.1:$GATEWAY_PORT/api/v1/openapi") || { echo "no 200 without credentials"; return 1; }
  grep -q '"auth"' <<< "$body" && grep -q '"registry-api"' <<< "$body" && grep -q '"/api/v1/projects"' <<< "$body"
}
check "the gateway serves the merged OpenAPI document without credentials" openapi_public
only_loopback() { # every listening socket of every berth component is on 127.0.0.1 or ::1
  local c pid p bad= seen=0
  for c in "${ALL_COMPONENTS[@]}"; do
    pid=$(component_pid "$c") || { echo "$c is not running"; return 1; }
    # The component and its children: kc.sh runs Keycloak's JVM as a child.
    for p in $pid $(pgrep -P "$pid"); do
      seen=$((seen + $(ss -ltnpH | grep -c "pid=$p,")))
      bad+=$(ss -ltnpH | grep "pid=$p," | awk '{print $4}' |
        grep -vE '^(127\.0\.0\.1|\[::1\]|\[::ffff:127\.0\.0\.1\]):' | sed "s/^/$c: /")
    done
  done
  echo "$seen listening sockets"
  [[ -z $bad && $seen -ge 14 ]] || { echo "$bad"; return 1; }
}
check "every component listens on loopback only (Keycloak without a cluster transport)" only_loopback

# The README's "Try it", exactly as written, with podman's storage and login kept in a scratch
# directory instead of the machine's.
readme_try_it() {
  local block
  block=$(awk '/^Try it\./ {t = 1} t && /^```sh$/ {b = 1; next} b && /^```$/ {exit} b' "$BERTH_ROOT/README.md")
  [[ -n $block ]] || { echo "no Try it block in README.md"; return 1; }
  mkdir -p "$WORK/try/storage"
  printf '[storage]\ndriver = "vfs"\ngraphroot = "%s"\nrunroot = "%s"\n' "$WORK/try/storage" "$WORK/try/run" \
    > "$WORK/try/storage.conf"
  (cd "$BERTH_ROOT" && CONTAINERS_STORAGE_CONF=$WORK/try/storage.conf REGISTRY_AUTH_FILE=$WORK/try/auth.json \
    bash -euo pipefail -c "$block") > "$WORK/try/out" 2>&1
  local rc=$?
  cat "$WORK/try/out"
  ((rc == 0)) && grep -q '"tags":\["1.0"\]' "$WORK/try/out" && grep -q '^HTTP/1.1 401' "$WORK/try/out"
}
check "the README's Try it works as written: log in, push, pull, list tags with Basic, 401 without" readme_try_it
psql_berth "DELETE FROM projects WHERE name = 'library'" > /dev/null
check "Keycloak serves realm berth and the developer user can sign in" developer_can_sign_in

# ---------------------------------------------------------------- data survives down and up
marker="stack-$(date +%s)-$RANDOM"
echo "$marker" > "$WORK/marker"
check "write a marker to PostgreSQL" psql_berth \
  "CREATE SCHEMA IF NOT EXISTS stack_test; CREATE TABLE IF NOT EXISTS stack_test.marker (v text); INSERT INTO stack_test.marker VALUES ('$marker')"
check "write a marker object to S3" test "$(s3 PUT "/$S3_BUCKET/stack-test/$marker" "$WORK/marker")" = 200
check "create a marker topic in Kafka" kafka_topics --create --if-not-exists --topic "berth.stack-test.$marker" \
  --partitions 1 --replication-factor 1

run "$BERTH" down
check "./berth down exits 0" test "$RC" -eq 0
check "./berth down leaves no berth port bound" no_port_bound
check "./berth down leaves no berth process running" no_berth_process
check "./berth down removes the PID files" test -z "$(ls "$BERTH_RUN"/*.pid 2>/dev/null)"
run "$BERTH" status
check "./berth status exits non-zero when components are stopped" test "$RC" -ne 0

run "$BERTH" up
check "./berth up after down brings everything back" test "$RC" -eq 0
check "the PostgreSQL marker survived down and up" marker_in_pg "$marker"
check "the S3 marker survived down and up" marker_in_s3 "$marker"
check "the Kafka marker topic survived down and up" topic_exists "berth.stack-test.$marker"
psql_berth "DROP SCHEMA stack_test CASCADE" > /dev/null 2>&1
s3 DELETE "/$S3_BUCKET/stack-test/$marker" > /dev/null
kafka_topics --delete --topic "berth.stack-test.$marker" > /dev/null 2>&1

# ---------------------------------------------------------------- one component down
run "$BERTH" stop kafka
check "./berth stop kafka stops Kafka" test "$RC" -eq 0 -a -z "$(ss -ltnH "sport = :$KAFKA_PORT")"
check "... and nothing else" others_running kafka
run "$BERTH" status
check "./berth status exits non-zero while Kafka is down" test "$RC" -ne 0 -a -n "$(grep -E '^kafka +- +stopped' <<< "$OUT")"
check "registry-api turns not-ready without Kafka" eventually 60 registry_not_ready
run "$BERTH" start kafka
check "./berth start kafka brings it back" test "$RC" -eq 0
check "registry-api is ready again once Kafka is back" eventually 90 registry_ready
# Each service reconnects to Kafka at its own pace (auth's audit consumer a second or two after
# registry-api), so the whole stack is healthy again shortly after, not at the same instant.
stack_healthy() { "$BERTH" status > /dev/null 2>&1; }
check "./berth status exits 0 again once every service has reconnected" eventually 60 stack_healthy

# ---------------------------------------------------------------- JSON logs on request
json_log_lines() { # component: the log since its last start is all JSON objects
  local lines
  lines=$(sed -n '/^==== .*starting/h; /^==== .*starting/!H; ${x;p}' "$BERTH_LOGS/$1.log" | sed '1d; /^$/d')
  [[ -n $lines ]] || { echo "nothing logged"; return 1; }
  # Every line one object with a level and a message (a JSON parser is not assumed here).
  ! grep -v -E '^\{.*"level":"[A-Z]+".*"message":.*\}$' <<< "$lines"
}
"$BERTH" stop gc > /dev/null
run env BERTH_LOG_JSON=true "$BERTH" start gc
check "a service started with BERTH_LOG_JSON=true is healthy" test "$RC" -eq 0
check "... every line of that log is JSON with a message and a level" json_log_lines gc
"$BERTH" stop gc > /dev/null
run "$BERTH" start gc
check "... and without it the service logs text again" test "$RC" -eq 0 -a -n "$(tail -n 3 "$BERTH_LOGS/gc.log" | grep -v '^{')"

# ---------------------------------------------------------------- a bad environment
run "$BERTH" stop gateway
cat > "$WORK/Listen.java" <<'EOF'
public class Listen {
    public static void main(String[] a) throws Exception {
        var s = new java.net.ServerSocket(Integer.parseInt(a[0]), 50, java.net.InetAddress.getByName("127.0.0.1"));
        System.out.println("listening");
        Thread.sleep(120_000);
        s.close();
    }
}
EOF
java "$WORK/Listen.java" "$GATEWAY_PORT" > "$WORK/listen.out" 2>&1 &
LISTENER_PID=$!
eventually 30 grep -q listening "$WORK/listen.out"
run "$BERTH" start gateway
check "a taken port gets one clear line and a non-zero exit" \
  one_clear_line "$RC" "$OUT" "port $GATEWAY_PORT is already in use"
kill "$LISTENER_PID" 2>/dev/null
wait "$LISTENER_PID" 2>/dev/null
LISTENER_PID=
run "$BERTH" start gateway
check "the gateway starts once the port is free" test "$RC" -eq 0

mkdir -p "$WORK/nojava"
for f in /usr/local/bin/* /usr/bin/* /bin/*; do
  n=$(basename "$f")
  [[ $n == java || -e $WORK/nojava/$n ]] || ln -s "$f" "$WORK/nojava/$n"
done
OUT=$(PATH="$WORK/nojava" /bin/bash "$BERTH" up 2>&1)
RC=$?
check "no Java gets one clear line and a non-zero exit" one_clear_line "$RC" "$OUT" "Java 17"

run env BERTH_HOME="$WORK/home" BERTH_KAFKA_VERSION=0.0.0-no-such-version "$BERTH" start kafka
# The first line says what is being resolved; the failure is one more line.
check "an artifact that cannot be resolved gets a clear message and a non-zero exit" \
  one_clear_line "$RC" "$(grep -v '^berth: resolving' <<< "$OUT")" "could not resolve Kafka 0.0.0-no-such-version"

run "$BERTH" status
check "the stack is healthy at the end" test "$RC" -eq 0

summary stack
