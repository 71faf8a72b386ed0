# shellcheck shell=bash
# berth's own six services: built with the Maven wrapper, run as Quarkus fast-jars (JVM mode).

service_port() {
  case $1 in
    gateway) echo "$GATEWAY_PORT" ;;
    registry-api) echo "$REGISTRY_API_PORT" ;;
    auth) echo "$AUTH_PORT" ;;
    replicator) echo "$REPLICATOR_PORT" ;;
    gc) echo "$GC_PORT" ;;
    scanner-bridge) echo "$SCANNER_BRIDGE_PORT" ;;
  esac
}

service_jar() { echo "$BERTH_ROOT/services/$1/target/quarkus-app/quarkus-run.jar"; }

# Every port a service listens on: the gateway's HTTPS and management ports too.
service_ports() {
  if [[ $1 == gateway ]]; then echo "$GATEWAY_PORT $GATEWAY_TLS_PORT $GATEWAY_MGMT_PORT"; else service_port "$1"; fi
}

# Where a service answers /q/health and /q/metrics: the gateway on its management port.
service_mgmt_port() {
  if [[ $1 == gateway ]]; then echo "$GATEWAY_MGMT_PORT"; else service_port "$1"; fi
}

BUILD_STAMP=$BERTH_HOME/build.stamp

# Builds the services when any source, resource or pom changed since the last build.
build_services() {
  local c stale=
  for c in "${SERVICE_COMPONENTS[@]}"; do
    [[ -f $(service_jar "$c") ]] || stale=1
  done
  if [[ -z $stale && -f $BUILD_STAMP ]]; then
    [[ -n $(find "$BERTH_ROOT/pom.xml" "$BERTH_ROOT/libs" "$BERTH_ROOT/services" "$BERTH_ROOT/console" \
      \( -path '*/target' -o -path '*/node_modules' -o -path '*/dist' -o -path '*/browser/results' \) -prune \
      -o -type f -newer "$BUILD_STAMP" -print -quit) ]] && stale=1
  else
    stale=1
  fi
  [[ -n $stale ]] || return 0
  require_node
  say "building the services (./mvnw package -DskipTests; the first build fetches dependencies)"
  local t=$SECONDS
  mvn_quiet "build the services" -f "$BERTH_ROOT/pom.xml" -DskipTests package
  touch "$BUILD_STAMP"
  say "built in $((SECONDS - t))s"
}

# Service heap is bounded so that the whole idle stack stays small (docs/architecture.md).
BERTH_SERVICE_JAVA_OPTS=${BERTH_SERVICE_JAVA_OPTS:--Xms32m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30}
# registry-api carries every pushed byte. A heap kept tight promotes part buffers and forces a
# full collection every few parts; a fixed 256 MiB heap with the throughput collector does not.
# Java 17's code-cache sweeper throws away the compiled blob-streaming path between pushes and
# pulls, and C2 then spends about a second recompiling it each time; flushing is off.
# (docs/benchmarks.md has the measurements.)
BERTH_REGISTRY_JAVA_OPTS=${BERTH_REGISTRY_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC -XX:-UseCodeCacheFlushing}

# Netty allocates its pooled direct memory without zeroing it only when it may call
# DirectByteBuffer's private constructor. Without these, every new pool chunk is zeroed by
# ByteBuffer.allocateDirect: 7 % of registry-api's CPU during pulls (perf, docs/benchmarks.md).
BERTH_NETTY_JAVA_OPTS="-Dio.netty.tryReflectionSetAccessible=true --add-opens java.base/java.nio=ALL-UNNAMED"

service_java_opts() {
  local opts=$BERTH_SERVICE_JAVA_OPTS
  [[ $1 == registry-api ]] && opts=$BERTH_REGISTRY_JAVA_OPTS
  echo "$opts $BERTH_NETTY_JAVA_OPTS"
}

# A local secret: random, made once under .berth/conf (mode 600), the same on every start.
local_secret() { # file name under .berth/conf
  local file=$BERTH_CONF/$1
  if [[ ! -s $file ]]; then
    mkdir -p "$BERTH_CONF"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > "$file")
  fi
  chmod 600 "$file"
  cat "$file"
}

# The local secrets a service reads, one KEY=value a line: what a Secret or .env gives it in a
# container deployment (docs/deploy.md). service_start and deploy/images/run-local.sh both use it.
service_secrets() { # service
  local c=$1
  if [[ $c == auth || $c == scanner-bridge ]]; then
    # scanner-bridge's service account (service$scanner-bridge, docs/security.md): auth and
    # scanner-bridge alone get its secret, as BERTH_SCANNER_SERVICE_SECRET, the variable both read.
    echo "BERTH_SCANNER_SERVICE_SECRET=$(local_secret scanner-service.secret)"
  fi
  if [[ $c == auth || $c == replicator ]]; then
    # The replicator's service account (service$replicator, ADR 0038): it reaches this berth as a
    # registry, as it reaches remote ones.
    echo "BERTH_REPLICATOR_SERVICE_SECRET=$(local_secret replicator-service.secret)"
  fi
  if [[ $c == replicator ]]; then
    # The key replication endpoints' passwords are sealed under (ADR 0037).
    echo "BERTH_REPLICATOR_CREDENTIALS_SECRET=$(local_secret replicator-credentials.secret)"
  fi
  if [[ $c == scanner-bridge ]]; then
    # The built-in scanner's Pluggable Scanner API (/scanner/api/v1) is closed without a key; the
    # local stack opens it with its own, which tests/e2e registers as a second scanner (ADR 0036).
    echo "BERTH_SCANNER_PLUGGABLE_API_KEY=$(local_secret scanner-pluggable-api.key)"
  fi
  return 0
}

service_start() {
  local c=$1 jar extra=()  # settings of this service alone
  jar=$(service_jar "$c")
  [[ -f $jar ]] || die "$c is not built ($jar is missing); run ./berth up"
  mapfile -t extra < <(service_secrets "$c")
  if [[ $c == gateway ]]; then
    gateway_tls
    extra=("QUARKUS_HTTP_SSL_PORT=$GATEWAY_TLS_PORT" "QUARKUS_HTTP_SSL_CERTIFICATE_FILES=$GATEWAY_TLS_DIR/tls.crt"
      "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES=$GATEWAY_TLS_DIR/tls.key" "QUARKUS_MANAGEMENT_PORT=$GATEWAY_MGMT_PORT"
      # Every local client is 127.0.0.1; the benchmark alone sends ~20k requests/s from it.
      "BERTH_GATEWAY_LIMITS_REQUESTS_PER_SECOND=${BERTH_GATEWAY_LIMITS_REQUESTS_PER_SECOND:-100000}"
      "BERTH_GATEWAY_LIMITS_BURST=${BERTH_GATEWAY_LIMITS_BURST:-200000}")
  fi
  # registry-api demands a token on every request, as in production, and verifies it with the
  # keys auth publishes (docs/security.md); the gateway's /service/token is the realm it names.
  # A rotated signing key is published 15 s before it signs here (1 min by default), more than
  # registry-api's 10 s between JWKS fetches, so that the e2e rotation check need not wait long.
  # auth counts failed logins per client: the gateway and registry-api, on loopback here, say
  # who the client is in X-Forwarded-For, and auth believes them (docs/security.md).
  # shellcheck disable=SC2086
  QUARKUS_HTTP_PORT=$(service_port "$c") BERTH_AUTH_KEYS_PUBLISH_AHEAD=PT15S \
    BERTH_AUTH_LOGINS_TRUSTED_PROXIES=127.0.0.1,::1 \
    BERTH_REGISTRY_AUTH_JWKS_URL="http://127.0.0.1:$AUTH_PORT/.well-known/jwks.json" \
    launch "$c" "$jar" env "${extra[@]}" java $(service_java_opts "$c") -jar "$jar"
}

service_ready() {
  [[ $(http_status "http://127.0.0.1:$(service_mgmt_port "$1")/q/health/ready") == 200 ]]
}

# The component interface (see common.sh) for each service.
for _svc in "${SERVICE_COMPONENTS[@]}"; do
  _f=$(fn "$_svc")
  eval "${_f}_install() { :; }
${_f}_ports() { service_ports $_svc; }
${_f}_start() { service_start $_svc; }
${_f}_ready() { service_ready $_svc; }"
done
unset _svc _f

# ---------------------------------------------------------------- the gateway's TLS pair
# HTTPS on $GATEWAY_TLS_PORT needs a certificate: ./berth makes a self-signed P-256 pair for
# 127.0.0.1 and localhost once, under .berth/conf/tls, and clients are told how to trust it.
GATEWAY_TLS_DIR=$BERTH_CONF/tls

gateway_tls() {
  [[ -s $GATEWAY_TLS_DIR/tls.crt && -s $GATEWAY_TLS_DIR/tls.key ]] &&
    openssl x509 -checkend 86400 -noout -in "$GATEWAY_TLS_DIR/tls.crt" >/dev/null 2>&1 && return 0
  require_packages openssl
  mkdir -p "$GATEWAY_TLS_DIR/certs.d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj "/CN=berth local gateway" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$GATEWAY_TLS_DIR/tls.key" -out "$GATEWAY_TLS_DIR/tls.crt" > "$BERTH_LOGS/tls.log" 2>&1 ||
    die "could not make the gateway's TLS pair; see $BERTH_LOGS/tls.log"
  chmod 600 "$GATEWAY_TLS_DIR/tls.key"
  # What skopeo, podman and buildah take as --cert-dir (or /etc/containers/certs.d/<host:port>).
  cp "$GATEWAY_TLS_DIR/tls.crt" "$GATEWAY_TLS_DIR/certs.d/ca.crt"
}
