#!/usr/bin/env bash
# ./berth bench: the benchmark of issue #7 against the running local stack.
#
#   ./berth bench [--vs distribution] [--quick | --smoke] [--via-gateway] [berth-bench.jar options]
#
# Drives berth's registry-api (or the gateway, --via-gateway) with bench/target/berth-bench.jar,
# logged in as a robot of a throw-away project (tokens from auth), and measures berth's token
# service through the gateway with that robot and with a Keycloak user. With --vs distribution
# it also starts Debian's docker-registry (CNCF distribution 2.8.2) on loopback twice, with an
# htpasswd file: on its s3 driver against the same S3Proxy berth uses ("distribution", the
# reference) and on its filesystem driver ("distribution_fs"); and berth's registry-api a second
# time, on its filesystem backend with a database of its own ("berth_fs"). berth is checked
# against distribution on every workload, berth_fs against distribution_fs on those that move
# blob bytes (push, pull, skopeo), which are all the filesystem pair runs; rounds alternate.
# The table goes to stdout, the JSON to .berth/bench/latest.json (and a dated copy beside it).
# Everything it pushes is removed after.
set -euo pipefail

# The garbage-collection, scanner's and replicator's benchmarks are scripts of their own.
[[ ${1:-} == --gc ]] && exec "$(dirname "${BASH_SOURCE[0]}")/gc.sh" "$@"
[[ ${1:-} == --scan ]] && exec "$(dirname "${BASH_SOURCE[0]}")/scan.sh" "$@"
[[ ${1:-} == --replication ]] && exec "$(dirname "${BASH_SOURCE[0]}")/replication.sh" "$@"

case " $* " in
  *" -h "* | *" --help "*)
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    echo
    echo "berth-bench.jar options (after a build):"
    jar=$(dirname "${BASH_SOURCE[0]}")/target/berth-bench.jar
    [[ -f $jar ]] && java -jar "$jar" --help | sed 1d
    exit 0
    ;;
esac

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VS= PROFILE=full VIA_GATEWAY= EXTRA=()
while (($#)); do
  case $1 in
    --vs)
      [[ ${2:-} == distribution ]] || die "--vs takes one value: distribution"
      VS=1
      shift 2
      ;;
    --quick) PROFILE=quick; shift ;;
    --smoke) PROFILE=smoke; shift ;;
    --full) PROFILE=full; shift ;;
    --via-gateway) VIA_GATEWAY=1; shift ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done

JAR=$BERTH_ROOT/bench/target/berth-bench.jar
# Rebuilt when any of its sources (or libs/oci's) is newer than the jar.
if [[ ! -f $JAR ]] || [[ -n $(find "$BERTH_ROOT/bench/src/main" "$BERTH_ROOT/bench/pom.xml" \
  "$BERTH_ROOT/libs/oci/src/main" -newer "$JAR" -type f -print -quit) ]]; then
  say "building the benchmark (bench/)"
  mvn_quiet "build the benchmark" -ntp -f "$BERTH_ROOT/pom.xml" -pl libs/oci,bench package -DskipTests
fi

require_packages skopeo
bench_project
# The token-user workload asks for pull tokens with a person's password: a Keycloak user of
# this run's own, a guest of the project.
bench_user
PIDS_BERTH="registry-api:$(component_pid registry-api),s3proxy:$(component_pid s3)"
URL_BERTH=http://$BERTH
GATEWAY=127.0.0.1:$GATEWAY_PORT
if [[ -n $VIA_GATEWAY ]]; then
  URL_BERTH=http://$GATEWAY
  PIDS_BERTH="gateway:$(component_pid gateway),$PIDS_BERTH"
fi
# Token requests go through the gateway, as clients send them; auth, the gateway and Keycloak
# are what they cost.
PIDS_TOKENS=
for c in gateway auth keycloak; do
  pid=$(component_pid "$c") && PIDS_TOKENS+="${PIDS_TOKENS:+,}$c:$pid"
done
# berth as users run it: an open /v2 would make this a benchmark of something nobody should run.
AUTH_NOTE="token auth, a project robot"
[[ $(http_status "$URL_BERTH/v2/") == 401 ]] ||
  { AUTH_NOTE="OPEN: /v2/ answered without credentials"; say "berth answers /v2/ without credentials: the report says so"; }
# Everything as the robot, but the catalog: berth keeps it to system administrators.
ARGS=(--target "berth=$URL_BERTH" --procs "berth=$PIDS_BERTH" --user "berth=$BENCH_CREDS"
  --admin "berth=admin:$BERTH_ADMIN_PASSWORD"
  --token-url "berth=http://$GATEWAY/service/token?service=$TOKEN_SERVICE" --token-robot "berth=$BENCH_CREDS"
  --token-user "berth=$BENCH_USER_CREDS" ${PIDS_TOKENS:+--token-procs "berth=$PIDS_TOKENS"}
  --describe "berth=berth $(git -C "$BERTH_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), ${VIA_GATEWAY:+through the gateway to }registry-api on S3Proxy ($AUTH_NOTE)")
if [[ -n $VS ]]; then
  require_packages docker-registry
  start_distributions
  version=$(docker-registry --version 2>/dev/null | awk '{print $NF}' || true)
  start_berth_fs
  ARGS+=(--target "distribution=http://$DIST_S3" --procs "distribution=docker-registry:${DIST_PIDS[1]},s3proxy:$(component_pid s3)"
    --user "distribution=$DIST_CREDS"
    --describe "distribution=CNCF distribution ${version:-2.8.2} (Debian docker-registry), s3 driver on the same S3Proxy, htpasswd (bcrypt)"
    --target "berth_fs=http://$BERTH_FS" --procs "berth_fs=registry-api:$BERTH_FS_PID"
    --user "berth_fs=$BENCH_CREDS" --admin "berth_fs=admin:$BERTH_ADMIN_PASSWORD"
    --describe "berth_fs=the same registry-api on its filesystem backend (berth.storage.kind=filesystem, the disk distribution_fs uses), a database of its own ($AUTH_NOTE)"
    --target "distribution_fs=http://$DIST" --procs "distribution_fs=docker-registry:${DIST_PIDS[0]}"
    --user "distribution_fs=$DIST_CREDS"
    --describe "distribution_fs=CNCF distribution ${version:-2.8.2} (Debian docker-registry), filesystem driver, htpasswd (bcrypt)"
    --pair berth_fs=distribution_fs --blobs-only berth_fs,distribution_fs)
fi

OUT_DIR=${BENCH_OUT:-$BERTH_HOME/bench}
mkdir -p "$OUT_DIR"
COMMAND="./berth bench${VS:+ --vs distribution}$([[ $PROFILE == full ]] || echo " --$PROFILE")${VIA_GATEWAY:+ --via-gateway}${EXTRA[*]:+ ${EXTRA[*]}}"
java -Xms512m -Xmx2g -XX:MaxDirectMemorySize=2g -jar "$JAR" "${ARGS[@]}" --profile "$PROFILE" \
  --namespace "$PROJECT" --out "$OUT_DIR/latest.json" --command "$COMMAND" "${EXTRA[@]}"
cp "$OUT_DIR/latest.json" "$OUT_DIR/$(date -u +%Y%m%dT%H%M%SZ)-$PROFILE.json"
