#!/bin/bash
# kafka-init (docker-compose.yml): creates berth's topics with the partitions and retention of
# docs/events.md, table "Partitions, retention and consumer groups". Run on every `up`: a topic
# that exists keeps its partitions (Kafka can only add them: see docs/compose.md) and gets the
# table's retention again. tests/deploy compares the `topic` lines below with that table.
set -euo pipefail

bootstrap=${KAFKA_BOOTSTRAP:-kafka:9092}
bin=${KAFKA_BIN:-/opt/kafka/bin}

topic() { # name partitions retention.ms
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor 1 --config "retention.ms=$3"
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
    --entity-name "$1" --add-config "retention.ms=$3"
}

topic berth.artifacts 12 604800000    # 7 days
topic berth.audit 6 2592000000        # 30 days
topic berth.scans 6 604800000         # 7 days
topic berth.dead-letter 1 2592000000  # 30 days

"$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe --topic 'berth\..*'
