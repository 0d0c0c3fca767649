#!/usr/bin/env bash
# smoke.sh [N]: sends N (default 100) pings through the gateway; every one must answer 200, and
# the catalog instances must share them (the event bus round-robins): each above 60% of a fair
# share, so above 30% each with two instances.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pings=${1:-100}
url="http://127.0.0.1:$(http_port 1)/api/ping"
declare -A served=()
failed=0
for _ in $(seq 1 "$pings"); do
  body=$(curl -fsS -m 5 "$url") || { failed=$((failed + 1)); continue; }
  instance=$(printf '%s' "$body" | sed -n 's/.*"catalog":"\([^"]*\)".*/\1/p')
  [ -n "$instance" ] || { failed=$((failed + 1)); continue; }
  served[$instance]=$(( ${served[$instance]:-0} + 1 ))
done

say "pings: $pings, failed: $failed"
for instance in "${!served[@]}"; do say "  $instance served ${served[$instance]}"; done
[ "$failed" -eq 0 ] || die "$failed pings failed"
instances=${#served[@]}
[ "$instances" -ge 2 ] || die "only $instances catalog instance answered; expected at least 2"
for instance in "${!served[@]}"; do
  # a fair share is pings/instances; accept anything above 60% of it (30% each with two)
  [ $((served[$instance] * instances * 10)) -gt $((pings * 6)) ] || die "$instance got only ${served[$instance]} of $pings"
done
base="http://127.0.0.1:$(http_port 1)"
for path in "/api/products?limit=5" "/api/products?sort=-price&limit=3" "/api/categories"; do
  curl -fsS -m 5 -o /dev/null "$base$path" || die "GET $path failed"
done
status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$base/api/products?limit=0")
[ "$status" = 400 ] || die "GET /api/products?limit=0 answered $status, expected 400"
say "smoke test passed: every ping answered, load spread over $instances catalog instances, catalog API answers"
