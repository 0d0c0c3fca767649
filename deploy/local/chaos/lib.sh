# Shared by the chaos scenarios (sourced by deploy/local/chaos.sh after deploy/local/lib.sh): the
# load generator and the per-second sampler of one run, events on its timeline, waits, and what
# the gateways have in rotation.

RATE=${CHAOS_RATE:-80}
SECONDS_RUN=${CHAOS_SECONDS:-30}
EVENT_AT=${CHAOS_EVENT_AT:-8}
STOP_SECONDS=${CHAOS_STOP_SECONDS:-15}
OUTAGE_SECONDS=${CHAOS_OUTAGE_SECONDS:-20}
OUT=$RUN_DIR/chaos
PERF_JAR=$ROOT/perf/target/perf.jar
CHAOS_DIR=$ROOT/deploy/local/chaos

# What every running gateway reports of the metric line starting with PREFIX and holding each LABEL
# (e.g. bus_instances{ target="catalog" state="available"), one line each (0 when one does not answer).
gateways_report() {
  local prefix=$1 n count
  shift
  for n in $(live_numbers gateway); do
    count=$(curl -fsS -m 1 "http://127.0.0.1:$(mgmt_port gateway "$n")/metrics" 2>/dev/null \
      | awk -v p="$prefix" -v labels="$*" 'BEGIN { k = split(labels, want, " ") }
          index($0, p) == 1 { for (i = 1; i <= k; i++) if (!index($0, want[i])) next; print int($2) }')
    echo "${count:-0}"
  done
}
# the smallest and the largest of those (0 when no gateway runs)
gateways_min() { gateways_report "$@" | sort -n | head -1 | grep . || echo 0; }
gateways_max() { gateways_report "$@" | sort -n | tail -1 | grep . || echo 0; }

# Instances of SERVICE that every gateway has in rotation.
in_rotation() { gateways_min 'bus_instances{' "target=\"$1\"" 'state="available"'; }
rotation_is() { [ "$(in_rotation "$1")" -ge "$2" ]; }
rotation_below() { [ "$(in_rotation "$1")" -lt "$2" ]; }

# The running instance numbers of SERVICE.
live_numbers() { local n; for n in $(instance_numbers "$1"); do running "$(pid_file "$1-$n")" && echo "$n"; done; }
live_count() { live_numbers "$1" | wc -l; }

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

# begin_run SCENARIO URL RUN_SECONDS SAMPLER...: RATE req/s on URL through nginx for RUN_SECONDS
# (after a 3 s warm-up), and SAMPLER's output once a second for the timeline.
begin_run() {
  scenario=$1
  local url=$2 run_seconds=$3
  shift 3
  event_log=$OUT/$scenario.events
  : > "$event_log"
  say "== $scenario: $RATE req/s for ${run_seconds}s through nginx on $url"
  java -Xms128m -Xmx128m -XX:+UseSerialGC -cp "$PERF_JAR" io.scaleout.perf.bench.ConstantRate \
    "http://127.0.0.1:$NGINX_PORT$url" "$RATE" "$run_seconds" "${CHAOS_CONNECTIONS:-200}" 3 "$OUT/$scenario.timeline" > "$OUT/$scenario.generator" 2>&1 &
  generator=$!
  sleep 3 # the generator's warm-up (its timeline says when its measured run began)
  ( for ((s = 0; s < run_seconds; s++)); do echo "$(date +%s%3N),$("$@")"; sleep 1; done ) > "$OUT/$scenario.samples" &
  sampler=$!
}

# event WHAT: a line on the run's timeline (the first one is the fault itself)
event() { echo "event,$(date +%s%3N),$*" >> "$event_log"; }

# end_run RECOVERY REPORT-OPTION...: waits for the generator, checks the promises (report.py)
end_run() {
  local recovery=$1
  shift
  wait "$generator" || die "the load generator failed: $(cat "$OUT/$scenario.generator")"
  wait "$sampler" || true
  python3 "$CHAOS_DIR/report.py" "$scenario" "$OUT" "$RATE" --back "$recovery" "$@" >> "$OUT/summary.txt" \
    || { tail -1 "$OUT/summary.txt" >&2; die "$scenario: a promise was not kept (see $OUT/$scenario.csv)"; }
  tail -1 "$OUT/summary.txt"
}
