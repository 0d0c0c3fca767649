#!/bin/bash
# The scaleout/kafka entrypoint: writes the broker's configuration from the shared template
# (clients on every interface at 9092, advertised as $KAFKA_ADVERTISED_HOST; the controller on
# 127.0.0.1:9093), formats the storage once (a new cluster id on an empty volume), then runs the
# broker as PID 1 so that SIGTERM stops it cleanly.
set -euo pipefail
home=/opt/kafka
data=/var/lib/kafka/data
config=/var/lib/kafka/config/server.properties
sed -e "s|@@KAFKA_PORT@@|9092|g" -e "s|@@CONTROLLER_PORT@@|9093|g" -e "s|@@LISTEN_HOST@@|0.0.0.0|g" \
  -e "s|@@ADVERTISED_HOST@@|$KAFKA_ADVERTISED_HOST|g" -e "s|@@DATA_DIR@@|$data|g" \
  "$home/server.properties.template" > "$config"
if [ ! -f "$data/meta.properties" ]; then
  id=$(java -cp "$home/libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
  java -cp "$home/libs/*" kafka.tools.StorageTool format -t "$id" -c "$config" --standalone
fi
# shellcheck disable=SC2086
exec java $KAFKA_HEAP_OPTS -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
  "-Dlog4j2.configurationFile=$home/log4j2.properties" -cp "$home/libs/*" kafka.Kafka "$config"
