#!/usr/bin/env bash
# request-loop.sh URL... : a steady client that retries nothing. Requests the URLs in turn, one at
# a time, each with a 10 s timeout, about LOOP_RATE per second, until SIGTERM/SIGINT or LOOP_SECONDS
# (0: no limit). "{n}" in a URL becomes the request's number (to get past caches). Any answer
# other than 2xx/3xx, and any connection error or timeout, is a failure. At the end it prints
# "requests=N failed=F", one line per failure ("failed: EPOCH_SECONDS.MILLIS STATUS URL"; status
# 000 is no answer at all), and exits 1 if any request failed.
set -uo pipefail

[ $# -ge 1 ] || { echo "usage: request-loop.sh URL..." >&2; exit 2; }
rate=${LOOP_RATE:-20}
limit=${LOOP_SECONDS:-0}
pause=$(awk -v r="$rate" 'BEGIN { printf "%.3f", 1 / r }')
stop=0
trap 'stop=1' TERM INT

requests=0
failed=0
failures=()
start=$SECONDS
while [ "$stop" = 0 ]; do
  for url in "$@"; do
    [ "$stop" = 0 ] || break
    requests=$((requests + 1))
    target=${url//\{n\}/$requests}
    code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' "$target" 2>/dev/null)
    case $code in
      2??|3??) ;;
      *) failed=$((failed + 1)); failures+=("$(date +%s.%3N) $code $target") ;;
    esac
    sleep "$pause"
  done
  if [ "$limit" -gt 0 ] && [ $((SECONDS - start)) -ge "$limit" ]; then stop=1; fi
done

echo "requests=$requests failed=$failed"
for line in "${failures[@]}"; do echo "failed: $line"; done
[ "$failed" = 0 ]
