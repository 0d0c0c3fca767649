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
curl -fsS -m 5 "$base/" | grep -q 'scaleout shop' || die "GET / does not serve the web UI"
curl -fsS -m 5 "$base/api/storefront" | grep -q '"degraded":\[\]' || die "GET /api/storefront is degraded or failing"
status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$base/api/products?limit=0")
[ "$status" = 400 ] || die "GET /api/products?limit=0 answered $status, expected 400"
# a shopper's round trip: register, log in, add a product the admin created, log out
json() { curl -sS -m 15 -H 'Content-Type: application/json' "$@"; }
admin_token=$(json -X POST "$base/api/sessions" -d "{\"email\":\"$(admin_email)\",\"password\":\"$(admin_password)\"}" \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$admin_token" ] || die "the administrator cannot log in"
sku="smoke-$(date +%s)-$$"
product=$(json -X POST "$base/api/products" -H "Authorization: Bearer $admin_token" \
  -d "{\"sku\":\"$sku\",\"name\":\"Smoke mug\",\"category\":\"smoke\",\"priceCents\":500,\"currency\":\"EUR\",\"stock\":3}" \
  | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
[ -n "$product" ] || die "the administrator cannot create a product"
# the new category reaches the worker's facets: catalog outbox -> Kafka -> projection -> Redis -> gateway
facets_ok=0
for _ in $(seq 1 40); do
  if curl -fsS -m 5 "$base/api/catalog/facets" | grep -q '"category":"smoke"'; then facets_ok=1; break; fi
  sleep 0.5
done
[ "$facets_ok" = 1 ] || die "the smoke category never appeared in GET /api/catalog/facets"
email="shopper-$sku@example.org"
status=$(json -o /dev/null -w '%{http_code}' -X POST "$base/api/users" -d "{\"email\":\"$email\",\"password\":\"smoke test password\",\"name\":\"Smoke\"}")
[ "$status" = 201 ] || die "register answered $status"
token=$(json -X POST "$base/api/sessions" -d "{\"email\":\"$email\",\"password\":\"smoke test password\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "login failed"
status=$(json -o /dev/null -w '%{http_code}' -X PUT "$base/api/cart/items/$product" -H "Authorization: Bearer $token" -d '{"quantity":2}')
[ "$status" = 200 ] || die "adding to the cart answered $status"
json "$base/api/cart" -H "Authorization: Bearer $token" | grep -q "\"productId\":$product" || die "the cart does not hold the product"
json "$base/api/storefront" -H "Authorization: Bearer $token" | grep -q '"cart":{"count":2' || die "the storefront does not show the cart"
status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$base/api/jobs/00000000-0000-4000-8000-000000000000" -H "Authorization: Bearer $token")
[ "$status" = 404 ] || die "GET /api/jobs/{unknown id} answered $status, expected 404 from the worker's job records"
status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -X DELETE "$base/api/sessions/current" -H "Authorization: Bearer $token")
[ "$status" = 204 ] || die "logout answered $status"
status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$base/api/cart" -H "Authorization: Bearer $token")
[ "$status" = 401 ] || die "after logout the cart answered $status"

say "smoke test passed: every ping answered, load spread over $instances catalog instances, catalog API answers, web UI, storefront, facets and register/login/cart/logout work"
