#!/usr/bin/env bash
# Starts the local cluster: Postgres and Redis answering on loopback (started, or installed with
# apt-get, when needed), a streaming replica of that Postgres on 127.0.0.1:5433 (the catalog reads
# from it), a single-node KRaft Kafka on 127.0.0.1:9092, then each service as its own
# JVM, one instance at a time, waiting for readiness. Running it again starts only what is missing.
#
#   deploy/local/up.sh                      gateway x1, catalog x2, session x2, worker x2
#   GATEWAYS=1 CATALOGS=3 deploy/local/up.sh   other instance counts
#   WITH_NGINX=1 deploy/local/up.sh         two gateways (8080, 8081) behind nginx on 127.0.0.1:8000
#   DEMO_DATA=0 deploy/local/up.sh          without loading the demo catalog (demo-data.sh), which
#                                           is loaded once otherwise
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${WITH_NGINX:-0}" = 1 ]; then
  mkdir -p "$RUN_DIR"
  touch "$RUN_DIR/nginx.enabled"
fi
default_gateways=1
nginx_enabled && default_gateways=2
declare -A COUNT=(
  [gateway]=${GATEWAYS:-$default_gateways}
  [catalog]=${CATALOGS:-2}
  [session]=${SESSIONS:-2}
  [worker]=${WORKERS:-2}
)

mkdir -p "$PID_DIR" "$LOG_DIR"
build_jars_if_absent
ensure_postgres
ensure_pg_replica
ensure_redis
ensure_kafka

for service in "${SERVICES[@]}"; do
  for n in $(seq 1 "${COUNT[$service]}"); do
    start_instance "$service" "$n"
    await_instance "$service" "$n"
  done
done

nginx_enabled && ensure_nginx
[ "${DEMO_DATA:-1}" = 0 ] || "$ROOT/deploy/local/demo-data.sh"

say ""
say "scaleout is up."
say "  Shop:       http://127.0.0.1:$(http_port 1)/"
say "  Admin:      http://127.0.0.1:$(http_port 1)/#/admin   operations: http://127.0.0.1:$(http_port 1)/#/ops"
say "  API:        http://127.0.0.1:$(http_port 1)/api/ping"
nginx_enabled && say "  nginx:      http://127.0.0.1:$NGINX_PORT/api/ping (in front of every gateway)"
say "  Kafka:      127.0.0.1:$KAFKA_PORT"
say "  Postgres:   127.0.0.1:5432 (primary), 127.0.0.1:$PG_REPLICA_PORT (replica)"
say "  Logs:       $LOG_DIR"
if [ -f "$RUN_DIR/admin-password.new" ]; then
  say "  Sign-in:    $(admin_email) / $(admin_password)   (made now, shown once; kept in $ADMIN_PASSWORD_FILE)"
  rm -f "$RUN_DIR/admin-password.new"
elif [ -z "${ADMIN_PASSWORD:-}" ]; then
  say "  Sign-in:    $(admin_email) (password in $ADMIN_PASSWORD_FILE)"
fi
say ""
"$ROOT/deploy/local/status.sh"
