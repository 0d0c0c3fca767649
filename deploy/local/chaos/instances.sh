# Chaos scenarios that take an instance away (sourced by deploy/local/chaos.sh): kill -9 of a
# catalog, session or gateway instance, restarted by the script, and SIGSTOP of a catalog instance
# (also of the Hazelcast master) for STOP_SECONDS.

# The instance number of SERVICE whose Hazelcast member is the oldest (the master), by start time.
oldest_instance() {
  local service=$1 n pid start best="" best_start=""
  for n in $(live_numbers "$service"); do
    pid=$(cat "$(pid_file "$service-$n")")
    start=$(awk '{ print $22 }' "/proc/$pid/stat")
    if [ -z "$best_start" ] || [ "$start" -lt "$best_start" ]; then best=$n; best_start=$start; fi
  done
  echo "$best"
}

# A node dropped from the cluster (a pause past the heartbeat timeout) is never ready outside it
# and leaves with status 3 to be started afresh: back in rotation, or some instance gone.
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
  local s n
  for s in "${SERVICES[@]}"; do
    for n in $(instance_numbers "$s"); do
      running "$(pid_file "$s-$n")" && continue
      say "$s-$n is gone (it left with exit status 3 after a split, or failed); starting it again"
      # not while the others still count its old member (see members_seen); with no gateway to
      # ask, after the heartbeat timeout
      if [ "$(live_count gateway)" -gt 0 ]; then
        wait_for 30 "the departed $s-$n dropped from every gateway's view of the cluster" members_settled >/dev/null
      else
        sleep 7
      fi
      restart_instance "$s" "$n"
      [ -z "${event_log:-}" ] || event "$s-$n restarted"
    done
  done
}

restart_instance() { rm -f "$(pid_file "$1-$2")"; start_instance "$1" "$2"; await_instance "$1" "$2"; }

# Members every gateway sees in the cluster (the smallest count). A killed instance is started again
# only once they no longer count it: started on its old Hazelcast address while the others still
# list the old member, a new node's join raced the old one's removal and it hung for two minutes in
# start-up, then failed ("Not Member!" for a partition the cluster had given it).
members_seen() { gateways_min 'cluster_members{' 'state="present"'; }
members_most() { gateways_max 'cluster_members{' 'state="present"'; }
# every gateway sees exactly the instances running (no departed member still counted)
members_settled() {
  local s total=0
  for s in "${SERVICES[@]}"; do total=$((total + $(live_count "$s"))); done
  [ "$(members_most)" -le "$total" ] && [ "$(members_seen)" -ge "$total" ]
}
members_below() { [ "$(members_seen)" -lt "$1" ]; }

# Waits until CHAOS_RESTART_AFTER_S (3) have passed since EPOCH_MS: a killed instance is started again
# only after the measured window around the kill. A supervisor would start it elsewhere (another
# host, another pod); here its start-up (JIT, joining the cluster) would take the two cores the
# survivors serve on, and be measured as the kill's cost.
restart_delay_from() {
  local left
  left=$(awk -v at="$1" -v now="$(date +%s%3N)" -v after="${CHAOS_RESTART_AFTER_S:-3}" \
    'BEGIN { l = at / 1000 + after - now / 1000; printf "%.3f", (l > 0 ? l : 0) }')
  sleep "$left"
}

# Two or more running instances of SERVICE, all in rotation; prints their count.
ready_pair() {
  local service=$1 count
  count=$(live_count "$service")
  [ "$count" -ge 2 ] || die "$scenario needs two running $service instances (deploy/local/scale.sh $service 2)"
  wait_for 10 "all $count $service instances in rotation" rotation_is "$service" "$count" >/dev/null
  echo "$count"
}

# kill -9 of SERVICE's last instance: every GET answered, p99 of the 3 s from the kill <= CHAOS_EVENT_P99_MS,
# the instance restarted (after those 3 s) in rotation within CHAOS_BACK_SECONDS (5) of being ready.
scenario_instance_kill() {
  local service=$1 expected victim pid back members killed_at
  expected=$(ready_pair "$service")
  victim=$(live_numbers "$service" | tail -1)
  pid=$(cat "$(pid_file "$service-$victim")")
  begin_run "$scenario" /api/ping "$SECONDS_RUN" in_rotation "$service"
  sleep "$EVENT_AT"
  members=$(members_seen)
  kill -KILL "$pid"
  killed_at=$(date +%s%3N)
  event "kill -9 $service-$victim"
  wait_for 5 "$service-$victim ejected" rotation_below "$service" "$expected" >/dev/null
  wait_for 15 "the killed member dropped from the cluster" members_below "$members" >/dev/null
  restart_delay_from "$killed_at"
  restart_instance "$service" "$victim"
  event "restarted and ready"
  back=$(wait_for "${CHAOS_BACK_SECONDS:-5}" "the restarted $service-$victim in rotation" rotation_is "$service" "$expected")
  say "back in rotation ${back}s after it was ready again"
  end_run "$back" --min-ok 1 --p99-ms "${CHAOS_EVENT_P99_MS:-1000}"
}

# SIGSTOP of a catalog instance (the last, or with "master" the oldest member) for STOP_SECONDS:
# ejected within 2 s, >= 99.9% answered; after SIGCONT back in rotation or gone (then restarted)
# within CHAOS_BACK_SECONDS (30), and never ready outside the main cluster.
scenario_instance_stop() {
  local which=$1 expected victim pid ejected back restored
  expected=$(ready_pair catalog)
  victim=$(live_numbers catalog | tail -1)
  [ "$which" = master ] && victim=$(oldest_instance catalog)
  pid=$(cat "$(pid_file "catalog-$victim")")
  begin_run "$scenario" /api/ping "$SECONDS_RUN" in_rotation catalog
  sleep "$EVENT_AT"
  kill -STOP "$pid"
  event "SIGSTOP catalog-$victim"
  ejected=$(wait_for 2 "the stopped catalog-$victim ejected" rotation_below catalog "$expected")
  say "ejected ${ejected}s after SIGSTOP"
  sleep "$STOP_SECONDS"
  kill -CONT "$pid"
  event "SIGCONT"
  back=$(wait_for "${CHAOS_BACK_SECONDS:-30}" "the resumed catalog-$victim back in rotation, or gone to be restarted" \
    back_or_left catalog "$expected")
  restart_the_departed
  restored=$(wait_for "${CHAOS_BACK_SECONDS:-30}" "every catalog instance in rotation" rotation_is catalog "$expected")
  ready "$(mgmt_port catalog "$victim")" || die "catalog-$victim in rotation but not ready"
  say "back ${back}s after SIGCONT (to rotation or departure), then ${restored}s to rotation"
  # throughput is judged from 3 s after SIGCONT: the stop is the fault (the cluster dropping the
  # stopped member 6 s into it delays answers by up to a second, on every JVM at once); SIGCONT came
  # the ejection's wait plus the stop's length after SIGSTOP
  end_run "$back+$restored" --min-ok 0.999 \
    --fault-ms "$(awk -v stop="$STOP_SECONDS" -v ejected="$ejected" 'BEGIN { printf "%d", (stop + ejected) * 1000 }')"
}

# Requests gateway-N has answered on its API (its access log's lines), for "the restarted gateway takes traffic".
gateway_requests() { grep -c '"logger":"access"' "$LOG_DIR/gateway-$1.log" 2>/dev/null || true; }
gateway_serves() { [ "$(gateway_requests "$1")" -gt "$2" ]; }

# kill -9 of a gateway behind nginx: >= 99.9% answered (nginx passes idempotent requests on to the
# other gateway); the restarted gateway takes traffic within CHAOS_BACK_SECONDS (nginx's fail_timeout
# of 5 s plus a margin: 8).
scenario_gateway_kill() {
  local victim pid back members killed_at
  [ "$(live_count gateway)" -ge 2 ] || die "gateway-kill needs two gateways behind nginx"
  victim=$(live_numbers gateway | tail -1)
  pid=$(cat "$(pid_file "gateway-$victim")")
  begin_run "$scenario" /api/ping "$SECONDS_RUN" live_count gateway
  sleep "$EVENT_AT"
  members=$(members_seen)
  kill -KILL "$pid"
  killed_at=$(date +%s%3N)
  event "kill -9 gateway-$victim"
  wait_for 15 "the killed gateway dropped from the cluster" members_below "$members" >/dev/null
  restart_delay_from "$killed_at"
  restart_instance gateway "$victim"
  event "restarted and ready"
  back=$(wait_for "${CHAOS_BACK_SECONDS:-8}" "the restarted gateway-$victim serving through nginx" \
    gateway_serves "$victim" "$(gateway_requests "$victim")")
  say "the restarted gateway took traffic ${back}s after it was ready"
  end_run "$back" --min-ok 0.999 --label "gateways running"
}
