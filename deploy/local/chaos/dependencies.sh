# Chaos scenarios that take a dependency away (sourced by deploy/local/chaos.sh): Redis, the
# Postgres replica or Kafka stopped for a while under uncached catalog reads through nginx, with
# probes of what depends on it (probe.py) checked by verdict.py.

BASE=http://127.0.0.1:$NGINX_PORT
READS='/api/products?limit=2&q=chaos{n}'
KAFKA_SECONDS=${CHAOS_KAFKA_SECONDS:-30}

api() { curl -sS -m 10 -H 'Content-Type: application/json' "$@"; }
now_ms() { date +%s%3N; }
token_of() { sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
admin_token() {
  api -X POST "$BASE/api/sessions" -d "{\"email\":\"$(admin_email)\",\"password\":\"$(admin_password)\"}" | token_of
}
# create_product TOKEN CATEGORY: prints the new product's id
create_product() {
  api -X POST "$BASE/api/products" -H "Authorization: Bearer $1" \
    -d "{\"sku\":\"chaos-$(date +%s%N)\",\"name\":\"Chaos mug\",\"category\":\"$2\",\"priceCents\":500,\"currency\":\"EUR\",\"stock\":9}" \
    | sed -n 's/^{"id":\([0-9]*\),.*/\1/p'
}
# a shopper registered and signed in now: prints the session token
new_shopper() {
  local email="chaos-$(date +%s%N)@example.org"
  api -o /dev/null -X POST "$BASE/api/users" -d "{\"email\":\"$email\",\"password\":\"chaos shopper password\",\"name\":\"Chaos\"}"
  api -X POST "$BASE/api/sessions" -d "{\"email\":\"$email\",\"password\":\"chaos shopper password\"}" | token_of
}
status_of() { curl -s -m 10 -o /dev/null -w '%{http_code}' "$@"; }
verdict() { python3 "$CHAOS_DIR/verdict.py" "$@" | tee -a "$OUT/summary.txt"; return "${PIPESTATUS[0]}"; }
# the sum of a counter over the running instances of SERVICE: metric_sum SERVICE NAME LABEL-FILTER
metric_sum() {
  local n total=0 v
  for n in $(live_numbers "$1"); do
    v=$(curl -fsS -m 1 "http://127.0.0.1:$(mgmt_port "$1" "$n")/metrics" 2>/dev/null \
      | awk -v m="$2" -v f="$3" 'index($0, m) == 1 && index($0, f) { s += $2 } END { print s + 0 }')
    total=$(awk -v a="$total" -v b="${v:-0}" 'BEGIN { print a + b }')
  done
  echo "$total"
}
above() { awk -v a="$(metric_sum "$1" "$2" "$3")" -v b="$4" 'BEGIN { exit !(a > b) }'; }

# --- Redis: the machine's (or up.sh's own), stopped with nothing saved and started as it ran
redis_up() { redis_answers && echo 1 || echo 0; }
redis_stop() {
  redis_conf=()
  local key
  for key in dir logfile bind; do redis_conf+=("--$key" $(redis-cli -p 6379 config get "$key" | tail -1)); done
  redis-cli -p 6379 shutdown nosave >/dev/null 2>&1 || true
}
redis_start() {
  if [ -f "$RUN_DIR/redis.started" ]; then ensure_redis; return; fi
  redis-server --port 6379 --save '' --appendonly no --daemonize yes "${redis_conf[@]}" || die "Redis did not start again"
  wait_for 10 "Redis answering" redis_answers >/dev/null
}
fresh_cart_works() {
  local token
  token=$(new_shopper)
  [ -n "$token" ] && [ "$(status_of "$BASE/api/cart" -H "Authorization: Bearer $token")" = 200 ]
}

# Redis stopped for OUTAGE_SECONDS: every catalog read answered (from Postgres), rate limits fail
# open (decided by each gateway meanwhile), a signed-in shopper's cart answers 503 with Retry-After
# at once while Redis is down; afterwards new sessions work by themselves (Redis kept nothing, so
# sessions of before are gone: 401, sign in again).
scenario_redis_stop() {
  local admin product shopper run probe fault back recovery local_before
  admin=$(admin_token)
  [ -n "$admin" ] || die "the administrator cannot log in"
  product=$(create_product "$admin" chaos-redis)
  shopper=$(new_shopper)
  [ "$(status_of -X PUT "$BASE/api/cart/items/$product" -H "Authorization: Bearer $shopper" -H 'Content-Type: application/json' \
    -d '{"quantity":1}')" = 200 ] || die "the shopper cannot fill a cart"
  local_before=$(metric_sum gateway gateway_ratelimit_local_decisions_total "")
  run=$((EVENT_AT + OUTAGE_SECONDS + 12))
  begin_run "$scenario" "$READS" "$run" redis_up
  python3 "$CHAOS_DIR/probe.py" "$BASE" cart "$shopper" "$((run - 2))" 0.5 "$OUT/$scenario.cart" &
  probe=$!
  sleep "$EVENT_AT"
  redis_stop
  fault=$(now_ms)
  event "Redis stopped"
  sleep "$OUTAGE_SECONDS"
  redis_start
  back=$(now_ms)
  event "Redis started"
  recovery=$(wait_for 15 "a new session with a cart" fresh_cart_works)
  say "a new shopper's session and cart worked ${recovery}s after Redis started"
  end_run "$recovery" --min-ok 1 --label "redis up"
  wait "$probe"
  verdict "cart of a signed-in shopper" "$OUT/$scenario.cart" "$fault" "$back" --outside 200,401 --during 503 \
    --during-max-ms 1000 --retry-after || die "$scenario: the cart did not fail clearly"
  above gateway gateway_ratelimit_local_decisions_total "" "$local_before" \
    || die "$scenario: no rate-limit decision was made locally while Redis was down"
  say "  rate limits: $(awk -v a="$(metric_sum gateway gateway_ratelimit_local_decisions_total "")" -v b="$local_before" \
    'BEGIN { print a - b }') requests decided by the gateways' local buckets while Redis was down (failing open)" \
    | tee -a "$OUT/summary.txt"
}

# --- the Postgres replica (up.sh's streaming replica on PG_REPLICA_PORT)
replica_up() { replica_answers && echo 1 || echo 0; }
replica_target() { echo "target=\"127.0.0.1:$PG_REPLICA_PORT\""; }
replica_reads() { metric_sum catalog catalog_reads_total "$(replica_target)"; }

# The replica stopped (immediate shutdown) for OUTAGE_SECONDS: every read answered by the primary;
# reads go back to the replica once it answers again.
scenario_replica_stop() {
  local run recovery before
  replica_answers || die "replica-stop needs the Postgres replica (up.sh starts it)"
  run=$((EVENT_AT + OUTAGE_SECONDS + 15))
  begin_run "$scenario" "$READS" "$run" replica_up
  sleep "$EVENT_AT"
  as_postgres "$(pg_bin)/pg_ctl" -D "$PG_REPLICA_DIR/data" -m immediate stop >/dev/null || die "cannot stop the replica"
  event "replica stopped"
  sleep "$OUTAGE_SECONDS"
  ensure_pg_replica >/dev/null
  event "replica started"
  before=$(replica_reads)
  recovery=$(wait_for 30 "catalog reads on the replica again" above catalog catalog_reads_total "$(replica_target)" "$before")
  say "reads back on the replica ${recovery}s after it started"
  end_run "$recovery" --min-ok 1 --label "replica up"
}

# --- Kafka (up.sh's broker)
kafka_up() { port_open "$KAFKA_PORT" && echo 1 || echo 0; }
submission_taken() {
  [ "$(status_of -X POST "$BASE/api/products/$1/image" -H "Authorization: Bearer $2" -H 'Content-Type: image/png' \
    --data-binary "@$OUT/chaos.png")" = 202 ]
}
job_status() { api "$BASE/api/jobs/$1" -H "Authorization: Bearer $2" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'; }
jobs_done() {
  local id
  for id in $(awk -F, '$2 == 202 { print $5 }' "$1"); do [ "$(job_status "$id" "$2")" = succeeded ] || return 1; done
}
facet_count() { api "$BASE/api/catalog/facets" | python3 -c "import json,sys; print(next((f['count'] for f in json.load(sys.stdin) if f['category'] == sys.argv[1]), 0))" "$1"; }
facets_caught_up() { [ "$(facet_count "$1")" = "$2" ]; }

# Kafka killed for CHAOS_KAFKA_SECONDS (30): every catalog read and every catalog write answered
# (the outbox keeps the writes' events); job submissions answer 503 with Retry-After at once
# meanwhile; once Kafka is back every accepted job succeeds and every write's event reaches the
# facets read model.
scenario_kafka_stop() {
  local admin product category run writes submits fault back recovery written
  admin=$(admin_token)
  [ -n "$admin" ] || die "the administrator cannot log in"
  product=$(create_product "$admin" chaos-kafka)
  category="chaos-kafka-$(date +%s)"
  python3 "$CHAOS_DIR/probe.py" png "$OUT/chaos.png"
  run=$((EVENT_AT + KAFKA_SECONDS + 30)) # Kafka takes seconds to start again: some of the run after it
  begin_run "$scenario" "$READS" "$run" kafka_up
  python3 "$CHAOS_DIR/probe.py" "$BASE" write "$admin" "$((run - 2))" 0.5 "$OUT/$scenario.writes" "$category" &
  writes=$!
  python3 "$CHAOS_DIR/probe.py" "$BASE" submit "$admin" "$((run - 2))" 1 "$OUT/$scenario.submits" "$product" &
  submits=$!
  sleep "$EVENT_AT"
  kill -KILL "$(cat "$(pid_file kafka)")"
  fault=$(now_ms)
  event "Kafka killed"
  sleep "$KAFKA_SECONDS"
  rm -f "$(pid_file kafka)"
  ensure_kafka >/dev/null
  back=$(now_ms)
  event "Kafka started"
  recovery=$(wait_for 30 "a job submission taken again" submission_taken "$product" "$admin")
  say "job submissions taken again ${recovery}s after Kafka started"
  end_run "$recovery" --min-ok 1 --label "kafka up"
  wait "$writes" "$submits"
  verdict "catalog writes" "$OUT/$scenario.writes" "$fault" "$back" --outside 201 --during 201 \
    || die "$scenario: a catalog write failed"
  verdict "job submissions" "$OUT/$scenario.submits" "$fault" "$back" --outside 202 --during 503 \
    --during-max-ms 2000 --retry-after || die "$scenario: job submissions did not fail clearly"
  wait_for 90 "every accepted job succeeded" jobs_done "$OUT/$scenario.submits" "$admin" >/dev/null
  written=$(awk -F, '$2 == 201' "$OUT/$scenario.writes" | wc -l)
  wait_for 90 "the facets counting all $written products written" facets_caught_up "$category" "$written" >/dev/null
  say "  after Kafka came back: all $(awk -F, '$2 == 202' "$OUT/$scenario.submits" | wc -l) accepted jobs succeeded; the facets count all $written products written" \
    | tee -a "$OUT/summary.txt"
}
