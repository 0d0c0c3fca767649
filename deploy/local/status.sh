#!/usr/bin/env bash
# Lists every process of the local cluster: service, instance, pid, state, management URL. State
# "minority": alive but outside the main cluster (a split, or resumed after a pause), so not ready.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

printf '%-9s %-11s %-8s %-9s %-28s %s\n' SERVICE INSTANCE PID STATE MANAGEMENT LOG
row() {
  printf '%-9s %-11s %-8s %-9s %-28s %s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}
for service in "${SERVICES[@]}"; do
  for n in $(instance_numbers "$service"); do
    name=$service-$n
    file=$(pid_file "$name")
    port=$(mgmt_port "$service" "$n")
    if ! running "$file"; then
      state=dead
    elif ready "$port"; then
      state=ready
    else
      case $(curl -sS -m 2 "http://127.0.0.1:$port/health/ready" 2>/dev/null || true) in
        *'"minority":true'*) state=minority ;;
        *) state=not-ready ;;
      esac
    fi
    row "$service" "$name" "$(cat "$file")" "$state" "http://127.0.0.1:$port" "$LOG_DIR/$name.log"
  done
done
if [ -f "$(pid_file kafka)" ]; then
  if running "$(pid_file kafka)"; then state=running; else state=dead; fi
  row kafka kafka "$(cat "$(pid_file kafka)")" "$state" "127.0.0.1:$KAFKA_PORT" "$LOG_DIR/kafka.log"
fi
if nginx_enabled; then
  if nginx_running; then state=running; else state=dead; fi
  row nginx nginx "$(cat "$NGINX_DIR/nginx.pid" 2>/dev/null || echo -)" "$state" "http://127.0.0.1:$NGINX_PORT" "$LOG_DIR/nginx.log"
fi
if [ -f "$RUN_DIR/pg-replica.started" ]; then
  if replica_answers; then state=running; else state=dead; fi
  row postgres pg-replica "-" "$state" "127.0.0.1:$PG_REPLICA_PORT" "$(cat "$RUN_DIR/pg-replica.started")/replica.log"
fi
