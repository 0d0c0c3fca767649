#!/usr/bin/env bash
# chaos.sh [SCENARIO...]: faults injected into the running local cluster (started with
# WITH_NGINX=1 deploy/local/up.sh: two gateways behind nginx, two instances of each service) under a
# constant arrival rate through nginx (perf's ConstantRate: a fixed schedule, latency from each
# request's scheduled time), each scenario asserting its promise. Scenarios (all by default):
#   catalog-kill   kill -9 of one of two catalog instances, restarted by the script
#   session-kill   the same for a session instance
#   catalog-stop   SIGSTOP of one catalog instance for CHAOS_STOP_SECONDS (15), then SIGCONT
#   catalog-stop-master  the same, of the catalog instance that is the oldest Hazelcast member (the master)
#   gateway-kill   kill -9 of one of two gateways behind nginx, restarted by the script
#   worker-kill    kill -9 of one of two workers during CHAOS_JOBS (2000) thumbnail jobs, restarted
#   redis-stop     Redis stopped for CHAOS_OUTAGE_SECONDS (20), then started again
#   replica-stop   the Postgres replica stopped for CHAOS_OUTAGE_SECONDS, then started again
#   kafka-stop     Kafka killed for CHAOS_KAFKA_SECONDS (30), then started again
#   pg-slow        Postgres behind the project's TCP fault proxy: +CHAOS_PG_LATENCY_MS (300) for
#                  CHAOS_OUTAGE_SECONDS, then stalled CHAOS_PG_STALL_SECONDS (5), then every connection closed
# Traffic: GET /api/ping (asks one instance of catalog, session and worker) for the instance
# scenarios; uncached catalog reads (GET /api/products?q=chaos<n>) for the dependency scenarios,
# with probes of what depends on the stopped part (a shopper's cart, catalog writes, job submissions).
# Promises (each scenario's comment in chaos/ says its own): every GET answered for a kill (>= 99.9%
# for a stop or a gateway kill); p99 of the requests of the 3 s from a kill <= CHAOS_EVENT_P99_MS
# (1000); throughput back (>= 95% of the rate answered over any three seconds) within 3 s; the instance back in
# rotation within CHAOS_BACK_SECONDS; what depends on a stopped dependency fails clearly (503 with
# Retry-After, at once) and recovers by itself; nothing accepted is lost.
# Each scenario writes $RUN_DIR/chaos/SCENARIO.csv (second, ok, failed, p50_ms, p99_ms, sampled state)
# and SCENARIO.svg, and its summary lines to $RUN_DIR/chaos/summary.txt.
# CHAOS_RATE (80 req/s: all of it comes from one address, below the anonymous rate limit of 100/s),
# CHAOS_SECONDS (30), CHAOS_EVENT_AT (8) size a run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$ROOT/deploy/local/chaos/lib.sh"
. "$ROOT/deploy/local/chaos/instances.sh"
. "$ROOT/deploy/local/chaos/dependencies.sh"
. "$ROOT/deploy/local/chaos/jobs.sh"
. "$ROOT/deploy/local/chaos/postgres.sh"

ALL=(catalog-kill session-kill catalog-stop catalog-stop-master gateway-kill worker-kill redis-stop replica-stop kafka-stop pg-slow)
mkdir -p "$OUT"
nginx_enabled && nginx_running || die "nginx is not running: start the cluster with WITH_NGINX=1 deploy/local/up.sh"
[ -f "$PERF_JAR" ] || (cd "$ROOT" && mvn -B -q -ntp -f perf/pom.xml package -DskipTests) || die "cannot build $PERF_JAR"

run_scenario() {
  scenario=$1
  # an instance the last scenario left behind (a node starved out of the cluster leaves with
  # status 3) is started first, as compose and Kubernetes would
  restart_the_departed
  case $scenario in
    catalog-kill) scenario_instance_kill catalog ;;
    session-kill) scenario_instance_kill session ;;
    catalog-stop) scenario_instance_stop last ;;
    catalog-stop-master) scenario_instance_stop master ;;
    gateway-kill) scenario_gateway_kill ;;
    worker-kill) scenario_worker_kill ;;
    redis-stop) scenario_redis_stop ;;
    replica-stop) scenario_replica_stop ;;
    kafka-stop) scenario_kafka_stop ;;
    pg-slow) scenario_pg_slow ;;
    *) die "unknown scenario '$scenario' (${ALL[*]})" ;;
  esac
}

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=("${ALL[@]}")
broken=()
for scenario in "${scenarios[@]}"; do
  # each in a subshell: a broken promise is reported, and the next scenario still runs. Not as
  # `( ... ) || ...`: bash ignores set -e in what runs left of ||, and a failed wait would pass.
  set +e
  ( set -e; run_scenario "$scenario" )
  status=$?
  set -e
  [ "$status" = 0 ] || broken+=("$scenario")
done
[ ${#broken[@]} = 0 ] || die "chaos: promises not kept by ${broken[*]} (figures in $OUT/summary.txt)"
say "chaos: ${scenarios[*]}: every promise kept (figures in $OUT/summary.txt)"
