#!/usr/bin/env bash
# demo-data.sh [BASE_URL]: loads the demo catalog through the public API of the gateway at
# BASE_URL (default: the local cluster's first gateway) as the administrator: 225 products in 9
# categories by one import job, then a generated picture per product by thumbnail jobs
# (DemoData.java). Running it again adds nothing: the import upserts by sku and only products
# without pictures get one. up.sh runs it unless DEMO_DATA=0.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

base=${1:-http://127.0.0.1:$(http_port 1)}
start=$SECONDS
ADMIN_PASSWORD=$(admin_password) java "$ROOT/deploy/local/DemoData.java" "$base" "$(admin_email)" \
  || die "the demo data did not load (see above)"
say "demo data ready in $((SECONDS - start)) s"
