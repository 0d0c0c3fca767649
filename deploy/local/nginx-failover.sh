#!/usr/bin/env bash
# nginx-failover.sh: with the local cluster started as `WITH_NGINX=1 deploy/local/up.sh` (two or more
# gateways behind nginx), checks what a client of nginx sees when a gateway dies and when the
# gateways are restarted one by one. Under a steady request loop through nginx (GETs, no client
# retries): (1) kill -9 the highest-numbered gateway: at most FAILOVER_MAX_FAILURES (5) failed
# requests, and none later than FAILOVER_MARK_SECONDS (2) after the kill (by then nginx has marked
# it down); the gateway is started again; (2) rolling-restart.sh gateway: zero failed requests.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

nginx_enabled && nginx_running || die "nginx is not running: start the cluster with WITH_NGINX=1 deploy/local/up.sh"
gateways=()
for n in $(instance_numbers gateway); do running "$(pid_file "gateway-$n")" && gateways+=("$n"); done
[ ${#gateways[@]} -ge 2 ] || die "need at least two running gateways behind nginx (deploy/local/scale.sh gateway 2)"
max_failures=${FAILOVER_MAX_FAILURES:-5}
mark_seconds=${FAILOVER_MARK_SECONDS:-2}
base="http://127.0.0.1:$NGINX_PORT"
urls=("$base/api/ping" "$base/api/products?limit=2&q=failover{n}")

loop=""
start_loop() { "$ROOT/deploy/local/request-loop.sh" "${urls[@]}" > "$1" 2>&1 & loop=$!; }
stop_loop() { kill -TERM "$loop"; wait "$loop" || true; }

log1="$RUN_DIR/failover-kill.log"
start_loop "$log1"
sleep 3
victim=${gateways[-1]}
killed_at=$(date +%s.%3N)
say "kill -9 gateway-$victim (pid $(cat "$(pid_file "gateway-$victim")"))"
kill -KILL "$(cat "$(pid_file "gateway-$victim")")"
sleep 8
stop_loop
cat "$log1"
failed=$(sed -n 's/^requests=[0-9]* failed=\([0-9]*\)$/\1/p' "$log1")
late=$(awk -v k="$killed_at" -v m="$mark_seconds" '$1 == "failed:" && $2 > k + m { n++ } END { print n + 0 }' "$log1")
[ "$failed" -le "$max_failures" ] || die "$failed requests failed after the kill (at most $max_failures allowed)"
[ "$late" = 0 ] || die "$late requests failed more than ${mark_seconds}s after the kill: nginx kept sending to the dead gateway"
say "kill -9: $failed failed requests, none after nginx marked the gateway down"

rm -f "$(pid_file "gateway-$victim")"
start_instance gateway "$victim"
await_instance gateway "$victim"
sleep 2

log2="$RUN_DIR/failover-rolling.log"
start_loop "$log2"
sleep 2
"$ROOT/deploy/local/rolling-restart.sh" gateway
sleep 2
stop_loop
cat "$log2"
failed=$(sed -n 's/^requests=[0-9]* failed=\([0-9]*\)$/\1/p' "$log2")
[ "$failed" = 0 ] || die "$failed requests failed during the rolling restart of the gateways"
say "rolling restart of ${#gateways[@]} gateways behind nginx: no failed request"
