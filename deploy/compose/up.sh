#!/usr/bin/env bash
# deploy/compose/up.sh: the container cluster of deploy/docker-compose.yml, from a clean clone to
# every container healthy: the secrets (make-secrets.sh, once), the images (deploy/docker/build.sh:
# IMAGE_BASE=offline where no registry answers), `up -d`, a wait for every health check, then the
# demo catalog through nginx as on the local cluster (deploy/local/demo-data.sh; DEMO_DATA=0 skips it).
#
#   deploy/compose/up.sh                          2 gateways behind nginx (port 8000), 2 of each service
#   deploy/compose/up.sh --scale catalog=4        arguments go to `up` (another instance count)
#   IMAGE_BASE=offline deploy/compose/up.sh       no registry: bases made with debootstrap
#   SKIP_BUILD=1 deploy/compose/up.sh             the images are built already
#
# NGINX_PUBLISH (8000) is the host port of nginx; UP_TIMEOUT (240) bounds the wait in seconds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_docker
"$ROOT/deploy/compose/make-secrets.sh"
[ "${SKIP_BUILD:-0}" = 1 ] || "$ROOT/deploy/docker/build.sh"
start=$SECONDS
compose up -d "$@"
await_healthy "${UP_TIMEOUT:-240}"
say "every container healthy $((SECONDS - start)) s after up"
[ "${DEMO_DATA:-1}" = 0 ] || ADMIN_EMAIL=${ADMIN_EMAIL:-admin@scaleout.local} ADMIN_PASSWORD=$(cat "$ROOT/deploy/compose/secrets/admin-password") \
  "$ROOT/deploy/local/demo-data.sh" "$(nginx_url)"
say "the shop: $(nginx_url)/ (administrator: ${ADMIN_EMAIL:-admin@scaleout.local}, password in deploy/compose/secrets/admin-password)"
