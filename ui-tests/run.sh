#!/usr/bin/env bash
# ui-tests/run.sh [SHOP_URL]: the browser tests against a running local cluster (default its
# first gateway, http://127.0.0.1:8080; it needs the demo catalog, which up.sh loads, and signs in
# as its administrator; the dashboard test scales catalog with deploy/local/scale.sh and back).
# Installs what they need when it is missing: Debian's chromium (apt-get) and the npm packages of
# package-lock.json (playwright-core, axe-core; no browser download). Screenshots of every page
# are left in target/ui-screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v chromium >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  echo "ui-tests: installing chromium (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
fi
command -v node >/dev/null || { echo "error: the browser tests need node and npm" >&2; exit 1; }
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error
export SHOP_URL=${1:-${SHOP_URL:-http://127.0.0.1:8080}}
# the administrator of the local cluster (the admin tests sign in as it), unless given
ADMIN_EMAIL=${ADMIN_EMAIL:-$(bash -c '. ../deploy/local/lib.sh && admin_email')}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-$(bash -c '. ../deploy/local/lib.sh && admin_password')}
export ADMIN_EMAIL ADMIN_PASSWORD
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$(cd .. && pwd)/target/ui-screenshots}
timeout --kill-after=30 "${UI_TEST_TIMEOUT:-600}" npm test --silent
echo "ui-tests: passed against $SHOP_URL; screenshots in $SCREENSHOT_DIR: $(cd "$SCREENSHOT_DIR" && ls | tr '\n' ' ')"
