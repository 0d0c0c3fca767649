#!/usr/bin/env bash
# rolling-restart.sh SERVICE: restarts every running instance of SERVICE one at a time (for a new
# jar or new settings). Each instance drains gracefully (not ready, grace period, stops taking
# work, finishes what it has), starts again and must report ready before the next one goes; then
# the script waits ROLLING_SETTLE_SECONDS so every member has seen the new instance's event-bus
# consumers. When a single instance of a service runs, a temporary extra instance carries the
# traffic meanwhile, so no request fails. Gateways are restarted one at a time too: with a load
# balancer in front of two or more (deploy/nginx) no request fails; a lone gateway cannot be
# restarted without refusing connections for a few seconds, and the script says so.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: rolling-restart.sh SERVICE   (SERVICE: gateway, catalog, session, worker)"
service=$1
service_module "$service" >/dev/null
settle=${ROLLING_SETTLE_SECONDS:-2}

live=()
for n in $(instance_numbers "$service"); do
  running "$(pid_file "$service-$n")" && live+=("$n")
done
[ ${#live[@]} -gt 0 ] || die "no $service instance is running (start the cluster with up.sh)"

surge=""
if [ ${#live[@]} -eq 1 ]; then
  if [ "$service" = gateway ]; then
    say "warning: only one gateway runs; its clients are refused while it restarts (run two behind nginx)"
  else
    surge=$(( $(printf '%s\n' "${live[@]}" | sort -n | tail -1) + 1 ))
    say "Only one $service instance runs: starting $service-$surge to carry the traffic meanwhile..."
    start_instance "$service" "$surge"
    await_instance "$service" "$surge"
    sleep "$settle"
  fi
fi

# behind nginx a gateway leaves nginx's upstreams before it stops and rejoins once ready: nginx's
# passive checks alone would mark it failed while it restarts and, for fail_timeout, not send to it
# again, so the next gateway to stop could find nginx with no gateway it would use
behind_nginx=""
[ "$service" = gateway ] && nginx_enabled && nginx_running && behind_nginx=1

for n in "${live[@]}"; do
  say "Restarting $service-$n..."
  [ -n "$behind_nginx" ] && nginx_reload "$n"
  stop_pids "$(pid_file "$service-$n")"
  start_instance "$service" "$n"
  await_instance "$service" "$n"
  [ -n "$behind_nginx" ] && nginx_reload
  sleep "$settle"
done

if [ -n "$surge" ]; then
  say "Stopping the temporary $service-$surge..."
  stop_pids "$(pid_file "$service-$surge")"
fi
say "Restarted ${live[*]/#/$service-}."
