#!/usr/bin/env bash
# From commit to Kafka (issue #6, target: p99 under 200 ms). Commits N outbox rows, one
# transaction each, D milliseconds apart (a PostgreSQL procedure: COMMIT after every insert),
# while registry-api's relay publishes them, then reads the relay's own measurement from
# registry-api's metrics: berth_outbox_publish_latency_seconds, from each row's insert to
# Kafka's acknowledgement. Needs a running ./berth up; the rows go to a throw-away topic.
#
# usage: bench/outbox-latency.sh [rows] [ms-apart]   (defaults: 1000 10)
set -euo pipefail

BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../deploy/local/lib/common.sh
source "$BERTH_ROOT/deploy/local/lib/common.sh"

ROWS=${1:-1000}
APART=${2:-10}
TOPIC="bench-outbox-$(date +%s)"
REGISTRY=127.0.0.1:$REGISTRY_API_PORT
[[ $(http_status "http://$REGISTRY/q/health/ready") == 200 ]] || die "registry-api is not ready; run ./berth up"
bench_psql() { PGPASSWORD=$PG_PASSWORD psql -X -q -tA -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d berth "$@"; }
quantile() { # q -> seconds
  curl -sf -H 'Accept: text/plain' "http://$REGISTRY/q/metrics" |
    awk -v q="$1" '$1 == "berth_outbox_publish_latency_seconds{quantile=\"" q "\",}" || $1 == "berth_outbox_publish_latency_seconds{quantile=\"" q "\"}" {print $2}'
}
count() { curl -sf -H 'Accept: text/plain' "http://$REGISTRY/q/metrics" | awk '$1 == "berth_outbox_publish_latency_seconds_count" {print $2}'; }

before=$(count)
t0=$(date +%s.%N)
bench_psql -c "DO \$\$
BEGIN
  FOR i IN 1..$ROWS LOOP
    INSERT INTO outbox (event_id, topic, event_key, event_type, payload)
    VALUES (gen_random_uuid(), '$TOPIC', 'bench/' || (i % 50), 'io.berth.bench.v1', jsonb_build_object('seq', i));
    COMMIT;
    PERFORM pg_sleep($APART / 1000.0);
  END LOOP;
END \$\$;"
t1=$(date +%s.%N)
for ((i = 0; i < 100; i++)); do
  [[ $(bench_psql -c "SELECT count(*) FROM outbox WHERE topic = '$TOPIC' AND published_at IS NULL") == 0 ]] && break
  sleep 0.2
done
after=$(count)
printf 'committed %d rows in %.1f s (%d ms apart); the relay acknowledged %.0f rows meanwhile\n' \
  "$ROWS" "$(echo "$t1 - $t0" | bc)" "$APART" "$(echo "$after - $before" | bc)"
printf 'commit to Kafka: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms (target: p99 under 200 ms)\n' \
  "$(echo "$(quantile 0.5) * 1000" | bc -l)" "$(echo "$(quantile 0.9) * 1000" | bc -l)" \
  "$(echo "$(quantile 0.99) * 1000" | bc -l)"
bench_psql -c "DELETE FROM outbox WHERE topic = '$TOPIC'" > /dev/null
