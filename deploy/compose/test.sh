#!/usr/bin/env bash
# deploy/compose/test.sh: the container cluster, tested for real (CI runs it). On a dockerd of its
# own (installed when missing; its data root a temporary folder, removed at the end) it builds
# every image offline (IMAGE_BASE=offline unless set: debootstrap, no registry), starts
# docker-compose.yml and waits for every health check, then:
#   1. one Hazelcast cluster: every gateway sees every service container as a member;
#   2. deploy/local/smoke.sh through nginx (pings through every tier shared by both catalogs,
#      catalog read and write, sign-in, cart, PNG and JPEG thumbnail jobs, the storefront page),
#      then the demo catalog as up.sh loads it (deploy/local/demo-data.sh);
#   3. scales catalog to 3 and sees the third instance answer pings;
#   4. under a steady request loop that retries nothing (deploy/local/request-loop.sh), crashes a
#      catalog container, then a gateway container (kill -9 of its JVM from the host; `docker kill`
#      would count as a manual stop, which the restart policy leaves stopped), the restart policy
#      brings them back: no request may fail, and both must be healthy members again;
#   5. scales the gateways to 3 and sees nginx send requests to the third;
#   6. tears it all down: no container, network or volume of the project is left.
# It prints MEASURED lines (image sizes, time from `up` to all healthy, the kill check's numbers).
# TEST_TIMEOUT (1500 s) bounds the whole run, the image build (debootstrap and Debian's packages
# fetched from the mirror) included; each step prints the seconds since the start, and a failure or
# the time-out names its step again at the very end of the output.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -z "${COMPOSE_TEST_INNER:-}" ]; then
  export COMPOSE_TEST_INNER=1
  exec timeout --kill-after=120 "${TEST_TIMEOUT:-1500}" "$0" "$@"
fi

export OWN_DOCKERD=1 COMPOSE_PROJECT=scaleout-test NGINX_PUBLISH=${NGINX_PUBLISH:-18000}
export IMAGE_BASE=${IMAGE_BASE:-offline}
DOCKERD_DIR=$(mktemp -d /var/tmp/scaleout-docker.XXXXXX)
# never the system's engine: the one this test starts, on this socket
export DOCKER_HOST=unix://$DOCKERD_DIR/docker.sock
work=$(mktemp -d)
logs=$ROOT/target/compose-test-logs
rm -rf "$logs"
loop_pid=""
# the reason a step failed is printed again after the container logs, so the end of the output says it
die() { echo "error: $*" | tee -a "$work/failure" >&2; exit 1; }
current_step="starting"
step() { current_step=$*; say "[$SECONDS s] $*"; }
trap 'die "timed out after $SECONDS s (TEST_TIMEOUT=${TEST_TIMEOUT:-1500}) during: $current_step"' TERM
# run_script COMMAND...: one of the project's scripts as a step; its last error line is the step's reason
run_script() {
  local rc=0
  "$@" 2> "$work/script.err" || rc=$?
  cat "$work/script.err" >&2
  [ $rc = 0 ] || die "$(grep -a '^error' "$work/script.err" | tail -1 || echo "$1 exited with $rc")"
}

cleanup() {
  local rc=$?
  set +e
  [ -n "$loop_pid" ] && kill "$loop_pid" 2>/dev/null
  if engine_answers; then
    if [ "$rc" != 0 ]; then
      # each container's whole log stays as a file of the run; the last lines go to the output
      mkdir -p "$logs"
      { compose ps || true; for c in $(compose ps -a -q 2>/dev/null); do
        name=$(docker inspect -f '{{.Name}}' "$c" | sed 's|^/||')
        docker logs "$c" > "$logs/$name.log" 2>&1
        echo "--- $name (whole log: $logs/$name.log): its warnings and errors, then its last lines"
        grep -E '"level":"(WARN|ERROR)"|^(WARN|ERROR|FATAL)|\[(warn|error|emerg)\]' "$logs/$name.log" | tail -15
        echo "..."; tail -5 "$logs/$name.log"; done; } >&2
    fi
    compose down --volumes --remove-orphans > /dev/null 2>&1 || true
  fi
  stop_own_dockerd
  if [ "$rc" != 0 ]; then
    [ -f "$work/loop.log" ] && { echo "--- the request loop's output"; tail -20 "$work/loop.log"; } >&2
    echo "compose test FAILED (exit $rc) after $SECONDS s, during: $current_step: $(cat "$work/failure" 2>/dev/null || echo 'see the output above')" >&2
  fi
  as_root rm -rf "$DOCKERD_DIR" "$work"
  exit "$rc"
}
trap cleanup EXIT

step "the Docker engine"
ensure_docker
"$ROOT/deploy/compose/make-secrets.sh" > /dev/null
step "building the images (IMAGE_BASE=$IMAGE_BASE)"
build_start=$SECONDS
"$ROOT/deploy/docker/build.sh"
echo "MEASURED images built: $((SECONDS - build_start)) s"
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^scaleout/' | sort \
  | awk '{print "MEASURED image " $1 " " $2}'

step "compose up, until every container is healthy"
start=$SECONDS
compose up -d > "$work/up.log" 2>&1 || { cat "$work/up.log" >&2; die "compose up failed"; }
await_healthy 300
echo "MEASURED compose up to all healthy: $((SECONDS - start)) s"
base=$(nginx_url)

# 1. one cluster: each gateway's view (nginx alternates between them) counts every member
admin_token=$(curl -fsS -m 15 -H 'Content-Type: application/json' -X POST "$base/api/sessions" \
  -d "{\"email\":\"${ADMIN_EMAIL:-admin@scaleout.local}\",\"password\":\"$(cat "$ROOT/deploy/compose/secrets/admin-password")\"}" \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$admin_token" ] || die "the administrator cannot sign in through nginx"
# cluster_size_seen N SECONDS: within SECONDS, 6 views in a row (nginx alternates between the
# gateways) each have N members present; prints the last view that did not
cluster_size_seen() {
  local deadline=$((SECONDS + $2)) view ok=0
  while [ $ok -lt 6 ]; do
    if view=$(curl -fsS -m 5 -H "Authorization: Bearer $admin_token" "$base/api/admin/cluster") \
        && printf '%s' "$view" | grep -q "\"present\":$1,"; then
      ok=$((ok + 1))
    else
      ok=0
      [ $SECONDS -lt $deadline ] || { echo "last view: ${view:-none}" >&2; return 1; }
      sleep 1
    fi
  done
}
step "one cluster"
members=$(compose ps -q gateway catalog session worker | wc -l)
cluster_size_seen "$members" 30 || die "the gateways do not see one cluster of $members members once all are healthy"
say "one cluster of $members members"

# answering FIELD N SECONDS: within SECONDS, pings through nginx name N different instances in FIELD
answering() {
  local deadline=$((SECONDS + $3)) instance
  declare -A seen=()
  until [ ${#seen[@]} -ge "$2" ]; do
    [ $SECONDS -lt $deadline ] || die "only ${#seen[@]} $1 instances answer, $2 expected: ${!seen[*]}"
    instance=$(curl -fsS -m 5 "$base/api/ping" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p") || true
    [ -n "$instance" ] && seen[$instance]=1
  done
}

# every_gateway_sends_to N SECONDS: within SECONDS, pings through nginx show each of the 2 gateways
# answering with each of N catalog instances
every_gateway_sends_to() {
  local deadline=$((SECONDS + $2)) body pair
  declare -A seen=()
  until [ ${#seen[@]} -ge $((2 * $1)) ]; do
    [ $SECONDS -lt $deadline ] || die "gateway/catalog pairs seen: ${!seen[*]}; expected 2 gateways each sending to $1 catalogs"
    body=$(curl -fsS -m 5 "$base/api/ping") || continue
    pair=$(printf '%s' "$body" | sed -n 's/.*"gateway":"\([^"]*\)".*"catalog":"\([^"]*\)".*/\1\/\2/p')
    [ -n "$pair" ] && seen[$pair]=1
  done
}

# 2. the smoke test through nginx, once both gateways send to both catalogs (a gateway puts an
# instance in rotation when its announcement arrives, which can follow the container's health by
# a moment; the smoke's spread check would count that moment against the balancing)
step "every gateway sending to both catalogs"
every_gateway_sends_to 2 30
step "the smoke test through nginx"
SMOKE_URL=$base ADMIN_PASSWORD=$(cat "$ROOT/deploy/compose/secrets/admin-password") run_script "$ROOT/deploy/local/smoke.sh" 100
# the demo catalog as up.sh loads it: an import job and a thumbnail job per product, through nginx
step "the demo data through nginx"
demo_start=$SECONDS
ADMIN_PASSWORD=$(cat "$ROOT/deploy/compose/secrets/admin-password") run_script "$ROOT/deploy/local/demo-data.sh" "$base"
categories=$(curl -fsS -m 5 "$base/api/categories" | grep -o '"slug"' | wc -l)
[ "$categories" -ge 9 ] || die "after the demo data the shop has $categories categories"
echo "MEASURED demo data loaded through nginx: $((SECONDS - demo_start)) s, $categories categories"

# 3. a third catalog joins and takes pings
step "scaling catalog to 3"
compose up -d --no-recreate --scale catalog=3 catalog > "$work/scale.log" 2>&1 || { cat "$work/scale.log" >&2; die "scaling failed"; }
scale_start=$SECONDS
await_healthy 120
answering catalog 3 30
cluster_size_seen $((members + 1)) 30 || die "the third catalog is not a member of the one cluster"
echo "MEASURED scale catalog 2->3: third instance answering $((SECONDS - scale_start)) s after up --scale"

# 4. kills under a steady loop that retries nothing
step "kill -9 of a catalog, then of a gateway, under a request loop"
LOOP_RATE=20 "$ROOT/deploy/local/request-loop.sh" "$base/api/ping" "$base/api/products?limit=3&n={n}" "$base/api/categories" \
  > "$work/loop.log" 2>&1 &
loop_pid=$!
sleep 5
# crash CONTAINER: kill -9 of its main process, as a crash or the OOM killer would
crash() {
  say "kill -9 of $(docker inspect -f '{{.Name}}' "$1") (pid $(docker inspect -f '{{.State.Pid}}' "$1"))"
  as_root kill -KILL "$(docker inspect -f '{{.State.Pid}}' "$1")"
}
victim=$(compose ps -q catalog | head -1)
crash "$victim"
sleep 10
gateway=$(compose ps -q gateway | head -1)
crash "$gateway"
sleep 3
await_healthy 150
sleep 5
kill "$loop_pid"
loop_rc=0
wait "$loop_pid" || loop_rc=$?
loop_pid=""
cat "$work/loop.log"
summary=$(grep '^requests=' "$work/loop.log" || true)
echo "MEASURED kill catalog + gateway under load: $summary"
[ "$loop_rc" = 0 ] || die "requests failed while a catalog and a gateway were killed"
for container in "$victim" "$gateway"; do
  [ "$(docker inspect -f '{{.RestartCount}}' "$container")" -ge 1 ] || die "$(docker inspect -f '{{.Name}}' "$container") was not restarted"
done
step "the cluster whole again after the kills"
cluster_size_seen $((members + 1)) 30 || die "after the kills the cluster is not whole again"

# nginx follows the gateways by name: a third one takes requests without touching nginx
step "scaling the gateways to 3"
compose up -d --no-recreate --scale gateway=3 gateway > "$work/scale.log" 2>&1 || { cat "$work/scale.log" >&2; die "scaling the gateways failed"; }
await_healthy 120
scale_start=$SECONDS
answering gateway 3 30
echo "MEASURED scale gateway 2->3: nginx sending to the third $((SECONDS - scale_start)) s after it was healthy"

# 6. nothing left behind
step "compose down"
compose down --volumes --remove-orphans > "$work/down.log" 2>&1 || { cat "$work/down.log" >&2; die "compose down failed"; }
left="$(docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT")$(docker network ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT")$(docker volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT")"
[ -z "$left" ] || die "compose down left containers, networks or volumes: $left"
say "compose test passed: built offline, healthy, one cluster, smoke, scale to 3, kills without a failed request, torn down"
