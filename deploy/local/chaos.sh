#!/usr/bin/env bash
# chaos.sh [SCENARIO...]: faults injected into the running local cluster (started with
# WITH_NGINX=1 deploy/local/up.sh: two gateways behind nginx, two instances of each service) under a
# constant arrival rate through nginx (perf's ConstantRate: a fixed schedule, latency from each
# request's scheduled time), each scenario asserting its promise. Scenarios:
#   catalog-kill   kill -9 of one of two catalog instances, restarted by the script
#   session-kill   the same for a session instance
#   catalog-stop   SIGSTOP of one catalog instance for CHAOS_STOP_SECONDS (15), then SIGCONT
#   catalog-stop-master  the same, of the catalog instance that is the oldest Hazelcast member (the master)
# Traffic: GET /api/ping, which asks one instance of catalog, session and worker for every request.
# Promises: every request succeeds for a kill (they are all GETs), >= 99.9% for a stop; p99 of the
# requests of the 3 s from the event <= 1 s for a kill; throughput back (>= 95% of the rate answered per
# second) within 3 s; the restarted or resumed instance back in the gateways' rotation within
# CHAOS_BACK_SECONDS (5 after a restart is ready, 30 after SIGCONT) and ready, never ready while
# outside the main cluster; an instance that left after the split healed (exit status 3) is started
# again, as compose and Kubernetes would.
# Events and samples carry wall-clock times; the report places them on the generator's timeline.
# Each scenario writes $RUN_DIR/chaos/SCENARIO.csv (second, ok, failed, p50_ms, p99_ms, in rotation)
# and SCENARIO.svg, and a summary line to $RUN_DIR/chaos/summary.txt.
# CHAOS_RATE (80 req/s: all of it comes from one address, below the anonymous rate limit of 100/s),
# CHAOS_SECONDS (30), CHAOS_EVENT_AT (8) size a run; CHAOS_EVENT_P99_MS (1000) is the kill promise's
# p99 bound.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

RATE=${CHAOS_RATE:-80}
SECONDS_RUN=${CHAOS_SECONDS:-30}
EVENT_AT=${CHAOS_EVENT_AT:-8}
STOP_SECONDS=${CHAOS_STOP_SECONDS:-15}
OUT=$RUN_DIR/chaos
PERF_JAR=$ROOT/perf/target/perf.jar
mkdir -p "$OUT"

nginx_enabled && nginx_running || die "nginx is not running: start the cluster with WITH_NGINX=1 deploy/local/up.sh"
[ -f "$PERF_JAR" ] || (cd "$ROOT" && mvn -B -q -ntp -f perf/pom.xml package -DskipTests) || die "cannot build $PERF_JAR"

# Instances of SERVICE that every gateway has in rotation (the smallest count), from their metrics.
in_rotation() {
  local service=$1 n min="" count
  for n in $(instance_numbers gateway); do
    count=$(curl -fsS -m 1 "http://127.0.0.1:$(mgmt_port gateway "$n")/metrics" 2>/dev/null \
      | awk -v t="target=\"$service\"" '/^bus_instances\{/ && index($0, t) && index($0, "state=\"available\"") { print int($2) }')
    count=${count:-0}
    if [ -z "$min" ] || [ "$count" -lt "$min" ]; then min=$count; fi
  done
  echo "${min:-0}"
}

# The running instance numbers of SERVICE.
live_numbers() { local n; for n in $(instance_numbers "$1"); do running "$(pid_file "$1-$n")" && echo "$n"; done; }

# The instance number of SERVICE whose Hazelcast member is the oldest (the master), by start time.
oldest_instance() {
  local service=$1 n pid best="" best_start=""
  for n in $(live_numbers "$service"); do
    pid=$(cat "$(pid_file "$service-$n")")
    start=$(awk '{ print $22 }' "/proc/$pid/stat")
    if [ -z "$best_start" ] || [ "$start" -lt "$best_start" ]; then best=$n; best_start=$start; fi
  done
  echo "$best"
}

wait_for() { # SECONDS DESCRIPTION COMMAND...: polls every 0.2 s; prints the seconds it took
  local limit=$1 what=$2 begin now
  shift 2
  begin=$(date +%s.%N)
  until "$@"; do
    now=$(date +%s.%N)
    if awk -v b="$begin" -v n="$now" -v l="$limit" 'BEGIN { exit !(n - b > l) }'; then
      die "$what: not within ${limit}s"
    fi
    sleep 0.2
  done
  awk -v b="$begin" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - b }'
}

rotation_is() { [ "$(in_rotation "$1")" -ge "$2" ]; }

# A node dropped from the cluster (a pause past the heartbeat timeout) is never ready outside it
# and, merged back, exits with status 3 to be started afresh: back in rotation, or some instance gone.
back_or_left() {
  local s n
  rotation_is "$1" "$2" && return 0
  for s in "${SERVICES[@]}"; do
    for n in $(instance_numbers "$s"); do running "$(pid_file "$s-$n")" || return 0; done
  done
  return 1
}

# Starts again every instance that exited (the local cluster has no supervisor; compose and
# Kubernetes restart such a container themselves).
restart_the_departed() {
  local log=$1 s n
  for s in "${SERVICES[@]}"; do
    for n in $(instance_numbers "$s"); do
      running "$(pid_file "$s-$n")" && continue
      say "$s-$n left the cluster after the split healed; starting it again"
      rm -f "$(pid_file "$s-$n")"
      start_instance "$s" "$n"
      await_instance "$s" "$n"
      echo "event,$(date +%s%3N),$s-$n restarted" >> "$log"
    done
  done
}
rotation_below() { [ "$(in_rotation "$1")" -lt "$2" ]; }

run_scenario() {
  local scenario=$1 service victim pid expected event_log=$OUT/$1.events gen_out=$OUT/$1.generator
  case $scenario in
    catalog-kill|catalog-stop|catalog-stop-master) service=catalog ;;
    session-kill) service=session ;;
    *) die "unknown scenario '$scenario' (catalog-kill, session-kill, catalog-stop, catalog-stop-master)" ;;
  esac
  mapfile -t live < <(live_numbers "$service")
  [ ${#live[@]} -ge 2 ] || die "$scenario needs two running $service instances (deploy/local/scale.sh $service 2)"
  expected=${#live[@]}
  wait_for 10 "all $expected $service instances in rotation" rotation_is "$service" "$expected" >/dev/null
  victim=${live[-1]}
  [ "$scenario" = catalog-stop-master ] && victim=$(oldest_instance catalog)
  pid=$(cat "$(pid_file "$service-$victim")")
  say "== $scenario: $RATE req/s for ${SECONDS_RUN}s through nginx; $service-$victim (pid $pid) at ${EVENT_AT}s"
  : > "$event_log"
  java -Xms128m -Xmx128m -XX:+UseSerialGC -cp "$PERF_JAR" io.scaleout.perf.bench.ConstantRate \
    "http://127.0.0.1:$NGINX_PORT/api/ping" "$RATE" "$SECONDS_RUN" 64 3 "$OUT/$scenario.timeline" > "$gen_out" 2>&1 &
  local generator=$!
  sleep 3 # the generator's warm-up (its timeline says when its measured run began)
  # what every gateway has in rotation, once a second, for the timeline
  ( for ((s = 0; s < SECONDS_RUN; s++)); do echo "$(date +%s%3N),$(in_rotation "$service")"; sleep 1; done ) > "$OUT/$scenario.rotation" &
  local sampler=$!
  sleep "$EVENT_AT"
  local back
  case $scenario in
    *-kill)
      kill -KILL "$pid"
      echo "event,$(date +%s%3N),kill -9" >> "$event_log"
      wait_for 5 "$service-$victim ejected" rotation_below "$service" "$expected" >/dev/null
      rm -f "$(pid_file "$service-$victim")"
      start_instance "$service" "$victim"
      await_instance "$service" "$victim"
      echo "event,$(date +%s%3N),restarted and ready" >> "$event_log"
      back=$(wait_for "${CHAOS_BACK_SECONDS:-5}" "the restarted $service-$victim in rotation" rotation_is "$service" "$expected")
      ;;
    *-stop*)
      kill -STOP "$pid"
      echo "event,$(date +%s%3N),SIGSTOP" >> "$event_log"
      local ejected
      ejected=$(wait_for 2 "the stopped $service-$victim ejected" rotation_below "$service" "$expected")
      say "ejected ${ejected}s after SIGSTOP"
      sleep "$STOP_SECONDS"
      kill -CONT "$pid"
      echo "event,$(date +%s%3N),SIGCONT" >> "$event_log"
      back=$(wait_for "${CHAOS_BACK_SECONDS:-30}" "the resumed $service-$victim back in rotation, or gone to be restarted" \
        back_or_left "$service" "$expected")
      restart_the_departed "$event_log"
      local restored
      restored=$(wait_for "${CHAOS_BACK_SECONDS:-30}" "every $service instance in rotation" rotation_is "$service" "$expected")
      back="$back+$restored" # to rotation or departure, then to rotation after any restart
      ready "$(mgmt_port "$service" "$victim")" || die "$service-$victim in rotation but not ready"
      ;;
  esac
  say "back in rotation ${back}s after it was ready again (kill), or resumed (stop: to rotation or departure + after a restart)"
  wait "$generator" || die "the load generator failed: $(cat "$gen_out")"
  wait "$sampler" || true
  python3 "$ROOT/deploy/local/chaos/report.py" "$scenario" "$OUT" "$RATE" "$back" "${CHAOS_EVENT_P99_MS:-1000}" >> "$OUT/summary.txt" \
    || { tail -1 "$OUT/summary.txt" >&2; die "$scenario: a promise was not kept (see $OUT/$scenario.csv)"; }
  tail -1 "$OUT/summary.txt"
}

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(catalog-kill session-kill catalog-stop catalog-stop-master)
broken=()
for scenario in "${scenarios[@]}"; do
  # each in a subshell: a broken promise is reported, and the next scenario still runs
  ( run_scenario "$scenario" ) || broken+=("$scenario")
done
[ ${#broken[@]} = 0 ] || die "chaos: promises not kept by ${broken[*]} (figures in $OUT/summary.txt)"
say "chaos: ${scenarios[*]}: every promise kept (figures in $OUT/summary.txt)"
