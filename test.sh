#!/usr/bin/env bash
# The test command: makes sure Postgres and Redis answer on loopback (starting or installing them
# like deploy/local/up.sh does) and iproute2 is there (network namespaces: run it as root), then
# runs every module's tests. Tests start their own Kafka
# broker and their own Hazelcast clusters (ports 5801+), so a running local cluster is no obstacle.
set -euo pipefail
. "$(dirname "$0")/deploy/local/lib.sh"

ensure_postgres
ensure_redis
ensure_iproute2
cd "$ROOT"
exec mvn -B -ntp verify "$@"
