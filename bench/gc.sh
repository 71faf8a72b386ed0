#!/usr/bin/env bash
# ./berth bench --gc: the garbage-collection benchmark of issue #21, berth beside CNCF
# distribution on the same data set and the same S3Proxy.
#
#   ./berth bench --gc [--manifests N] [--blobs N]      (defaults 20000 and 100000)
#
# Both registries get N manifests of blobs/manifests unique blobs each (a config and 1 KiB
# layers) in 100 repositories; then every other manifest is deleted by digest, so half the blobs
# are garbage. berth: push/pull throughput with 8 clients for 30 s, then a gc run started
# through the gateway's API with the same load beside it until the run ends: the run's time and
# the throughput during it against without it. The run's grace window is 60 s (the pushes beside
# it are not undercut); the garbage was marked by a run right after it was made, minutes before. distribution: stopped, then
# `registry garbage-collect` offline on the same data (its only mode), timed. The table goes to
# stdout, the JSON to .berth/bench/gc-latest.json. Everything it pushed is removed after (berth's
# by gc itself).
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MANIFESTS=20000 BLOBS=100000 CONCURRENCY=32 LOAD_CLIENTS=8 LOAD_SECONDS=30
while (($#)); do
  case $1 in
    --gc) shift ;;
    --manifests) MANIFESTS=$2; shift 2 ;;
    --blobs) BLOBS=$2; shift 2 ;;
    *) die "unknown option $1 (./berth bench --gc [--manifests N] [--blobs N])" ;;
  esac
done

JAR=$BERTH_ROOT/bench/target/berth-bench.jar
if [[ ! -f $JAR ]] || [[ -n $(find "$BERTH_ROOT/bench/src/main" "$BERTH_ROOT/bench/pom.xml" \
  "$BERTH_ROOT/libs/oci/src/main" -newer "$JAR" -type f -print -quit) ]]; then
  say "building the benchmark (bench/)"
  mvn_quiet "build the benchmark" -ntp -f "$BERTH_ROOT/pom.xml" -pl libs/oci,bench package -DskipTests
fi
require_packages docker-registry jq
gcbench() { java -Xms256m -Xmx1g -cp "$JAR" io.berth.bench.GcBench "$@"; }
GATEWAY=127.0.0.1:$GATEWAY_PORT
ADMIN=admin:$BERTH_ADMIN_PASSWORD

# One gc run through the gateway's API as the administrator; prints the run once it has ended.
gc_run() { # body [file touched when it ends]
  local id run
  id=$(curl -sf -u "$ADMIN" -H 'Content-Type: application/json' -d "$1" "http://$GATEWAY/api/v1/system/gc" | jq -r .id) ||
    die "gc did not start a run (is another running?)"
  while run=$(curl -sf -u "$ADMIN" "http://$GATEWAY/api/v1/system/gc/$id") && [[ $(jq -r .status <<< "$run") == running ]]; do
    sleep 0.5
  done
  [[ -n ${2:-} ]] && touch "$2"
  echo "$run"
}
seconds_between() { echo "$(date -d "$2" +%s.%N) - $(date -d "$1" +%s.%N)" | bc; }

bench_project
start_distributions
say "populating berth: $MANIFESTS manifests, $BLOBS blobs, half then deleted"
POP_BERTH=$(gcbench populate "http://$BERTH" "$BENCH_CREDS" "$PROJECT" "$MANIFESTS" "$BLOBS" "$CONCURRENCY")
# Marks the garbage now (a run deletes only what was marked a day ago), so that the measured
# run, minutes later, finds it due with a grace window the load's pushes are safe in.
gc_run '{"graceSeconds": 86400}' > /dev/null
MARKED_AT=$(date +%s)
say "populating distribution (s3 driver, the same S3Proxy): the same data set"
POP_DIST=$(gcbench populate "http://$DIST_S3" "$DIST_CREDS" "$PROJECT" "$MANIFESTS" "$BLOBS" "$CONCURRENCY")

say "berth: push/pull with $LOAD_CLIENTS clients for ${LOAD_SECONDS}s, no gc run"
LOAD_WITHOUT=$(gcbench load "http://$BERTH" "$BENCH_CREDS" "$PROJECT" "$LOAD_SECONDS" "$LOAD_CLIENTS")
while (($(date +%s) - MARKED_AT < 65)); do sleep 1; done
say "berth: a gc run (grace 60 s) with the same load beside it until the run ends"
gcbench load "http://$BERTH" "$BENCH_CREDS" "$PROJECT" 1800 "$LOAD_CLIENTS" "$WORK/gc-ended" > "$WORK/load-during.json" &
LOAD_PID=$!
sleep 2
RUN=$(gc_run '{"graceSeconds": 60}' "$WORK/gc-ended")
wait "$LOAD_PID"
LOAD_DURING=$(cat "$WORK/load-during.json")
RUN_SECONDS=$(seconds_between "$(jq -r .startedAt <<< "$RUN")" "$(jq -r .endedAt <<< "$RUN")")

say "distribution: stopped, then registry garbage-collect offline"
kill "${DIST_PIDS[1]}" && wait "${DIST_PIDS[1]}" 2>/dev/null || true
t0=$(date +%s.%N)
env -u AWS_CA_BUNDLE -u REGISTRY_AUTH_FILE docker-registry garbage-collect "$WORK/distribution-s3.yml" \
  > "$WORK/distribution-gc.log" 2>&1 || die "distribution's garbage-collect failed: $(tail -c 600 "$WORK/distribution-gc.log")"
DIST_SECONDS=$(echo "$(date +%s.%N) - $t0" | bc)
DIST_BLOBS=$(grep -c "blob eligible for deletion" "$WORK/distribution-gc.log" || true)

# berth's own clean-up, by gc: the project's repositories go, then a run collects their blobs.
bench_psql "DELETE FROM repositories r USING projects p WHERE r.project_id = p.id AND p.name = '$PROJECT'" > /dev/null
gc_run '{"graceSeconds": 0}' > /dev/null

OUT_DIR=${BENCH_OUT:-$BERTH_HOME/bench}
mkdir -p "$OUT_DIR"
jq -n --arg command "./berth bench --gc --manifests $MANIFESTS --blobs $BLOBS" --arg commit "$(git -C "$BERTH_ROOT" rev-parse --short HEAD)" \
  --argjson popBerth "$POP_BERTH" --argjson popDist "$POP_DIST" --argjson without "$LOAD_WITHOUT" \
  --argjson during "$LOAD_DURING" --argjson run "$RUN" --arg runSeconds "$RUN_SECONDS" \
  --arg distSeconds "$DIST_SECONDS" --arg distBlobs "$DIST_BLOBS" --arg cpus "$(nproc)" '{
    command: $command, commit: $commit, cpus: ($cpus | tonumber),
    berth: {populate: $popBerth, online: true, run: $run, runSeconds: ($runSeconds | tonumber),
            loadWithoutGc: $without, loadDuringGc: $during,
            throughputDuringVsWithout: (($during.opsPerSecond / $without.opsPerSecond * 1000 | round) / 1000)},
    distribution: {populate: $popDist, online: false, gcSeconds: ($distSeconds | tonumber),
                   blobsEligible: ($distBlobs | tonumber)}}' > "$OUT_DIR/gc-latest.json"
cp "$OUT_DIR/gc-latest.json" "$OUT_DIR/gc-$(date -u +%Y%m%dT%H%M%SZ).json"
jq -r '"| | berth (online) | distribution (offline) |",
  "|---|---|---|",
  "| data set | \(.berth.populate.manifests) manifests, \(.berth.populate.blobs) blobs; \(.berth.populate.deletedManifests) manifests deleted | the same |",
  "| collection time | \(.berth.runSeconds | . * 10 | round / 10) s | \(.distribution.gcSeconds | . * 10 | round / 10) s (registry stopped) |",
  "| blobs deleted | \(.berth.run.blobsDeleted) | \(.distribution.blobsEligible) |",
  "| bytes freed | \(.berth.run.bytesFreed) | — |",
  "| push+pull ops/s without gc | \(.berth.loadWithoutGc.opsPerSecond) | — |",
  "| push+pull ops/s during gc | \(.berth.loadDuringGc.opsPerSecond) (\(.berth.throughputDuringVsWithout)x), \(.berth.loadDuringGc.failures) failures | 0: offline |"' \
  "$OUT_DIR/gc-latest.json"
