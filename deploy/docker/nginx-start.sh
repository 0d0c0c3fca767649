#!/bin/bash
# The scaleout/nginx entrypoint. nginx resolves an upstream's name once, when it reads its
# configuration, so a gateway that restarts (a new address) or is added by scaling would be missed.
# This script resolves GATEWAY_NAME every GATEWAY_RESOLVE_SECONDS and, when the set of addresses
# changes, writes one `server` line per gateway into gateways.conf and reloads nginx (its workers
# are replaced; requests in flight finish). It stops nginx when it is stopped itself.
set -uo pipefail
# PID 1 gets no default signal handling: stopped before nginx runs, it just exits
trap 'exit 0' TERM INT
dir=/tmp/nginx
mkdir -p "$dir"
cp /etc/scaleout-nginx/nginx.conf "$dir/nginx.conf"
echo "listen $NGINX_PORT;" > "$dir/listen.conf"

gateways() { getent ahostsv4 "$GATEWAY_NAME" 2>/dev/null | awk '$2 == "STREAM" {print $1}' | sort -u; }

write_upstreams() {
  local addresses=$1 line
  : > "$dir/gateways.conf.new"
  for line in $addresses; do
    echo "server $line:$GATEWAY_PORT max_fails=1 fail_timeout=5s;" >> "$dir/gateways.conf.new"
  done
  mv "$dir/gateways.conf.new" "$dir/gateways.conf"
}

current=""
until current=$(gateways) && [ -n "$current" ]; do
  echo "nginx-start: waiting for $GATEWAY_NAME to resolve..."
  sleep 1 & wait $!
done
write_upstreams "$current"
nginx -p "$dir" -c "$dir/nginx.conf" -e stderr -g "daemon off;" &
nginx_pid=$!
trap 'kill -QUIT "$nginx_pid" 2>/dev/null; wait "$nginx_pid"; exit 0' TERM INT
echo "nginx-start: gateways $(echo $current)"

while kill -0 "$nginx_pid" 2>/dev/null; do
  sleep "$GATEWAY_RESOLVE_SECONDS" & wait $!
  found=$(gateways)
  # a name that resolves to nothing (every gateway restarting at once) keeps the last set
  if [ -n "$found" ] && [ "$found" != "$current" ]; then
    write_upstreams "$found"
    if nginx -p "$dir" -c "$dir/nginx.conf" -e stderr -s reload; then
      current=$found
      echo "nginx-start: gateways now $(echo $current)"
    fi
  fi
done
wait "$nginx_pid"
