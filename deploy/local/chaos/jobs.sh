# The worker-kill scenario (sourced by deploy/local/chaos.sh after dependencies.sh, whose API
# helpers it uses): CHAOS_JOBS (2000) thumbnail jobs queued through the gateways, one of two
# workers killed with kill -9 once CHAOS_KILL_AFTER (300) of them succeeded, restarted; no job lost
# and every product's images set once (chaos/jobs.py checks each).

JOBS=${CHAOS_JOBS:-2000}

jobs_succeeded() { metric_sum worker worker_jobs_total 'result="succeeded"'; }

scenario_worker_kill() {
  local admin victim pid members before out=$OUT/$scenario begin
  [ "$(live_count worker)" -ge 2 ] || die "worker-kill needs two running worker instances"
  admin=$(admin_token)
  [ -n "$admin" ] || die "the administrator cannot log in"
  say "== $scenario: $JOBS thumbnail jobs; kill -9 of a worker after ${CHAOS_KILL_AFTER:-300} succeeded"
  python3 "$CHAOS_DIR/jobs.py" prepare "$BASE" "$admin" "$JOBS" "$out.products" || die "cannot create the products"
  before=$(jobs_succeeded)
  begin=$(date +%s)
  python3 "$CHAOS_DIR/jobs.py" submit "$BASE" "$admin" "$out.products" || die "a job submission failed"
  wait_for 300 "${CHAOS_KILL_AFTER:-300} jobs succeeded" above worker worker_jobs_total 'result="succeeded"' \
    "$(awk -v b="$before" -v k="${CHAOS_KILL_AFTER:-300}" 'BEGIN { print b + k }')" >/dev/null
  victim=$(live_numbers worker | tail -1)
  pid=$(cat "$(pid_file "worker-$victim")")
  members=$(members_seen)
  kill -KILL "$pid"
  say "kill -9 worker-$victim with $(awk -v a="$(jobs_succeeded)" -v b="$before" 'BEGIN { print a - b }') of $JOBS jobs done"
  wait_for 15 "the killed worker dropped from the cluster" members_below "$members" >/dev/null
  restart_instance worker "$victim"
  python3 "$CHAOS_DIR/jobs.py" check "$BASE" "$admin" "$out.products" 600 | tee -a "$OUT/summary.txt"
  local verdict=${PIPESTATUS[0]}
  say "  all $JOBS jobs ended $(( $(date +%s) - begin )) s after the first submission" | tee -a "$OUT/summary.txt"
  [ "$verdict" = 0 ] || die "$scenario: a job was lost or a product's images were not set once"
}
