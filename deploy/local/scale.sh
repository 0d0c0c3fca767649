#!/usr/bin/env bash
# scale.sh SERVICE N: runs N instances of one service while the rest of the cluster keeps running.
# New instances join the cluster and get event-bus traffic as soon as they are ready; removed
# instances (the highest numbers) drain gracefully first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: scale.sh SERVICE N   (SERVICE: gateway, catalog, session, worker)"
service=$1
want=$2
service_module "$service" >/dev/null
[[ "$want" =~ ^[0-9]+$ ]] && [ "$want" -le 20 ] || die "N must be a number 0..20"
build_jars_if_absent

live=()
for n in $(instance_numbers "$service"); do
  if running "$(pid_file "$service-$n")"; then live+=("$n"); else rm -f "$(pid_file "$service-$n")"; fi
done

if [ ${#live[@]} -lt "$want" ]; then
  n=1
  while [ ${#live[@]} -lt "$want" ]; do
    if ! running "$(pid_file "$service-$n")"; then
      start_instance "$service" "$n"
      await_instance "$service" "$n"
      live+=("$n")
    fi
    n=$((n + 1))
  done
elif [ ${#live[@]} -gt "$want" ]; then
  mapfile -t surplus < <(printf '%s\n' "${live[@]}" | sort -rn | head -n $((${#live[@]} - want)))
  files=()
  for n in "${surplus[@]}"; do files+=("$(pid_file "$service-$n")"); done
  say "Stopping ${surplus[*]/#/$service-}..."
  stop_pids "${files[@]}"
fi

if [ "$service" = gateway ] && nginx_enabled && [ "$want" -gt 0 ]; then ensure_nginx; fi

"$ROOT/deploy/local/status.sh"
