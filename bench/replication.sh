#!/usr/bin/env bash
# ./berth bench --replication: the replicator's benchmark of issue #23 against the running local
# stack, with CNCF distribution (Debian's docker-registry, htpasswd) on loopback as the second
# registry.
#
#   ./berth bench --replication [--only lag,big] [--images 40] [--interval 0.5] [--kib 64]
#                               [--mib 1024] [--layers 4] [--rounds 4]
#
# lag: an event-based push policy from a throw-away project to distribution; --images small
#      distinct images (one random layer of --kib KiB) pushed with skopeo, one every --interval
#      seconds. Per image, the lag is the replicator's own measure (replication_tasks: from the
#      event's time, which registry-api sets in the push's transaction, to the end of the task,
#      when the manifest is at the destination): p50, p99, max. The same numbers feed
#      berth_replication_lag_seconds.
# big: an image of --mib MiB of random data in --layers layers, pushed to berth; then, --rounds
#      times each, alternating: `skopeo copy` from registry-api to distribution (the direct copy
#      the issue compares with), and a manual execution of a push policy doing the same copy into
#      another repository. MB/s of layer bytes for both, from wall time (skopeo) and from the
#      task's start and end (replicator).
#
# Closed registry: skopeo pushes as a robot of the throw-away project and reads registry-api
# with it; the replication API is called as the administrator. Loopback only; every wait is
# bounded. The policy, endpoint, project and images go when the script ends. Results on stdout,
# the numbers in .berth/bench/replication-latest.json (and a dated copy).
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ONLY=lag,big IMAGES=40 INTERVAL=0.5 KIB=64 MIB=1024 LAYERS=4 ROUNDS=4
while (($#)); do
  case $1 in
    --replication) shift ;;
    --only) ONLY=$2; shift 2 ;;
    --images) IMAGES=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --kib) KIB=$2; shift 2 ;;
    --mib) MIB=$2; shift 2 ;;
    --layers) LAYERS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h | --help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (./berth bench --replication --help)" ;;
  esac
done
part() { [[ ,$ONLY, == *,$1,* ]]; }

require_packages umoci skopeo jq bc
GATEWAY=127.0.0.1:$GATEWAY_PORT
API=http://$GATEWAY/api/v1/replication
ADMIN=admin:$BERTH_ADMIN_PASSWORD
bench_results
api() { # method path [json]: the answer's body; dies on an error status
  curl -sS -f -m 60 -u "$ADMIN" -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$API$2" ||
    die "the replication API refused $1 $2"
}

POLICIES=() ENDPOINT=
replication_cleanup() {
  local id
  for id in "${POLICIES[@]}"; do curl -s -o /dev/null -m 30 -u "$ADMIN" -X DELETE "$API/policies/$id"; done
  [[ -n $ENDPOINT ]] && curl -s -o /dev/null -m 30 -u "$ADMIN" -X DELETE "$API/endpoints/$ENDPOINT"
  bench_cleanup
}

bench_project docker-registry
trap replication_cleanup EXIT
command -v htpasswd > /dev/null || apt_install apache2-utils
htpasswd -Bbn "${DIST_CREDS%%:*}" "${DIST_CREDS#*:}" > "$WORK/htpasswd"
start_distribution "$DIST" "  filesystem: {rootdirectory: $WORK/distribution-data}" distribution-fs
ENDPOINT=$(api POST /endpoints "{\"name\": \"$PROJECT\", \"type\": \"distribution\", \"url\": \"http://$DIST\",
  \"credential\": {\"type\": \"basic\", \"username\": \"${DIST_CREDS%%:*}\", \"password\": \"${DIST_CREDS#*:}\"}}" | jq -r .id)
[[ $(api POST "/endpoints/$ENDPOINT/ping" | jq -r .ok) == true ]] || die "the replicator cannot reach distribution at $DIST"
say "project $PROJECT; distribution on $DIST; load $(load)"

# A policy of this run; prints its id (the caller adds it to POLICIES, for the clean-up).
policy() { # name json-fields
  local id
  id=$(api POST /policies "{\"name\": \"$PROJECT-$1\", \"direction\": \"push\", \"endpointId\": $ENDPOINT, $2}" | jq -r .id)
  echo "$id"
}

# ------------------------------------------------------------------ lag of small images
if part lag; then
  LAG_POLICY=$(policy lag "\"filters\": {\"repositories\": [\"$PROJECT/small\"]}, \"trigger\": {\"type\": \"event_based\"}")
  POLICIES+=("$LAG_POLICY")
  say "pushing $IMAGES images of $KIB KiB to $PROJECT/small, one every $INTERVAL s (event-based policy to distribution)"
  for ((i = 1; i <= IMAGES; i++)); do
    umoci init --layout "$WORK/s$i" > /dev/null && umoci new --image "$WORK/s$i:1.0" &&
      umoci unpack --image "$WORK/s$i:1.0" "$WORK/sb" > /dev/null &&
      head -c $((KIB * 1024)) /dev/urandom > "$WORK/sb/rootfs/r.bin" &&
      umoci repack --image "$WORK/s$i:1.0" "$WORK/sb" && rm -rf "$WORK/sb"
  done
  for ((i = 1; i <= IMAGES; i++)); do
    t0=$(date +%s.%N)
    timeout 60 skopeo copy -q --dest-tls-verify=false --dest-creds "$BENCH_CREDS" "oci:$WORK/s$i:1.0" \
      "docker://$BERTH/$PROJECT/small:$i" || die "skopeo could not push image $i"
    rest=$(echo "$INTERVAL - ($(date +%s.%N) - $t0)" | bc)
    [[ $rest == -* ]] || sleep "$rest"
  done
  for ((w = 0; w < 120; w++)); do
    open=$(psql_at "SELECT count(*) FROM replication_tasks t JOIN replication_executions e ON e.id = t.execution_id
      WHERE e.policy_id = $LAG_POLICY AND t.status IN ('pending', 'running')")
    done_n=$(psql_at "SELECT count(*) FROM replication_tasks t JOIN replication_executions e ON e.id = t.execution_id
      WHERE e.policy_id = $LAG_POLICY AND t.status = 'succeeded'")
    ((open == 0 && done_n >= IMAGES)) && break
    sleep 0.5
  done
  read -r n p50 p99 max failed < <(psql_at "SELECT count(*) FILTER (WHERE t.status = 'succeeded'),
      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.ended_at - t.source_time))::numeric, 3),
      round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM t.ended_at - t.source_time))::numeric, 3),
      round(max(extract(epoch FROM t.ended_at - t.source_time))::numeric, 3),
      count(*) FILTER (WHERE t.status <> 'succeeded')
    FROM replication_tasks t JOIN replication_executions e ON e.id = t.execution_id
    WHERE e.policy_id = $LAG_POLICY AND t.operation = 'copy'")
  say "lag (push commit -> manifest at distribution) of $n images: p50 ${p50}s p99 ${p99}s max ${max}s; $failed not succeeded; load $(load)"
  result --argjson n "$n" --argjson p50 "$p50" --argjson p99 "$p99" --argjson max "$max" --argjson failed "$failed" \
    --argjson kib "$KIB" --arg interval "$INTERVAL" --arg load "$(load)" \
    '{part: "lag", images: $n, kib: $kib, interval: $interval, p50: $p50, p99: $p99, max: $max, failed: $failed, load: $load}'
fi

# ------------------------------------------------------------------ throughput of a big image
if part big; then
  say "building an image of $MIB MiB of random data in $LAYERS layers (umoci)"
  umoci init --layout "$WORK/big" > /dev/null && umoci new --image "$WORK/big:1.0"
  for ((l = 1; l <= LAYERS; l++)); do
    umoci unpack --image "$WORK/big:1.0" "$WORK/bb" > /dev/null
    head -c $((MIB * 1048576 / LAYERS)) /dev/urandom > "$WORK/bb/rootfs/layer-$l.bin"
    umoci repack --image "$WORK/big:1.0" "$WORK/bb" && rm -rf "$WORK/bb"
  done
  timeout 900 skopeo copy -q --dest-tls-verify=false --dest-creds "$BENCH_CREDS" "oci:$WORK/big:1.0" \
    "docker://$BERTH/$PROJECT/big:1.0" || die "skopeo could not push the big image"
  rm -rf "$WORK/big"
  BYTES=$(skopeo inspect --tls-verify=false --creds "$BENCH_CREDS" --raw "docker://$BERTH/$PROJECT/big:1.0" | jq '[.layers[].size, .config.size] | add')
  say "pushed: $BYTES bytes of blobs; load $(load)"
  # Each copy goes to a distribution with empty storage, so neither tool finds a blob there (skopeo's
  # blob-info cache and the replicator's mount hints would otherwise mount what the last copy sent).
  fresh_distribution() { # name
    kill "${DIST_PIDS[-1]}" 2> /dev/null && wait "${DIST_PIDS[-1]}" 2> /dev/null || true
    rm -rf "$WORK/distribution-data"*
    start_distribution "$DIST" "  filesystem: {rootdirectory: $WORK/distribution-data-$1}" "distribution-$1"
  }
  # Each copy starts on a quiet disk (sync: the last copy's gigabyte is written back first, so the
  # kernel's write-back throttling does not fall on the next one), and the order alternates.
  skopeo_round() { # round
    local s
    fresh_distribution "skopeo$1"
    sync
    s=$(timed timeout 900 skopeo copy -q --src-tls-verify=false --dest-tls-verify=false --src-creds "$BENCH_CREDS" \
      --dest-creds "$DIST_CREDS" "docker://$BERTH/$PROJECT/big:1.0" "docker://$DIST/skopeo$1/big:1.0") ||
      die "skopeo copy failed"
    skopeo_mbs=$(calc "$BYTES / $s / 1000000")
    say "round $1: skopeo copy $(calc "$s") s, $skopeo_mbs MB/s; load $(load)"
    result --argjson r "$1" --argjson s "$(calc "$s")" --argjson mbs "$skopeo_mbs" --argjson bytes "$BYTES" --arg load "$(load)" \
      '{part: "big", round: $r, tool: "skopeo", seconds: $s, mbs: $mbs, bytes: $bytes, load: $load}'
  }
  # the replicator: a manual execution of a policy sending the image to repl<r>/big.
  replicator_round() { # round
    local pid exec_id status secs sent w
    fresh_distribution "repl$1"
    pid=$(policy "big$1" "\"filters\": {\"repositories\": [\"$PROJECT/big\"]}, \"destNamespace\": \"repl$1\", \"flatten\": -1,
      \"trigger\": {\"type\": \"manual\"}")
    POLICIES+=("$pid")
    sync
    exec_id=$(api POST /executions "{\"policy_id\": $pid}" | jq -r .id)
    for ((w = 0; w < 1800; w++)); do
      status=$(api GET "/executions/$exec_id" | jq -r .status)
      [[ $status == succeeded || $status == failed || $status == stopped ]] && break
      sleep 0.5
    done
    [[ $status == succeeded ]] || die "the replication of the big image ended $status"
    read -r secs sent < <(psql_at "SELECT round(extract(epoch FROM ended_at - started_at)::numeric, 3), bytes
      FROM replication_tasks WHERE execution_id = $exec_id")
    repl_mbs=$(calc "$BYTES / $secs / 1000000")
    say "round $1: replicator ${secs} s (task), $repl_mbs MB/s, $sent bytes sent; load $(load)"
    result --argjson r "$1" --argjson s "$secs" --argjson mbs "$repl_mbs" --argjson bytes "$BYTES" --argjson sent "$sent" \
      --arg load "$(load)" '{part: "big", round: $r, tool: "replicator", seconds: $s, mbs: $mbs, bytes: $bytes, sent: $sent, load: $load}'
  }
  for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then skopeo_round "$r"; replicator_round "$r"; else replicator_round "$r"; skopeo_round "$r"; fi
    say "round $r: the replicator at $(calc "$repl_mbs / $skopeo_mbs * 100") % of skopeo"
  done
fi

jq -s --arg at "$(date -u +%FT%TZ)" --arg rev "$(git -C "$BERTH_ROOT" rev-parse --short HEAD 2> /dev/null)" \
  '{at: $at, revision: $rev, results: .}' "$RESULTS" > "$OUT_DIR/replication-latest.json"
cp "$OUT_DIR/replication-latest.json" "$OUT_DIR/replication-$(date -u +%Y%m%dT%H%M%SZ).json"
say "results in $OUT_DIR/replication-latest.json"
