#!/usr/bin/env bash
# ./berth bench: the benchmark of issue #7 against the running local stack.
#
#   ./berth bench [--vs distribution] [--quick | --smoke] [--via-gateway] [berth-bench.jar options]
#
# Drives berth's registry-api (or the gateway, --via-gateway) with bench/target/berth-bench.jar.
# With --vs distribution it also starts Debian's docker-registry (CNCF distribution 2.8.2) on
# loopback twice, on its s3 driver against the same S3Proxy berth uses ("distribution", the
# reference the targets compare with) and on its filesystem driver ("distribution_fs"), and
# runs every workload against the three, alternating. The table goes to stdout, the JSON to
# .berth/bench/latest.json (and a dated copy beside it). Everything it pushes is removed after.
set -euo pipefail

case " $* " in
  *" -h "* | *" --help "*)
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
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
PIDS_BERTH="registry-api:$(component_pid registry-api),s3proxy:$(component_pid s3)"
URL_BERTH=http://$BERTH
if [[ -n $VIA_GATEWAY ]]; then
  URL_BERTH=http://127.0.0.1:$GATEWAY_PORT
  PIDS_BERTH="gateway:$(component_pid gateway),$PIDS_BERTH"
fi
ARGS=(--target "berth=$URL_BERTH" --procs "berth=$PIDS_BERTH"
  --describe "berth=berth $(git -C "$BERTH_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), ${VIA_GATEWAY:+through the gateway to }registry-api on S3Proxy")
if [[ -n $VS ]]; then
  require_packages docker-registry
  start_distributions
  version=$(docker-registry --version 2>/dev/null | awk '{print $NF}' || true)
  ARGS+=(--target "distribution=http://$DIST_S3" --procs "distribution=docker-registry:${DIST_PIDS[1]},s3proxy:$(component_pid s3)"
    --describe "distribution=CNCF distribution ${version:-2.8.2} (Debian docker-registry), s3 driver on the same S3Proxy"
    --target "distribution_fs=http://$DIST" --procs "distribution_fs=docker-registry:${DIST_PIDS[0]}"
    --describe "distribution_fs=CNCF distribution ${version:-2.8.2} (Debian docker-registry), filesystem driver")
fi

OUT_DIR=$BERTH_HOME/bench
mkdir -p "$OUT_DIR"
COMMAND="./berth bench${VS:+ --vs distribution}$([[ $PROFILE == full ]] || echo " --$PROFILE")${VIA_GATEWAY:+ --via-gateway}${EXTRA[*]:+ ${EXTRA[*]}}"
java -Xms512m -Xmx2g -XX:MaxDirectMemorySize=2g -jar "$JAR" "${ARGS[@]}" --profile "$PROFILE" \
  --namespace "$PROJECT" --out "$OUT_DIR/latest.json" --command "$COMMAND" "${EXTRA[@]}"
cp "$OUT_DIR/latest.json" "$OUT_DIR/$(date -u +%Y%m%dT%H%M%SZ)-$PROFILE.json"
