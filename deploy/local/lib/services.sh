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

BUILD_STAMP=$BERTH_HOME/build.stamp

# Builds the services when any source, resource or pom changed since the last build.
build_services() {
  local c stale=
  for c in "${SERVICE_COMPONENTS[@]}"; do
    [[ -f $(service_jar "$c") ]] || stale=1
  done
  if [[ -z $stale && -f $BUILD_STAMP ]]; then
    [[ -n $(find "$BERTH_ROOT/pom.xml" "$BERTH_ROOT/libs" "$BERTH_ROOT/services" \
      -path '*/target' -prune -o -type f -newer "$BUILD_STAMP" -print -quit) ]] && stale=1
  else
    stale=1
  fi
  [[ -n $stale ]] || return 0
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

service_java_opts() {
  if [[ $1 == registry-api ]]; then echo "$BERTH_REGISTRY_JAVA_OPTS"; else echo "$BERTH_SERVICE_JAVA_OPTS"; fi
}

service_start() {
  local c=$1 jar
  jar=$(service_jar "$c")
  [[ -f $jar ]] || die "$c is not built ($jar is missing); run ./berth up"
  # Until auth issues tokens (issue #4) the local registry has no token service to point
  # clients at, so registry-api runs open here (docs/adr/0008-registry-auth.md).
  # A rotated signing key is published 15 s before it signs here (1 min by default), more than
  # registry-api's 10 s between JWKS fetches, so that the e2e rotation check need not wait long.
  # shellcheck disable=SC2086
  QUARKUS_HTTP_PORT=$(service_port "$c") BERTH_REGISTRY_AUTH_ENABLED=false BERTH_AUTH_KEYS_PUBLISH_AHEAD=PT15S \
    launch "$c" "$jar" java $(service_java_opts "$c") -jar "$jar"
}

service_ready() {
  [[ $(http_status "http://127.0.0.1:$(service_port "$1")/q/health/ready") == 200 ]]
}

# The component interface (see common.sh) for each service.
for _svc in "${SERVICE_COMPONENTS[@]}"; do
  _f=$(fn "$_svc")
  eval "${_f}_install() { :; }
${_f}_ports() { service_port $_svc; }
${_f}_start() { service_start $_svc; }
${_f}_ready() { service_ready $_svc; }"
done
unset _svc _f
