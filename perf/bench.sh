#!/usr/bin/env bash
# perf/bench.sh: the gateway's cost, side by side in one run, with the same load generator (wrk,
# BENCH_THREADS threads, BENCH_CONNECTIONS connections) against:
#   a  a plain Vert.x HTTP server answering a fixed ~200-byte JSON (the ceiling)
#   b  the same bytes through a gateway -> clustered event bus -> a service in another JVM
#      (GET /api/categories answered by perf's FixedReplyNode), the gateway's whole pipeline on
#      (identity, Redis rate limit with a budget too large to refuse, breaker, bulkhead)
#   b0 the same with rate limiting off (what the Redis round trip of (b) costs)
#   bp (b) with the event bus in plain TCP, CLUSTER_TLS=off (what the bus's mutual TLS costs)
#   c  GET /api/products/{id} through a gateway to the real catalog, its Redis cache hot
#      (the gateway's reverse cache off)
#   d  the same with the gateway's reverse cache hitting
#   d0 the same with rate limiting off (what the shared rate limit costs a cache hit)
#   e  nginx (Debian) proxy_pass with upstream keep-alive in front of the plain server of (a)
# Each target is warmed up in 5 s passes until its throughput stops rising, then measured
# BENCH_SECONDS; BENCH_ROUNDS rounds, the table shows each target's median round. Prints the table
# of ratios against (a) and writes it into BENCHMARKS.md between the bench markers. Then the open
# model: (a) and (b) at one constant rate, half of (b)'s maximum, with perf's ConstantRate (latency
# from each request's scheduled time), p50/p99/p99.9 side by side.
# BENCH_PROFILE="b d" prints where the named targets' gateways spend their CPU (perf/profile.sh).
# BENCH_HOLD=1 starts everything, prints the targets' URLs and keeps them up until stopped.
# BENCH_TARGETS picks targets (default "a b b0 c d d0 e"; (a) first, the baseline).
# Needs: the root build installed (mvn install -DskipTests); installs wrk and nginx with apt-get.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export SCALEOUT_RUN_DIR=${SCALEOUT_RUN_DIR:-$ROOT/.run/bench}
export KAFKA_PORT=${BENCH_KAFKA_PORT:-19092} KAFKA_CONTROLLER_PORT=${BENCH_KAFKA_CONTROLLER_PORT:-19093}
. "$ROOT/deploy/local/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-$JAVA_OPTS}
PLAIN=18080 NGINX=18000 GW_B=18081 GW_B0=18082 GW_C=18083 GW_D=18084 GW_D0=18085 GW_BP=18086
BENCH_PIDS=$RUN_DIR/bench-pids
read -r -a TARGETS <<< "${BENCH_TARGETS:-a b b0 bp c d d0 e}"
[ "${TARGETS[0]}" = a ] || die "BENCH_TARGETS must start with a: the table is in ratios against it"

for tool in wrk nginx; do
  command -v "$tool" >/dev/null && continue
  say "Installing $tool (apt-get)..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null 2>&1 \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; } \
    || die "cannot install $tool"
done
[ -f "$ROOT/gateway/target/gateway.jar" ] || (cd "$ROOT" && mvn -B -q -ntp install -DskipTests) || die "the build failed"
(cd "$ROOT" && mvn -B -q -ntp -f perf/pom.xml package -DskipTests) || die "the perf build failed"
mkdir -p "$RUN_DIR" "$LOG_DIR"
: > "$BENCH_PIDS"

cleanup() {
  local pid i
  [ -f "$RUN_DIR/nginx.pid" ] && kill "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null
  while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done < "$BENCH_PIDS"
  for i in $(seq 1 60); do
    pgrep -f -- "-Dscaleout.run=$RUN_DIR " >/dev/null || break
    sleep 0.5
  done
  while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done < "$BENCH_PIDS"
  stop_pids "$(pid_file kafka)"
}
trap cleanup EXIT

# launch NAME ENV... -- JAVA ARGS: a JVM in the background, logging to $LOG_DIR/NAME.log
launch() {
  local name=$1; shift
  local -a env=()
  local trust
  trust=$(cluster_trust_env)
  # shellcheck disable=SC2206
  env+=($trust)
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  # shellcheck disable=SC2086
  env "${env[@]}" java $BENCH_JAVA_OPTS "-Dscaleout.run=$RUN_DIR" "$@" < /dev/null > "$LOG_DIR/$name.log" 2>&1 &
  echo $! >> "$BENCH_PIDS"
  echo $! > "$RUN_DIR/$name.pid"
}

await_ready() { # await_ready NAME MGMT_PORT
  local i
  for i in $(seq 1 240); do ready "$2" && return 0; sleep 0.5; done
  tail -20 "$LOG_DIR/$1.log" >&2 || true; die "$1 not ready"
}

ensure_postgres
ensure_redis
ensure_kafka

gateway_env() { # cluster name, cluster port, http port, mgmt port, instance id, extra...
  echo "CLUSTER_NAME=$1" "CLUSTER_PORT=$2" "CLUSTER_PORT_COUNT=10" "HTTP_PORT=$3" "MGMT_PORT=$4" "INSTANCE_ID=$5" \
    "RATE_LIMIT_KEY_PREFIX=bench:rl:" "RATE_LIMIT_ANON_RATE=100000000" "RATE_LIMIT_ANON_BURST=100000000"
}

say "Starting the plain server, nginx and two bench clusters..."
launch plain -- -cp "$ROOT/perf/target/perf.jar" io.scaleout.perf.bench.PlainServer "$PLAIN"
sed -e "s|@@PREFIX@@|$RUN_DIR|g" -e "s|@@PLAIN_PORT@@|$PLAIN|g" -e "s|@@NGINX_PORT@@|$NGINX|g" \
  "$ROOT/perf/nginx-bench.conf.template" > "$RUN_DIR/nginx.conf"
nginx -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR" || die "nginx did not start"

# cluster B: the fixed-reply node and two gateways (rate limits on, off)
launch fixed CLUSTER_NAME=bench-b CLUSTER_PORT=5951 CLUSTER_PORT_COUNT=10 MGMT_PORT=19390 INSTANCE_ID=fixed-1 -- \
  -cp "$ROOT/perf/target/perf.jar" io.scaleout.perf.bench.FixedReplyNode
await_ready fixed 19390
# shellcheck disable=SC2046
launch gw-b $(gateway_env bench-b 5951 $GW_B 19381 gw-b) -- -jar "$ROOT/gateway/target/gateway.jar"
# shellcheck disable=SC2046
launch gw-b0 $(gateway_env bench-b 5951 $GW_B0 19382 gw-b0) RATE_LIMIT_ENABLED=false -- -jar "$ROOT/gateway/target/gateway.jar"

# cluster BP: (b)'s two nodes again, their event bus in plain TCP
launch fixed-p CLUSTER_NAME=bench-bp CLUSTER_PORT=5991 CLUSTER_PORT_COUNT=10 MGMT_PORT=19393 INSTANCE_ID=fixed-p CLUSTER_TLS=off -- \
  -cp "$ROOT/perf/target/perf.jar" io.scaleout.perf.bench.FixedReplyNode
await_ready fixed-p 19393
# shellcheck disable=SC2046
launch gw-bp $(gateway_env bench-bp 5991 $GW_BP 19386 gw-bp) CLUSTER_TLS=off -- -jar "$ROOT/gateway/target/gateway.jar"

# cluster C: the real catalog and a session service (for the administrator that seeds a product)
# an administrator of this run's own (the bench accounts database keeps earlier runs' users)
admin_email="bench-admin-$(date +%s)-$$@example.org"
admin_password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
launch catalog CLUSTER_NAME=bench-c CLUSTER_PORT=5971 CLUSTER_PORT_COUNT=10 MGMT_PORT=19391 INSTANCE_ID=catalog-1 \
  DB_NAME=bench_catalog CACHE_KEY_PREFIX=bench:catalog: KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT -- \
  -jar "$ROOT/catalog-service/target/catalog-service.jar"
launch session CLUSTER_NAME=bench-c CLUSTER_PORT=5971 CLUSTER_PORT_COUNT=10 MGMT_PORT=19392 INSTANCE_ID=session-1 \
  DB_NAME=bench_accounts REDIS_KEY_PREFIX=bench:session: "ADMIN_EMAIL=$admin_email" "ADMIN_PASSWORD=$admin_password" -- \
  -jar "$ROOT/session-service/target/session-service.jar"
await_ready gw-b 19381; await_ready gw-b0 19382; await_ready gw-bp 19386; await_ready catalog 19391; await_ready session 19392
# shellcheck disable=SC2046
launch gw-c $(gateway_env bench-c 5971 $GW_C 19383 gw-c) REVERSE_CACHE_MAX_BYTES=0 -- -jar "$ROOT/gateway/target/gateway.jar"
# shellcheck disable=SC2046
launch gw-d $(gateway_env bench-c 5971 $GW_D 19384 gw-d) -- -jar "$ROOT/gateway/target/gateway.jar"
# shellcheck disable=SC2046
launch gw-d0 $(gateway_env bench-c 5971 $GW_D0 19385 gw-d0) RATE_LIMIT_ENABLED=false -- -jar "$ROOT/gateway/target/gateway.jar"
await_ready gw-c 19383; await_ready gw-d 19384; await_ready gw-d0 19385

say "Seeding a product through the public API..."
json() { curl -sS -m 15 -H 'Content-Type: application/json' "$@"; }
token=$(json -X POST "http://127.0.0.1:$GW_C/api/sessions" -d "{\"email\":\"$admin_email\",\"password\":\"$admin_password\"}" \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "the bench administrator cannot log in"
product=$(json -X POST "http://127.0.0.1:$GW_C/api/products" -H "Authorization: Bearer $token" \
  -d "{\"sku\":\"bench-$(date +%s)-$$\",\"name\":\"Bench mug\",\"description\":\"A mug to measure with\",\"category\":\"bench\",\"priceCents\":1250,\"currency\":\"EUR\",\"stock\":100}" \
  | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
[ -n "$product" ] || die "cannot create the bench product"

url() {
  case $1 in
    a) echo "http://127.0.0.1:$PLAIN/api/categories" ;;
    b) echo "http://127.0.0.1:$GW_B/api/categories" ;;
    b0) echo "http://127.0.0.1:$GW_B0/api/categories" ;;
    bp) echo "http://127.0.0.1:$GW_BP/api/categories" ;;
    c) echo "http://127.0.0.1:$GW_C/api/products/$product" ;;
    d) echo "http://127.0.0.1:$GW_D/api/products/$product" ;;
    d0) echo "http://127.0.0.1:$GW_D0/api/products/$product" ;;
    e) echo "http://127.0.0.1:$NGINX/api/categories" ;;
  esac
}
describe() {
  case $1 in
    a) echo "plain Vert.x server, fixed JSON" ;;
    b) echo "gateway -> event bus -> other JVM, same bytes" ;;
    b0) echo "(b) with rate limiting off" ;;
    bp) echo "(b) with the event bus in plain TCP" ;;
    c) echo "GET /api/products/{id}, catalog Redis-hot" ;;
    d) echo "(c) with the gateway's reverse cache hitting" ;;
    d0) echo "(d) with rate limiting off" ;;
    e) echo "nginx proxy_pass -> plain server" ;;
  esac
}

to_ms() { # wrk latency like 1.23ms, 456.00us, 1.02s -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

# run URL SECONDS -> "rps p50ms p99ms"
run() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --latency "$1" 2>&1) || die "wrk failed: $out"
  if printf '%s' "$out" | grep -q 'Non-2xx'; then die "non-2xx answers from $1: $out"; fi
  printf '%s %s %s\n' "$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')" \
    "$(to_ms "$(printf '%s\n' "$out" | awk '$1 == "50%" { print $2 }')")" \
    "$(to_ms "$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')")"
}

warm_up() {
  local best=0 rps pass
  for pass in 1 2 3 4 5 6 7 8; do
    rps=$(run "$1" 5 | cut -d' ' -f1)
    if awk -v r="$rps" -v b="$best" 'BEGIN { exit !(r < b * 1.03) }'; then return 0; fi
    best=$rps
  done
}

if [ -n "${BENCH_HOLD:-}" ]; then
  for target in "${TARGETS[@]}"; do say "($target) $(describe "$target"): $(url "$target")"; done
  say "BENCH_HOLD: everything stays up until this script is stopped (gateway pids in $RUN_DIR/gw-*.pid)"
  while true; do sleep 3600; done
fi

declare -A results=()
for target in "${TARGETS[@]}"; do
  say "Warming up ($target) $(describe "$target")..."
  warm_up "$(url "$target")"
done
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    results[$target]+="$(run "$(url "$target")" "$SECONDS_PER_RUN");"
    say "round $round ($target): $(printf '%s' "${results[$target]}" | tr ';' '\n' | grep . | tail -1)"
  done
done

median_round() { # the round whose first figure is the median: "rps p50 p99" (or "p99 p50 p999")
  printf '%s' "$1" | tr ';' '\n' | grep . | sort -n -k1,1 | awk '{ rows[NR] = $0 } END { print rows[int((NR + 1) / 2)] }'
}

# Open model: (a) and (b) at the same constant rate, half of (b)'s maximum (its median round)
declare -A open_results=()
open_rate=0
if [[ -n "${results[b]:-}" ]]; then
  open_rate=$(median_round "${results[b]}" | awk '{ printf "%d", $1 / 2 }')
  for round in $(seq 1 "$ROUNDS"); do
    for target in a b; do
      # the generator's heap fixed from the start and 10 s of warm-up: heap growth and JIT
      # compilation in the generator would otherwise stall it, and count as the server's latency
      line=$(java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$ROOT/perf/target/perf.jar" io.scaleout.perf.bench.ConstantRate \
        "$(url "$target")" "$open_rate" "$SECONDS_PER_RUN" "$CONNECTIONS" 10) || die "the constant-rate run failed"
      say "open model round $round ($target) at $open_rate/s: $line"
      printf '%s' "$line" | grep -q ' failed=0 ' || die "failed requests at $open_rate/s against ($target): $line"
      # p99 p50 p99.9, and the cores the generator itself took (its CPU seconds over warm-up and run)
      open_results[$target]+="$(printf '%s' "$line" | sed -E 's/.*p50_ms=([0-9.]+) p99_ms=([0-9.]+) p999_ms=([0-9.]+).* cpu_s=([0-9.]+).*/\2 \1 \3 \4/' \
        | awk -v s=$((SECONDS_PER_RUN + 10)) '{ printf "%s %s %s %.2f", $1, $2, $3, $4 / s }');"
    done
  done
fi

# BENCH_PROFILE="b d": a JFR profile of each named target's gateway JVM under the same load
for target in ${BENCH_PROFILE:-}; do
  say ""
  say "Profile of gw-$target under ($target) $(describe "$target"):"
  "$ROOT/perf/profile.sh" "$(cat "$RUN_DIR/gw-$target.pid")" "$(url "$target")" 20 "$CONNECTIONS"
done

read -r base_rps _ base_p99 <<< "$(median_round "${results[a]}")"
table="| target | what | req/s | p50 ms | p99 ms | req/s vs (a) | p99 vs (a) |"$'\n'"|---|---|---:|---:|---:|---:|---:|"
for target in "${TARGETS[@]}"; do
  read -r rps p50 p99 <<< "$(median_round "${results[$target]}")"
  table+=$'\n'"$(awk -v t="$target" -v d="$(describe "$target")" -v r="$rps" -v p50="$p50" -v p99="$p99" -v br="$base_rps" -v bp="$base_p99" \
    'BEGIN { printf "| (%s) | %s | %.0f | %.2f | %.2f | %.0f%% | %.2f× |", t, d, r, p50, p99, 100 * r / br, p99 / bp }')"
done

open_table=""
if [ "$open_rate" -gt 0 ]; then
  read -r a_p99 a_p50 a_p999 a_cores <<< "$(median_round "${open_results[a]}")"
  read -r b_p99 b_p50 b_p999 b_cores <<< "$(median_round "${open_results[b]}")"
  open_table="$(awk -v r="$open_rate" -v ap50="$a_p50" -v ap99="$a_p99" -v ap999="$a_p999" -v ac="$a_cores" \
    -v bp50="$b_p50" -v bp99="$b_p99" -v bp999="$b_p999" -v bc="$b_cores" 'BEGIN {
    printf "Open model (perf/bench/ConstantRate: a fixed schedule, latency from each request'"'"'s scheduled time), both at %d req/s = half of (b)'"'"'s maximum, median round:\n\n", r
    printf "| target | p50 ms | p99 ms | p99.9 ms | p99 vs (a) | generator cores |\n|---|---:|---:|---:|---:|---:|\n"
    printf "| (a) | %.2f | %.2f | %.2f | 1.00× | %.2f |\n| (b) | %.2f | %.2f | %.2f | %.2f× | %.2f |", ap50, ap99, ap999, ac, bp50, bp99, bp999, bp99 / ap99, bc }')"
fi
machine="$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
versions="$( (java -version 2>&1 || true) | head -1); Vert.x 5.0.8; $(nginx -v 2>&1 || true); $( (wrk -v 2>&1 || true) | head -1 | cut -d' ' -f1-2)"
report="$(cat <<REPORT
<!-- bench:start (written by perf/bench.sh; edit outside the markers) -->
Run $(date -u +%Y-%m-%dT%H:%MZ) on $machine; $versions.
Load: \`wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s --latency\`, $ROUNDS rounds after warm-up (median round shown);
JVMs: \`$BENCH_JAVA_OPTS\`; everything (load generator included) shares the same cores.

$table

$open_table
<!-- bench:end -->
REPORT
)"
say ""
say "$table"
say ""
say "$open_table"
file="$ROOT/BENCHMARKS.md"
if [ -n "${BENCH_TARGETS:-}" ]; then
  say "A partial run (BENCH_TARGETS): $file left as it is"
elif [ -f "$file" ] && grep -q '<!-- bench:start' "$file"; then
  awk -v report="$report" '
    /<!-- bench:start/ { print report; skip = 1; next }
    /<!-- bench:end -->/ { skip = 0; next }
    !skip { print }' "$file" > "$file.tmp" && mv "$file.tmp" "$file"
else
  printf '# Benchmarks\n\n%s\n' "$report" > "$file"
fi
[ -n "${BENCH_TARGETS:-}" ] || say "Wrote $file"
