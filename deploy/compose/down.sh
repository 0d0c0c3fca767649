#!/usr/bin/env bash
# deploy/compose/down.sh [--volumes]: stops and removes the containers and the network of the
# container cluster; --volumes removes its data too (Postgres, Kafka, the workspace). A dockerd of
# the project's own (OWN_DOCKERD=1) is stopped with STOP_DOCKERD=1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_docker
compose down --remove-orphans "$@"
[ "${STOP_DOCKERD:-0}" = 1 ] && stop_own_dockerd
exit 0
