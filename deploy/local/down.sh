#!/usr/bin/env bash
# Stops exactly what up.sh and scale.sh started (their pid files): gateways first so they drain,
# then the services, then Kafka and the Postgres replica; Postgres and Redis only if up.sh had to
# start them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$PID_DIR" ] || { say "Nothing to stop ($PID_DIR does not exist)."; exit 0; }

pids_of() { local n; for n in $(instance_numbers "$1"); do pid_file "$1-$n"; done; }

stop_nginx
rm -f "$RUN_DIR/nginx.enabled"

mapfile -t gateways < <(pids_of gateway)
[ ${#gateways[@]} -eq 0 ] || { say "Stopping gateways..."; stop_pids "${gateways[@]}"; }

mapfile -t services < <(pids_of catalog; pids_of session; pids_of worker)
[ ${#services[@]} -eq 0 ] || { say "Stopping services..."; stop_pids "${services[@]}"; }

if [ -f "$(pid_file kafka)" ]; then
  say "Stopping Kafka..."
  stop_pids "$(pid_file kafka)"
fi

stop_pg_replica

if [ -f "$RUN_DIR/redis.started" ]; then
  say "Stopping the Redis that up.sh started..."
  [ -f "$RUN_DIR/redis.pid" ] && kill -TERM "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null || true
  rm -f "$RUN_DIR/redis.started"
fi

if [ -f "$RUN_DIR/postgres.started" ]; then
  say "Stopping the PostgreSQL that up.sh started..."
  as_root pg_ctlcluster --skip-systemctl-redirect "$(cat "$RUN_DIR/postgres.started")" main stop || true
  rm -f "$RUN_DIR/postgres.started"
fi

say "Stopped."
