#!/usr/bin/env bash
# ./berth bench --scan: the scanner's benchmark of issue #22 against the running local stack.
#
#   ./berth bench --scan [--only big,onpush,gate] [--mib 500] [--scans 3] [--images 40]
#                        [--interval 1.5] [--gate-pairs 3] [--gate-rounds 3] [--jfr]
#
# big:    an image of about --mib MiB of layer data (gzip) and thousands of files, built offline
#         with umoci from this machine's own files (its dpkg status, /usr/bin, libraries, a JDK,
#         npm's and Python's packages, jars from ~/.m2), pushed with skopeo, then scanned
#         --scans times by hand (POST .../artifacts/1.0/scan): per scan the server's times
#         (scan_jobs), the client's (POST to the report's 200), MB/s of layer bytes, and
#         scanner-bridge's peak RSS (VmHWM, reset before each scan), sampled heap and CPU
#         seconds. --jfr adds one more scan under Java Flight Recorder and prints where
#         scanner-bridge's samples were.
# onpush: a project with scanOnPush; --images small distinct images pushed with skopeo, one
#         every --interval seconds; per image the time from the manifest's push
#         (manifests.pushed_at) to its report (scan_reports.generated_at): p50, p99, max.
# gate:   bench/gate-compare.sh with --gate-pairs off/on pairs of --gate-rounds rounds each.
#
# Closed registry: skopeo pushes as a robot of a throw-away project, the scan API and project
# settings are called as the administrator. Loopback only. Every wait is bounded. The project,
# what was pushed and the images built go when the script ends. Results on stdout, the numbers
# in .berth/bench/scan-latest.json (and a dated copy).
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ONLY=big,onpush,gate MIB=500 SCANS=3 IMAGES=40 INTERVAL=1.5 GATE_PAIRS=3 GATE_ROUNDS=3 JFR=
while (($#)); do
  case $1 in
    --scan) shift ;;
    --only) ONLY=$2; shift 2 ;;
    --mib) MIB=$2; shift 2 ;;
    --scans) SCANS=$2; shift 2 ;;
    --images) IMAGES=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --gate-pairs) GATE_PAIRS=$2; shift 2 ;;
    --gate-rounds) GATE_ROUNDS=$2; shift 2 ;;
    --jfr) JFR=1; shift ;;
    -h | --help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (./berth bench --scan --help)" ;;
  esac
done
part() { [[ ,$ONLY, == *,$1,* ]]; }

require_packages umoci skopeo jq bc
GATEWAY=127.0.0.1:$GATEWAY_PORT
ADMIN=admin:$BERTH_ADMIN_PASSWORD
SCANNER_PID=$(component_pid scanner-bridge) || die "scanner-bridge is not running; run ./berth up"
SCANNER_METRICS=http://127.0.0.1:$SCANNER_BRIDGE_PORT/q/metrics
bench_results
skopeo_push() { # layout:tag repository:tag
  timeout 600 skopeo copy -q --dest-tls-verify=false --dest-creds "$BENCH_CREDS" "oci:$1" "docker://$BERTH/$PROJECT/$2"
}
# The project's vulnerability policy, through the gateway as the administrator.
policy() {
  curl -sf -m 30 -u "$ADMIN" -X PUT -H 'Content-Type: application/json' -d "{\"vulnerabilityPolicy\": $1}" \
    "http://$GATEWAY/api/v1/projects/$PROJECT" > /dev/null || die "could not set the policy of $PROJECT"
}
# Bytes of the layers of layout:tag, from its manifest.
layout_layer_bytes() { # layout tag
  local m
  m=$(jq -r --arg t "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$1/index.json")
  jq '[.layers[].size] | add' "$1/blobs/sha256/${m#sha256:}"
}
# Copies regular files (and the directories they are in) from the sources into a root, in path
# order, until <budget> bytes; prints how many files it copied.
copy_budget() { # root budget-bytes source...
  local root=$1 budget=$2
  shift 2
  find "$@" -type f -printf '%s %p\n' 2> /dev/null | sort -k2 |
    awk -v b="$budget" '!stop && s + $1 <= b { s += $1; sub(/^[0-9]+ /, ""); print; next } { stop = 1 }' > "$WORK/files"
  (cd / && sed 's|^/||' "$WORK/files" | tar -cf - --no-recursion -T - 2> /dev/null) | tar -xf - -C "$root"
  wc -l < "$WORK/files"
}

bench_project
say "project $PROJECT; scanner-bridge pid $SCANNER_PID; load $(load)"

# ------------------------------------------------------------------ the big image
big_image() {
  local L=$WORK/big B=$WORK/big-bundle root target=$((MIB * 1048576)) n f done_bytes
  say "building a ~$MIB MiB image from this machine's files (umoci)"
  umoci init --layout "$L" && umoci new --image "$L:1.0"
  umoci unpack --image "$L:1.0" "$B" > /dev/null
  root=$B/rootfs
  # 1. the OS: os-release, the real dpkg status, /usr/bin and shared libraries
  mkdir -p "$root/etc" "$root/var/lib/dpkg"
  cp /etc/os-release "$root/etc/os-release"
  cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
  n=$(copy_budget "$root" $((target * 2 / 5)) /usr/bin /usr/lib/x86_64-linux-gnu)
  umoci repack --refresh-bundle --image "$L:1.0" "$B" && echo "os $((n + 2))" > "$WORK/big-files"
  # 2. a JDK
  n=$(copy_budget "$root" $((target * 3 / 5)) "$(readlink -f /usr/lib/jvm/java-17-openjdk-amd64)/")
  umoci repack --refresh-bundle --image "$L:1.0" "$B" && echo "jdk $n" >> "$WORK/big-files"
  # 3. npm's and Python's packages (real package.json and dist-info/METADATA)
  n=$(copy_budget "$root" $((target / 5)) /usr/lib/node_modules /usr/lib/python3/dist-packages)
  umoci repack --refresh-bundle --image "$L:1.0" "$B" && echo "npm+python $n" >> "$WORK/big-files"
  # 4. jars from ~/.m2 (already compressed) up to the target
  done_bytes=$(layout_layer_bytes "$L" 1.0)
  ((done_bytes < target)) || die "the first layers already hold $done_bytes bytes; raise --mib"
  mkdir -p "$root/opt/app/lib"
  find "$HOME/.m2/repository" -name '*.jar' -printf '%s %p\n' | sort -k2 |
    awk -v b=$((target - done_bytes)) '!stop && s + $1 <= b { s += $1; print $2; next } { stop = 1 }' > "$WORK/jars"
  n=0
  while read -r f; do n=$((n + 1)); cp "$f" "$root/opt/app/lib/$n-${f##*/}"; done < "$WORK/jars"
  umoci repack --refresh-bundle --image "$L:1.0" "$B" && echo "jars $n" >> "$WORK/big-files"
  rm -rf "$B"
  BIG_BYTES=$(layout_layer_bytes "$L" 1.0)
  BIG_LAYERS=$(jq -c '[.layers[].size]' "$L/blobs/sha256/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "1.0") | .digest' "$L/index.json" | cut -d: -f2)")
  BIG_FILES=$(awk '{s += $2} END {print s}' "$WORK/big-files")
  say "image: $BIG_BYTES bytes of layers ($(echo "scale=1; $BIG_BYTES / 1048576" | bc) MiB; by layer $BIG_LAYERS), $BIG_FILES files ($(paste -sd, "$WORK/big-files"))"
  local t0 t1
  sync
  t0=$(date +%s.%N)
  skopeo_push "$L:1.0" big:1.0 || die "skopeo could not push the image"
  t1=$(date +%s.%N)
  say "pushed in $(echo "$t1 - $t0" | bc) s"
  rm -rf "$L"
}

# RSS and heap of scanner-bridge every 0.2 s until $WORK/sampling goes; the peaks on stdout.
sample_memory() {
  local rss=0 heap=0 r h
  while [[ -f $WORK/sampling ]]; do
    r=$(awk '/^VmRSS/ {print $2}' "/proc/$SCANNER_PID/status")
    ((r > rss)) && rss=$r
    h=$(curl -s -m 2 "$SCANNER_METRICS" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {printf "%d", s}')
    ((h > heap)) && heap=$h
    sleep 0.2
  done
  echo "$rss $heap"
}
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$SCANNER_PID/stat"; }

# One manual scan of big:1.0, measured.
scan_big() { # label
  local api=http://$GATEWAY/api/v1/projects/$PROJECT/repositories/big/artifacts/1.0 id t0 t1 status cpu0 cpu1 i
  local base_rss hwm peaks server
  sync
  echo 5 > "/proc/$SCANNER_PID/clear_refs" # VmHWM starts again from the current RSS
  base_rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SCANNER_PID/status")
  touch "$WORK/sampling"
  sample_memory > "$WORK/peaks" &
  local sampler=$!
  cpu0=$(cpu_seconds)
  t0=$(date +%s.%N)
  id=$(curl -sf -m 30 -u "$ADMIN" -X POST "$api/scan" | jq -r .id) || die "the scan request was refused"
  for ((i = 0; i < 6000; i++)); do # at most 10 minutes
    status=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -u "$ADMIN" "$api/vulnerabilities?severity=critical")
    [[ $status == 200 ]] && [[ $(psql_at "SELECT status FROM scan_jobs WHERE id = $id") =~ ^(succeeded|failed)$ ]] && break
    sleep 0.1
  done
  t1=$(date +%s.%N)
  cpu1=$(cpu_seconds)
  rm -f "$WORK/sampling"
  wait "$sampler"
  read -r peak_rss peak_heap < "$WORK/peaks"
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$SCANNER_PID/status")
  server=$(psql_at "SELECT j.status, extract(epoch FROM j.started_at - j.created_at), extract(epoch FROM j.finished_at - j.started_at),
      extract(epoch FROM r.generated_at - j.created_at), coalesce(jsonb_array_length(r.vulnerabilities), 0),
      coalesce(jsonb_array_length(r.sbom -> 'components'), 0), coalesce(jsonb_array_length(r.warnings), 0)
    FROM scan_jobs j LEFT JOIN scan_reports r ON r.manifest_id = j.manifest_id AND r.scanner_id = j.scanner_id
    WHERE j.id = $id")
  read -r jstatus queued ran total vulns components warnings <<< "$server"
  [[ $jstatus == succeeded ]] || die "scan job $id ended $jstatus: $(psql_at "SELECT error FROM scan_jobs WHERE id = $id")"
  local client mbs cpu
  client=$(calc "$t1 - $t0")
  mbs=$(calc "$BIG_BYTES / 1000000 / $ran")
  cpu=$(calc "$cpu1 - $cpu0")
  printf '| %s | %.2f s | %.2f s | %.2f s | %.1f | %d MiB | %d MiB | %d MiB | %.1f | %s | %s |\n' "$1" "$ran" "$queued" "$client" "$mbs" \
    $((base_rss / 1024)) $((hwm / 1024)) $((peak_heap / 1048576)) "$cpu" "$components/$vulns/$warnings" "$(load)"
  result --arg scan "$1" --argjson job "$id" --argjson ran "$ran" --argjson queued "$queued" --argjson total "$total" \
    --argjson client "$client" --argjson mbs "$mbs" --argjson baseRssKiB "$base_rss" --argjson hwmKiB "$hwm" \
    --argjson sampledRssKiB "$peak_rss" --argjson heapBytes "$peak_heap" --argjson cpu "$cpu" \
    --argjson components "$components" --argjson vulnerabilities "$vulns" --argjson warnings "$warnings" \
    --argjson bytes "$BIG_BYTES" --argjson layers "$BIG_LAYERS" --argjson files "$BIG_FILES" --arg load "$(load)" \
    '{part: "big", scan: $scan, job: $job, layerBytes: $bytes, layers: $layers, files: $files, serverScanSeconds: $ran,
      queuedSeconds: $queued, requestToReportSeconds: $total, clientSeconds: $client, mbPerSecond: $mbs,
      rssBeforeKiB: $baseRssKiB, rssPeakKiB: $hwmKiB, rssPeakSampledKiB: $sampledRssKiB,
      heapUsedPeakSampledBytes: $heapBytes, cpuSeconds: $cpu, components: $components,
      vulnerabilities: $vulnerabilities, warnings: $warnings, load: $load}'
}

# One scan under Java Flight Recorder; prints where the samples of scanner-bridge's threads that
# were scanning (a stack with io.berth.scanner in it), Java and native, were: by top frame, and by
# the innermost frame of berth's code.
scan_big_jfr() {
  local f
  f=$OUT_DIR/scan-$(date -u +%Y%m%dT%H%M%SZ).jfr
  jcmd "$SCANNER_PID" JFR.start name=scanbench settings=profile > /dev/null || { say "JFR did not start"; return 0; }
  scan_big "jfr" > /dev/null
  jcmd "$SCANNER_PID" JFR.stop name=scanbench filename="$f" > /dev/null
  jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 96 "$f" | awk '
    /^jdk\.(ExecutionSample|NativeMethodSample)/ { n = 0; keep = 0; top = ""; own = "" }
    /stackTrace = \[/ { s = 1; next }
    s && /^ *\]/ { s = 0; if (keep) { print "top\t" top; print "berth\t" own } next }
    s { l = $0; sub(/^ +/, "", l); sub(/ line:.*/, "", l)
        if (n++ == 0) top = l
        if (l ~ /^io\.berth\./ && own == "") own = l
        if (l ~ /^io\.berth\.scanner/) keep = 1 }' > "$WORK/samples"
  echo "JFR ($f), samples of scanning threads: $(grep -c '^top' "$WORK/samples"); by top frame:"
  awk -F '\t' '$1 == "top" {print $2}' "$WORK/samples" | sort | uniq -c | sort -rn | head -15
  echo "... by the innermost frame of berth's code:"
  awk -F '\t' '$1 == "berth" {print $2}' "$WORK/samples" | sort | uniq -c | sort -rn | head -12
}

if part big; then
  policy '{"scanOnPush": false, "preventPull": false, "severity": "critical"}'
  big_image
  echo
  echo "| scan | server (started to finished) | queued | client (POST to report) | MB/s of layers | RSS before | RSS peak (VmHWM) | heap used peak (sampled) | CPU-s | components/vulns/warnings | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for ((s = 1; s <= SCANS; s++)); do scan_big "$s"; done
  echo
  [[ -n $JFR ]] && scan_big_jfr
fi

# ------------------------------------------------------------------ push to report
if part onpush; then
  say "scan on push: $IMAGES images, one every $INTERVAL s; load $(load)"
  policy '{"scanOnPush": true, "preventPull": false, "severity": "critical"}'
  S=$WORK/small
  umoci init --layout "$S" && umoci new --image "$S:base"
  umoci unpack --image "$S:base" "$WORK/small-bundle" > /dev/null
  mkdir -p "$WORK/small-bundle/rootfs/etc" "$WORK/small-bundle/rootfs/var/lib/dpkg"
  cp /etc/os-release "$WORK/small-bundle/rootfs/etc/os-release"
  cp /var/lib/dpkg/status "$WORK/small-bundle/rootfs/var/lib/dpkg/status"
  umoci repack --image "$S:base" "$WORK/small-bundle"
  rm -rf "$WORK/small-bundle"
  # One layer of its own per image. (Not with umoci insert: umoci 0.4.7's insert writes a tar that
  # ends in the middle of its first file, which GNU tar and the scanner rightly refuse.)
  for ((i = 1; i <= IMAGES; i++)); do
    umoci unpack --image "$S:base" "$WORK/u$i" > /dev/null
    mkdir -p "$WORK/u$i/rootfs/srv/node_modules/app-$i"
    printf '{"name": "app-%d", "version": "1.0.%d", "description": "%s"}\n' "$i" "$i" "$PROJECT" \
      > "$WORK/u$i/rootfs/srv/node_modules/app-$i/package.json"
    umoci repack --image "$S:$i" "$WORK/u$i"
    rm -rf "$WORK/u$i"
  done
  skopeo_push "$S:base" onpush:base || die "skopeo could not push"
  T0=$(date +%s.%N)
  for ((i = 1; i <= IMAGES; i++)); do
    wait_until=$(echo "$T0 + ($i - 1) * $INTERVAL" | bc)
    now=$(date +%s.%N)
    (($(echo "$wait_until > $now" | bc))) && sleep "$(echo "$wait_until - $now" | bc)"
    skopeo_push "$S:$i" "onpush:$i" || die "skopeo could not push image $i"
  done
  say "pushed $IMAGES images in $(echo "$(date +%s.%N) - $T0" | bc) s; waiting for their reports"
  REPO=$PROJECT/onpush
  for ((i = 0; i < 600; i++)); do # at most 5 minutes
    n=$(psql_at "SELECT count(*) FROM scan_reports r JOIN manifests m ON m.id = r.manifest_id
        JOIN repositories p ON p.id = m.repository_id WHERE p.name = '$REPO'")
    ((n >= IMAGES + 1)) && break
    sleep 0.5
  done
  ((n >= IMAGES + 1)) || say "only $n of $((IMAGES + 1)) reports after 5 minutes"
  psql_at "SELECT g.name, r.status, j.trigger, j.status, left(coalesce(r.error, j.error, ''), 120)
      FROM manifests m JOIN repositories p ON p.id = m.repository_id LEFT JOIN tags g ON g.manifest_id = m.id
      LEFT JOIN scan_reports r ON r.manifest_id = m.id LEFT JOIN scan_jobs j ON j.manifest_id = m.id
      WHERE p.name = '$REPO' AND (r.status IS DISTINCT FROM 'success' OR j.trigger IS DISTINCT FROM 'push')" |
    sed 's/^/not a scan on push with a report: /' | head -20
  # pushed_at: now() of registry-api's manifest transaction; generated_at: now() of the transaction
  # that writes the report, begun after the scan. The first image (base) is left out: its push
  # came before the steady pace.
  stats=$(psql_at "WITH t AS (
      SELECT extract(epoch FROM r.generated_at - m.pushed_at) AS total, extract(epoch FROM j.created_at - m.pushed_at) AS queued,
             extract(epoch FROM j.started_at - j.created_at) AS waited, extract(epoch FROM j.finished_at - j.started_at) AS ran
      FROM manifests m JOIN repositories p ON p.id = m.repository_id
      JOIN scan_reports r ON r.manifest_id = m.id
      JOIN LATERAL (SELECT * FROM scan_jobs j WHERE j.manifest_id = m.id AND j.trigger = 'push' ORDER BY j.id LIMIT 1) j ON true
      JOIN tags g ON g.manifest_id = m.id AND g.name <> 'base'
      WHERE p.name = '$REPO' AND r.status = 'success')
    SELECT count(*), $(for c in total queued waited ran; do
      printf "round(percentile_disc(0.5) WITHIN GROUP (ORDER BY %s)::numeric * 1000, 1), round(percentile_disc(0.99) WITHIN GROUP (ORDER BY %s)::numeric * 1000, 1), round(max(%s)::numeric * 1000, 1)," "$c" "$c" "$c"
    done | sed 's/,$//') FROM t")
  read -r n tp50 tp99 tmax qp50 qp99 qmax wp50 wp99 wmax rp50 rp99 rmax <<< "$stats"
  ((n > 0)) || die "no image's scan on push ended with a report"
  echo
  echo "| $n images, one every $INTERVAL s (ms) | p50 | p99 | max |"
  echo "|---|---|---|---|"
  echo "| push to report (manifests.pushed_at to scan_reports.generated_at) | $tp50 | $tp99 | $tmax |"
  echo "| push to queued (scan_jobs.created_at: Kafka, the listener) | $qp50 | $qp99 | $qmax |"
  echo "| queued to claimed (scan_jobs.started_at) | $wp50 | $wp99 | $wmax |"
  echo "| claimed to finished (scan_jobs.finished_at) | $rp50 | $rp99 | $rmax |"
  echo "load $(load)"
  echo
  result --argjson n "$n" --arg interval "$INTERVAL" --arg load "$(load)" --argjson s "[$(tr ' ' ',' <<< "$stats")]" \
    '{part: "onpush", images: $n, intervalSeconds: ($interval | tonumber), load: $load,
      pushToReportMs: {p50: $s[1], p99: $s[2], max: $s[3]}, pushToQueuedMs: {p50: $s[4], p99: $s[5], max: $s[6]},
      queuedToClaimedMs: {p50: $s[7], p99: $s[8], max: $s[9]}, scanMs: {p50: $s[10], p99: $s[11], max: $s[12]}}'
  rm -rf "$S"
fi

# ------------------------------------------------------------------ the pull gate
if part gate; then
  say "the manifest GET with the gate off and on: $GATE_PAIRS pairs of $GATE_ROUNDS rounds; load $(load)"
  BERTH_ADMIN_PASSWORD=$BERTH_ADMIN_PASSWORD "$BERTH_ROOT/bench/gate-compare.sh" "$GATE_PAIRS" "$GATE_ROUNDS" | tee "$WORK/gate.out"
  sed -n '/^{/,$p' "$WORK/gate.out" | jq -c '{part: "gate"} + .' >> "$RESULTS" 2> /dev/null || true
fi

jq -s --arg command "./berth bench --scan --only $ONLY --mib $MIB --scans $SCANS --images $IMAGES --interval $INTERVAL --gate-pairs $GATE_PAIRS --gate-rounds $GATE_ROUNDS${JFR:+ --jfr}" \
  --arg commit "$(git -C "$BERTH_ROOT" rev-parse --short HEAD)" --arg cpus "$(nproc)" \
  '{command: $command, commit: $commit, cpus: ($cpus | tonumber), results: .}' "$RESULTS" > "$OUT_DIR/scan-latest.json"
cp "$OUT_DIR/scan-latest.json" "$OUT_DIR/scan-$(date -u +%Y%m%dT%H%M%SZ).json"
say "wrote $OUT_DIR/scan-latest.json"
