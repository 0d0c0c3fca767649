# Chaos scenario of a slow Postgres (sourced by deploy/local/chaos.sh after dependencies.sh): the
# catalog instances are restarted to reach the primary and the replica through the project's TCP
# fault proxy (perf's FaultProxy), which then adds CHAOS_PG_LATENCY_MS (300) to every request for
# OUTAGE_SECONDS, stalls every connection for CHAOS_PG_STALL_SECONDS (5), closes them all and lets
# bytes pass again; the catalog goes back to reaching Postgres directly at the end.

PG_LATENCY_MS=${CHAOS_PG_LATENCY_MS:-300}
PG_STALL_SECONDS=${CHAOS_PG_STALL_SECONDS:-5}
PROXY_CONTROL_PORT=${CHAOS_PROXY_CONTROL_PORT:-19432}
PROXY_PRIMARY_PORT=${CHAOS_PROXY_PRIMARY_PORT:-15432}
PROXY_REPLICA_PORT=${CHAOS_PROXY_REPLICA_PORT:-15433}

proxy() { curl -fsS -m 2 -X POST "http://127.0.0.1:$PROXY_CONTROL_PORT/fault?$1" >/dev/null || die "the fault proxy did not take mode $1"; }
proxy_answers() { curl -fsS -m 1 "http://127.0.0.1:$PROXY_CONTROL_PORT/fault" >/dev/null 2>&1; }
# "Thread ... has been blocked for" lines in the gateways' and catalogs' logs: Vert.x's blocked-thread checker
blocked_warnings() { cat "$LOG_DIR"/gateway-*.log "$LOG_DIR"/catalog-*.log 2>/dev/null | grep -c 'has been blocked for' || true; }
uncached_read_ok() { [ "$(status_of "$BASE/api/products?limit=2&q=chaos-after-$(date +%s%N)")" = 200 ]; }

start_fault_proxy() {
  java -Xms32m -Xmx64m -XX:+UseSerialGC -cp "$PERF_JAR" io.scaleout.perf.fault.FaultProxy "$PROXY_CONTROL_PORT" \
    "$PROXY_PRIMARY_PORT=127.0.0.1:5432" "$PROXY_REPLICA_PORT=127.0.0.1:$PG_REPLICA_PORT" > "$OUT/fault-proxy.log" 2>&1 &
  fault_proxy=$!
  wait_for 15 "the fault proxy answering on $PROXY_CONTROL_PORT" proxy_answers >/dev/null
}

# every catalog instance restarted in turn, reaching Postgres at PORT and the replica at REPLICA_PORT
catalog_through() {
  DB_PORT=$1 DB_REPLICAS=127.0.0.1:$2 ROLLING_SETTLE_SECONDS=1 "$ROOT/deploy/local/rolling-restart.sh" catalog \
    >> "$OUT/$scenario.restarts" 2>&1 || die "the catalog could not be restarted through port $1 (see $OUT/$scenario.restarts)"
}

# Postgres slow, then stalled, then reset: the gateways answer every request, 200 or a clear 503 with
# Retry-After within CHAOS_PG_MAX_MS (2000; the catalog's database timeouts and breakers, not the
# gateway's route budget, end a wait), catalog writes 201 or 503 within 3 s; a product the caches hold
# answers 200 throughout; no event loop is blocked (no Vert.x blocked-thread warning); uncached reads
# answer 200 again within seconds of the fault's end.
scenario_pg_slow() {
  local admin product run reads cached writes fault back recovery expected blocked_before blocked
  replica_answers || die "pg-slow needs the Postgres replica (up.sh starts it)"
  expected=$(ready_pair catalog)
  fault_proxy=""
  trap restore_direct EXIT
  start_fault_proxy
  say "restarting the catalog instances to reach Postgres through the fault proxy"
  catalog_through "$PROXY_PRIMARY_PORT" "$PROXY_REPLICA_PORT"
  wait_for 15 "every catalog instance in rotation" rotation_is catalog "$expected" >/dev/null
  admin=$(admin_token)
  [ -n "$admin" ] || die "the administrator cannot log in"
  product=$(create_product "$admin" chaos-pg)
  [ "$(status_of "$BASE/api/products/$product")" = 200 ] || die "the new product cannot be read"
  blocked_before=$(blocked_warnings)
  run=$((EVENT_AT + OUTAGE_SECONDS + PG_STALL_SECONDS + 12))
  begin_run "$scenario" "$READS" "$run" live_count catalog
  python3 "$CHAOS_DIR/probe.py" "$BASE" read - "$((run - 2))" 0.5 "$OUT/$scenario.reads" &
  reads=$!
  python3 "$CHAOS_DIR/probe.py" "$BASE" product - "$((run - 2))" 0.5 "$OUT/$scenario.cached" "$product" &
  cached=$!
  python3 "$CHAOS_DIR/probe.py" "$BASE" write "$admin" "$((run - 2))" 1 "$OUT/$scenario.writes" chaos-pg &
  writes=$!
  sleep "$EVENT_AT"
  proxy "mode=latency&latency_ms=$PG_LATENCY_MS"
  fault=$(now_ms)
  event "Postgres +${PG_LATENCY_MS} ms"
  sleep "$OUTAGE_SECONDS"
  proxy mode=stall
  event "Postgres stalled"
  sleep "$PG_STALL_SECONDS"
  proxy mode=reset
  back=$(now_ms)
  event "connections reset"
  recovery=$(wait_for 15 "uncached reads answered 200" uncached_read_ok)
  say "uncached reads answered 200 again ${recovery}s after the fault ended"
  wait "$reads" "$cached" "$writes"
  blocked=$(( $(blocked_warnings) - blocked_before ))
  end_run "$recovery" --min-ok 1 --fault-ms "$((back - fault))" --clear-statuses 503 \
    --max-ms "${CHAOS_PG_MAX_MS:-2000}" --label "catalogs running"
  verdict "uncached reads" "$OUT/$scenario.reads" "$fault" "$back" --outside 200 --during 200,503 \
    --during-max-ms "${CHAOS_PG_MAX_MS:-2000}" --retry-after || die "$scenario: uncached reads did not fail clearly"
  verdict "catalog writes" "$OUT/$scenario.writes" "$fault" "$back" --outside 201 --during 201,503 \
    --during-max-ms 3000 --retry-after || die "$scenario: catalog writes did not fail clearly"
  verdict "a product the caches hold" "$OUT/$scenario.cached" "$fault" "$back" --outside 200 --during 200 \
    || die "$scenario: a cached product was not served while Postgres was slow"
  [ "$blocked" = 0 ] || die "$scenario: $blocked blocked-thread warnings in the gateway and catalog logs"
  say "  no event loop blocked (no Vert.x blocked-thread warning in the gateway and catalog logs)" | tee -a "$OUT/summary.txt"
  trap - EXIT
  restore_direct
}

# the catalog back on Postgres itself (also when a promise was broken), and the proxy gone
restore_direct() {
  curl -fsS -m 2 -X POST "http://127.0.0.1:$PROXY_CONTROL_PORT/fault?mode=pass" >/dev/null 2>&1 || true
  say "restarting the catalog instances to reach Postgres directly again"
  catalog_through 5432 "$PG_REPLICA_PORT" || true
  [ -z "$fault_proxy" ] || kill "$fault_proxy" 2>/dev/null || true
}
