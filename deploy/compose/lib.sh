# Shared by deploy/compose/up.sh, down.sh and test.sh (sourced, not run).
#
# A Docker engine: the one DOCKER_HOST names, else a dockerd of this project's own that a previous
# run left answering, else the system's (/var/run/docker.sock), else (with OWN_DOCKERD=1, as
# test.sh sets) a dockerd of this project's own, started as root (sudo for a non-root caller) with
# its own paths under DOCKERD_DIR (/var/lib/scaleout-docker) and stopped by stop_own_dockerd; with
# OWN_DOCKERD=1 Debian's docker.io is installed when missing, and docker-compose whenever neither
# it nor the compose plugin is there.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COMPOSE_FILE=$ROOT/deploy/docker-compose.yml
COMPOSE_PROJECT=${COMPOSE_PROJECT:-scaleout}
DOCKERD_DIR=${DOCKERD_DIR:-/var/lib/scaleout-docker}

say() { echo "compose: $*"; }
die() { echo "error: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
engine_answers() { docker info >/dev/null 2>&1; }

# own_socket_answers: whether a dockerd of this project's own (a previous run's) answers
own_socket_answers() { [ -S "$DOCKERD_DIR/docker.sock" ] && DOCKER_HOST=unix://$DOCKERD_DIR/docker.sock engine_answers; }

apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

ensure_docker() {
  local own=${OWN_DOCKERD:-0}
  if [ "$own" = 1 ] && { ! command -v docker >/dev/null || ! command -v dockerd >/dev/null; }; then
    say "installing Docker (apt-get install docker.io)"
    apt_install docker.io || die "cannot install docker.io"
  fi
  command -v docker >/dev/null || die "no docker client: install Docker, or set OWN_DOCKERD=1 to install Debian's docker.io and run a dockerd of this project's own"
  if [ -z "${DOCKER_HOST:-}" ] && own_socket_answers; then
    export DOCKER_HOST=unix://$DOCKERD_DIR/docker.sock
  fi
  engine_answers && return 0
  [ "$own" = 1 ] || die "no Docker engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock} (start yours, set DOCKER_HOST, or OWN_DOCKERD=1 for one of this project's own)"
  as_root mkdir -p "$DOCKERD_DIR"
  if [ -f "$DOCKERD_DIR/docker.pid" ] && as_root kill -0 "$(cat "$DOCKERD_DIR/docker.pid")" 2>/dev/null; then
    die "a dockerd of this project's own runs (pid $(cat "$DOCKERD_DIR/docker.pid")) but does not answer; see $DOCKERD_DIR/dockerd.log"
  fi
  # on a host without Docker, what dockerd adds to it (its bridge, its firewall chains) goes with it
  if ! ip link show docker0 >/dev/null 2>&1; then
    printf '%s %s\n' "$(cat /proc/sys/net/ipv4/ip_forward)" \
      "$(as_root iptables -S FORWARD 2>/dev/null | awk '$1 == "-P" {print $3}')" | as_root tee "$DOCKERD_DIR/host-had-no-docker" >/dev/null
  fi
  say "starting dockerd (data root $DOCKERD_DIR/root)"
  # run as root with its log written as root; its socket belongs to the caller's group, so a
  # non-root caller (through sudo) can use it
  as_root setsid sh -c 'exec dockerd --data-root "$1/root" --exec-root "$1/exec" -H "unix://$1/docker.sock" \
      --pidfile "$1/docker.pid" --group "$2" < /dev/null > "$1/dockerd.log" 2>&1' dockerd "$DOCKERD_DIR" "$(id -g)" &
  export DOCKER_HOST=unix://$DOCKERD_DIR/docker.sock
  local i
  for i in $(seq 1 60); do engine_answers && return 0; sleep 0.5; done
  as_root tail -20 "$DOCKERD_DIR/dockerd.log" >&2
  die "dockerd did not answer within 30 s (see $DOCKERD_DIR/dockerd.log)"
}

stop_own_dockerd() {
  [ -f "$DOCKERD_DIR/docker.pid" ] || return 0
  local pid i
  pid=$(cat "$DOCKERD_DIR/docker.pid")
  as_root kill "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do as_root kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
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
    command -v docker-compose >/dev/null || apt_install docker-compose \
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
