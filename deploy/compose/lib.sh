# Shared by deploy/compose/up.sh, down.sh and test.sh (sourced, not run).
#
# A Docker engine: the one DOCKER_HOST names, else the system's (/var/run/docker.sock), else (with
# OWN_DOCKERD=1, as test.sh sets) a dockerd of this project's own, started as root with its own
# paths under DOCKERD_DIR (/var/lib/scaleout-docker) and stopped by stop_own_dockerd; Debian's
# docker.io and docker-compose are installed when missing.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COMPOSE_FILE=$ROOT/deploy/docker-compose.yml
COMPOSE_PROJECT=${COMPOSE_PROJECT:-scaleout}
DOCKERD_DIR=${DOCKERD_DIR:-/var/lib/scaleout-docker}

say() { echo "compose: $*"; }
die() { echo "error: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
engine_answers() { docker info >/dev/null 2>&1; }

ensure_docker() {
  if [ -z "${DOCKER_HOST:-}" ] && [ -S "$DOCKERD_DIR/docker.sock" ]; then
    export DOCKER_HOST=unix://$DOCKERD_DIR/docker.sock
  fi
  if ! command -v docker >/dev/null || ! command -v dockerd >/dev/null && [ "${OWN_DOCKERD:-0}" = 1 ]; then
    say "installing Docker (apt-get install docker.io)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null 2>&1 \
      || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null; } \
      || die "cannot install docker.io"
  fi
  engine_answers && return 0
  [ "${OWN_DOCKERD:-0}" = 1 ] || die "no Docker engine answers (start yours, set DOCKER_HOST, or OWN_DOCKERD=1 for one of this project's own)"
  as_root mkdir -p "$DOCKERD_DIR"
  # on a host without Docker, what dockerd adds to it (its bridge, its firewall chains) goes with it
  if ! ip link show docker0 >/dev/null 2>&1; then
    printf '%s %s\n' "$(cat /proc/sys/net/ipv4/ip_forward)" \
      "$(as_root iptables -S FORWARD 2>/dev/null | awk '$1 == "-P" {print $3}')" | as_root tee "$DOCKERD_DIR/host-had-no-docker" >/dev/null
  fi
  say "starting dockerd (data root $DOCKERD_DIR/root)"
  as_root setsid dockerd --data-root "$DOCKERD_DIR/root" --exec-root "$DOCKERD_DIR/exec" \
    -H "unix://$DOCKERD_DIR/docker.sock" --pidfile "$DOCKERD_DIR/docker.pid" < /dev/null > "$DOCKERD_DIR/dockerd.log" 2>&1 &
  export DOCKER_HOST=unix://$DOCKERD_DIR/docker.sock
  local i
  for i in $(seq 1 60); do engine_answers && return 0; sleep 0.5; done
  tail -20 "$DOCKERD_DIR/dockerd.log" >&2
  die "dockerd did not answer within 30 s (see $DOCKERD_DIR/dockerd.log)"
}

stop_own_dockerd() {
  [ -f "$DOCKERD_DIR/docker.pid" ] || return 0
  local pid i
  pid=$(cat "$DOCKERD_DIR/docker.pid")
  as_root kill "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  as_root rm -f "$DOCKERD_DIR/docker.pid"
  if [ -f "$DOCKERD_DIR/host-had-no-docker" ]; then
    local forward policy
    read -r forward policy < "$DOCKERD_DIR/host-had-no-docker"
    as_root ip link delete docker0 2>/dev/null || true
    if command -v iptables-save >/dev/null; then
      as_root sh -c 'iptables-save | grep -v -i docker | iptables-restore' || true
      [ -n "$policy" ] && as_root iptables -P FORWARD "$policy"
    fi
    echo "$forward" | as_root tee /proc/sys/net/ipv4/ip_forward >/dev/null
    as_root rm -f "$DOCKERD_DIR/host-had-no-docker"
  fi
}

# compose ARGS...: docker-compose (v1, Debian's) or the `docker compose` plugin, on this project
compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose -f "$COMPOSE_FILE" -p "$COMPOSE_PROJECT" "$@"
  else
    command -v docker-compose >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null \
      || die "neither the docker compose plugin nor docker-compose is installed"
    docker-compose -f "$COMPOSE_FILE" -p "$COMPOSE_PROJECT" "$@"
  fi
}

# unhealthy_containers: every container of the project that is not running and healthy, with its state
unhealthy_containers() {
  local id
  for id in $(compose ps -a -q); do
    docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id"
  done | awk '$2 != "running" || $3 != "healthy" { sub("^/", "", $1); print $1 "(" $2 "," $3 ")" }'
}

# await_healthy SECONDS: until every container runs and is healthy
await_healthy() {
  local deadline=$((SECONDS + $1)) waiting
  while true; do
    waiting=$(unhealthy_containers)
    [ -z "$waiting" ] && [ -n "$(compose ps -q)" ] && return 0
    [ $SECONDS -lt $deadline ] || die "not healthy after $1 s: $(echo $waiting)"
    sleep 1
  done
}

nginx_url() { echo "http://127.0.0.1:${NGINX_PUBLISH:-8000}"; }
