#!/usr/bin/env bash
# smoke.sh [N]: sends N (default 100) pings through the gateway; every one must answer 200, and
# the catalog instances must share them (the event bus round-robins): each above 60% of a fair
# share, so above 30% each with two instances. Then the catalog API, the web UI, PNG and JPEG thumbnail
# jobs and a shopper's round trip. SMOKE_URL (the first gateway of the local cluster) points it
# elsewhere, e.g. at the compose cluster's nginx; ADMIN_PASSWORD is the administrator's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pings=${1:-100}
base=${SMOKE_URL:-http://127.0.0.1:$(http_port 1)}
url="$base/api/ping"
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

# thumbnail jobs end to end, one PNG and one JPEG (each format has its own codec in the runtime):
# upload through the gateway, the worker scales it (reading the workspace the gateway wrote), the
# catalog gets the images, the gateway serves them
image=$(mktemp)
trap 'rm -f "$image" "$image.headers"' EXIT
thumbnail_job() {
  local type=$1 job job_status= job_body= thumbnail
  base64 -d > "$image" <<< "$2"
  # 202 names the job; so does a 504 (the worker answered too late: the job may run, its upload is kept)
  local code
  code=$(curl -sS -m 20 -D "$image.headers" -o /dev/null -w '%{http_code}' -X POST "$base/api/products/$product/image" \
    -H "Authorization: Bearer $admin_token" -H "Content-Type: $type" --data-binary "@$image") || true
  job=$(tr -d '\r' < "$image.headers" | sed -n 's|^[Ll]ocation: /api/jobs/\(.*\)$|\1|p')
  case "$code" in
    202) ;;
    504) say "the $type submission timed out at the gateway; following its job $job" ;;
    *) job= ;;
  esac
  [ -n "$job" ] || die "the $type upload was not accepted as a job (HTTP $code)"
  for _ in $(seq 1 120); do
    job_body=$(curl -fsS -m 5 "$base/api/jobs/$job" -H "Authorization: Bearer $admin_token" || true)
    job_status=$(printf '%s' "$job_body" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
    [ "$job_status" = succeeded ] || [ "$job_status" = dead ] && break
    sleep 0.5
  done
  [ "$job_status" = succeeded ] || die "$type thumbnail job $job ended as '$job_status': $job_body"
  thumbnail=$(printf '%s' "$job_body" | sed -n 's/.*"images":\["\([^"]*\)".*/\1/p')
  curl -fsS -m 5 -D - -o /dev/null "$base/files/$thumbnail" | grep -qi 'cache-control: .*immutable' \
    || die "GET /files/$thumbnail is not served with immutable caching"
}
thumbnail_job image/png "iVBORw0KGgoAAAANSUhEUgAAADAAAAAYCAIAAAAzn+mLAAAIGUlEQVR42g3OEdfrMACA4cokMolMKpPKpDKJTCqTyKQyqUwik8jOeU9kEvmkMolMKpPKpDKpTCKTyCSyP3Hv8wueoihYFIiCZYEsWBWUBeuCqmBTUBdsC1TBrqAp2BfogkNBW3As6ApOBabgXGALLgWu4FrgC/4K+oJbQSi4FwwFj4Kx4FkwFbwK5oJ3QSz4FKSCb0Eu+BUUhWAhEIKlQApWglKwFlSCjaAWbAVKsBM0gr1ACw6CVnAUdIKTwAjOAiu4CJzgKvCCP0EvuAmC4C4YBA/BKHgKJsFLMAvegij4CJLgK8iCn/gfkiwkQrKUSMlKUkrWkkqykdSSrURJdpJGspdoyUHSSo6STnKSGMlZYiUXiZNcJV7yJ+klN0mQ3CWD5CEZJU/JJHlJZslbEiUfSZJ8JVnyk/9DJYsSUbIskSWrkrJkXVKVbErqkm2JKtmVNCX7El1yKGlLjiVdyanElJxLbMmlxJVcS3zJX0lfcisJJfeSoeRRMpY8S6aSV8lc8i6JJZ+SVPItySW/8n+oYlEhKpYVsmJVUVasK6qKTUVdsa1QFbuKpmJfoSsOFW3FsaKrOFWYinOFrbhUuIprha/4q+grbhWh4l4xVDwqxopnxVTxqpgr3hWx4lORKr4VueJX/Q/VLGpEzbJG1qxqypp1TVWzqalrtjWqZlfT1OxrdM2hpq051nQ1pxpTc66xNZcaV3Ot8TV/NX3NrSbU3GuGmkfNWPOsmWpeNXPNuybWfGpSzbcm1/zq/yHFQiEUS4VUrBSlYq2oFBtFrdgqlGKnaBR7hVYcFK3iqOgUJ4VRnBVWcVE4xVXhFX+KXnFTBMVdMSgeilHxVEyKl2JWvBVR8VEkxVeRFT/1P9SwaBANywbZsGooG9YNVcOmoW7YNqiGXUPTsG/QDYeGtuHY0DWcGkzDucE2XBpcw7XBN/w19A23htBwbxgaHg1jw7Nhang1zA3vhtjwaUgN34bc8Gv+hzQLjdAsNVKz0pSatabSbDS1ZqtRmp2m0ew1WnPQtJqjptOcNEZz1ljNReM0V43X/Gl6zU0TNHfNoHloRs1TM2lemlnz1kTNR5M0X03W/PT/UMuiRbQsW2TLqqVsWbdULZuWumXbolp2LU3LvkW3HFralmNL13JqMS3nFttyaXEt1xbf8tfSt9xaQsu9ZWh5tIwtz5ap5dUyt7xbYsunJbV8W3LLr/0f6lh0iI5lh+xYdZQd646qY9NRd2w7VMeuo+nYd+iOQ0fbcezoOk4dpuPcYTsuHa7j2uE7/jr6jltH6Lh3DB2PjrHj2TF1vDrmjndH7Ph0pI5vR+74df9DhoVBGJYGaVgZSsPaUBk2htqwNSjDztAY9gZtOBhaw9HQGU4GYzgbrOFicIarwRv+DL3hZgiGu2EwPAyj4WmYDC/DbHgbouFjSIavIRt+5n/IsrAIy9IiLStLaVlbKsvGUlu2FmXZWRrL3qItB0trOVo6y8liLGeLtVwsznK1eMufpbfcLMFytwyWh2W0PC2T5WWZLW9LtHwsyfK1ZMvP/g85Fg7hWDqkY+UoHWtH5dg4asfWoRw7R+PYO7Tj4GgdR0fnODmM4+ywjovDOa4O7/hz9I6bIzjujsHxcIyOp2NyvByz4+2Ijo8jOb6O7Pi5/yHPwiM8S4/0rDylZ+2pPBtP7dl6lGfnaTx7j/YcPK3n6Ok8J4/xnD3Wc/E4z9XjPX+e3nPzBM/dM3gentHz9Eyel2f2vD3R8/Ekz9eTPT//P9Sz6BE9yx7Zs+ope9Y9Vc+mp+7Z9qieXU/Ts+/RPYeetufY0/WcekzPucf2XHpcz7XH9/z19D23ntBz7xl6Hj1jz7Nn6nn1zD3vntjz6Uk9357c8+v/hwKLgAgsAzKwCpSBdaAKbAJ1YBtQgV2gCewDOnAItIFjoAucAiZwDtjAJeAC14AP/AX6wC0QAvfAEHgExsAzMAVegTnwDsTAJ5AC30AO/ML/0MBiQAwsB+TAaqAcWA9UA5uBemA7oAZ2A83AfkAPHAbageNAN3AaMAPnATtwGXAD1wE/8DfQD9wGwsB9YBh4DIwDz4Fp4DUwD7wH4sBnIA18B/LAb/gfGlmMiJHliBxZjZQj65FqZDNSj2xH1MhupBnZj+iRw0g7chzpRk4jZuQ8YkcuI27kOuJH/kb6kdtIGLmPDCOPkXHkOTKNvEbmkfdIHPmMpJHvSB75jf9DE4sJMbGckBOriXJiPVFNbCbqie2EmthNNBP7CT1xmGgnjhPdxGnCTJwn7MRlwk1cJ/zE30Q/cZsIE/eJYeIxMU48J6aJ18Q88Z6IE5+JNPGdyBO/6X9oZjEjZpYzcmY1U86sZ6qZzUw9s51RM7uZZmY/o2cOM+3McaabOc2YmfOMnbnMuJnrjJ/5m+lnbjNh5j4zzDxmxpnnzDTzmpln3jNx5jOTZr4zeeY3/w9FFhERWUZkZBUpI+tIFdlE6sg2oiK7SBPZR3TkEGkjx0gXOUVM5ByxkUvERa4RH/mL9JFbJETukSHyiIyRZ2SKvCJz5B2JkU8kRb6RHPnF/6HEIiESy4RMrBJlYp2oEptEndgmVGKXaBL7hE4cEm3imOgSp4RJnBM2cUm4xDXhE3+JPnFLhMQ9MSQeiTHxTEyJV2JOvBMx8UmkxDeRE7/0P5RZZERmmZGZVabMrDNVZpOpM9uMyuwyTWaf0ZlDps0cM13mlDGZc8ZmLhmXuWZ85i/TZ26ZkLlnhswjM2aemSnzysyZdyZmPpmU+WZy5pf5B2pcVpvkXniYAAAAAElFTkSuQmCC"
thumbnail_job image/jpeg "/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAYADADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDyeLTf9mrkWm/7NdHFpv8As1ci03/Zr3Z43zPKwuY+ZzkWm/7NXItN/wBmuji03/Zq5Fpv+zXHPG+Z9Jhcx8znItN/2auRab/s10cWm/7NXItN/wBmuOeN8z6TC5j5lKLTf9mrkWm/7NFFefOrI/BcLXn3LkWm/wCzVyLTf9miiuOdWR9Jha8+5ci03/Zq5Fpv+zRRXHOrI+jwtefc/9k="
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

say "smoke test passed: every ping answered, load spread over $instances catalog instances, catalog API answers, web UI, storefront, facets, PNG and JPEG thumbnail jobs and register/login/cart/logout work"
