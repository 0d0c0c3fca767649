# shellcheck shell=bash
# Shared by up.sh, down.sh, status.sh, scale.sh and the repository's test.sh: where the local
# cluster keeps its state, how each instance is named, numbered and started, and how the
# dependencies (Postgres, Redis, Kafka) are made to answer on loopback.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUN_DIR=${SCALEOUT_RUN_DIR:-$ROOT/.run}
PID_DIR=$RUN_DIR/pids
LOG_DIR=$RUN_DIR/logs
JAVA_OPTS=${SCALEOUT_JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m}
READY_TIMEOUT=${SCALEOUT_READY_TIMEOUT:-120}
STOP_TIMEOUT=${SCALEOUT_STOP_TIMEOUT:-30}
PG_REPLICA_PORT=${PG_REPLICA_PORT:-5433}
# The replica's data must be reachable by the postgres user whatever the checkout's permissions.
PG_REPLICA_DIR=${PG_REPLICA_DIR:-/tmp/scaleout-pg-replica-$(printf '%s' "$RUN_DIR" | md5sum | cut -c1-8)}
# The primary keeps the WAL the replica has not received in this replication slot, so a replica
# stopped for a while (the chaos suite) catches up when it starts again instead of finding the WAL
# it needs removed. down.sh drops the slot; a replica without one is made anew.
PG_REPLICA_SLOT=${PG_REPLICA_SLOT:-scaleout_replica_$(printf '%s' "$RUN_DIR" | md5sum | cut -c1-8)}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_HEAP=${KAFKA_HEAP:--Xmx512m}
NGINX_PORT=${NGINX_PORT:-8000}
NGINX_DIR=$RUN_DIR/nginx
# Start order: services first, so the gateway's first ping finds them.
SERVICES=(catalog session worker gateway)

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

service_module() {
  case $1 in
    gateway|worker) echo "$1" ;;
    catalog|session) echo "$1-service" ;;
    *) die "unknown service '$1' (gateway, catalog, session, worker)" ;;
  esac
}

service_jar() { local m; m=$(service_module "$1"); echo "$ROOT/$m/target/$m.jar"; }

# Management ports: gateway 9080.., catalog 9101.., session 9201.., worker 9301..
mgmt_port() {
  case $1 in
    gateway) echo $((9079 + $2)) ;;
    catalog) echo $((9100 + $2)) ;;
    session) echo $((9200 + $2)) ;;
    worker) echo $((9300 + $2)) ;;
  esac
}

http_port() { echo $((8079 + $1)); }

pid_file() { echo "$PID_DIR/$1.pid"; }

# True when the pid file names a live process that this run directory started (guards against a
# recycled pid).
running() {
  local file=$1 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "-Dscaleout.run=$RUN_DIR"
}

ready() { curl -fsS -m 2 "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Instance numbers of a service that have a pid file, ascending.
instance_numbers() {
  local f
  for f in "$PID_DIR/$1"-*.pid; do
    [ -e "$f" ] || continue
    f=${f##*/$1-}; echo "${f%.pid}"
  done | sort -n
}

build_jars_if_absent() {
  local s missing=0
  for s in "${SERVICES[@]}"; do [ -f "$(service_jar "$s")" ] || missing=1; done
  if [ "$missing" = 1 ] || [ "${SCALEOUT_REBUILD:-0}" = 1 ]; then
    say "Building the service jars (mvn package)..."
    (cd "$ROOT" && mvn -B -q -ntp -DskipTests package) || die "the build failed"
  fi
}

postgres_answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

ensure_postgres() {
  postgres_answers && return 0
  mkdir -p "$RUN_DIR"
  if ! command -v pg_ctlcluster >/dev/null; then
    say "Installing PostgreSQL (apt-get)..."
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
      || die "cannot install postgresql"
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -1)
  say "Starting PostgreSQL $version..."
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || die "PostgreSQL $version did not start"
  echo "$version" > "$RUN_DIR/postgres.started"
  local i
  for i in $(seq 1 30); do postgres_answers && return 0; sleep 1; done
  die "PostgreSQL does not answer on 127.0.0.1:5432"
}

# iproute2's ip: the network-partition test makes test hosts of its own (network namespaces)
ensure_iproute2() {
  command -v ip >/dev/null && return 0
  say "Installing iproute2 (apt-get)..."
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null \
    || die "cannot install iproute2"
}

ensure_redis() {
  redis_answers && return 0
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  if ! command -v redis-server >/dev/null; then
    say "Installing Redis (apt-get)..."
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null \
      || die "cannot install redis-server"
  fi
  say "Starting Redis..."
  redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" --dir "$RUN_DIR" || die "Redis did not start"
  echo started > "$RUN_DIR/redis.started"
  local i
  for i in $(seq 1 30); do redis_answers && return 0; sleep 0.2; done
  die "Redis does not answer on 127.0.0.1:6379"
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

replica_slot_on_primary() {
  psql -h 127.0.0.1 -U postgres -Atc "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$PG_REPLICA_SLOT'"
}

replica_answers() { pg_isready -q -h 127.0.0.1 -p "$PG_REPLICA_PORT" 2>/dev/null; }

# A real streaming replica of the local Postgres on 127.0.0.1:$PG_REPLICA_PORT: pg_basebackup of
# the primary, started as a hot standby. The primary must accept replication connections from
# 127.0.0.1: when its pg_hba.conf has no such line, one is added with the method its
# "host all all 127.0.0.1/32" line uses, and the configuration is reloaded.
ensure_pg_replica() {
  replica_answers && return 0
  local bin
  bin=$(pg_bin)
  [ -n "$bin" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  if [ ! -f "$PG_REPLICA_DIR/.complete" ] || [ "$(replica_slot_on_primary)" != 1 ]; then
    allow_local_replication
    say "Making a streaming replica of the local Postgres in $PG_REPLICA_DIR (replication slot $PG_REPLICA_SLOT)..."
    as_root rm -rf "$PG_REPLICA_DIR"
    as_root install -d -o postgres -g postgres -m 700 "$PG_REPLICA_DIR"
    psql -h 127.0.0.1 -U postgres -Atc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
      WHERE slot_name = '$PG_REPLICA_SLOT' AND NOT active" >/dev/null || die "cannot drop the old replication slot $PG_REPLICA_SLOT"
    as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$PG_REPLICA_DIR/data" -R -X stream \
      -C -S "$PG_REPLICA_SLOT" || die "pg_basebackup of the local Postgres failed"
    # Debian keeps the primary's configuration outside its data directory: give the replica its own
    local hba
    hba=$(psql -h 127.0.0.1 -U postgres -Atc 'SHOW hba_file')
    as_root install -o postgres -g postgres -m 600 "$hba" "$PG_REPLICA_DIR/data/pg_hba.conf"
    printf '%s\n' "# streaming replica of 127.0.0.1:5432 made by scaleout's deploy/local/up.sh" "hot_standby = on" \
      | as_postgres tee "$PG_REPLICA_DIR/data/postgresql.conf" >/dev/null
    as_postgres touch "$PG_REPLICA_DIR/.complete"
  fi
  say "Starting the Postgres replica on 127.0.0.1:$PG_REPLICA_PORT..."
  as_postgres "$bin/pg_ctl" -D "$PG_REPLICA_DIR/data" -l "$PG_REPLICA_DIR/replica.log" -w -t 60 \
    -o "-p $PG_REPLICA_PORT -k $PG_REPLICA_DIR -c listen_addresses=127.0.0.1 -c hot_standby=on" start >/dev/null \
    || die "the replica did not start (see $PG_REPLICA_DIR/replica.log)"
  echo "$PG_REPLICA_DIR" > "$RUN_DIR/pg-replica.started"
}

allow_local_replication() {
  local hba method
  hba=$(psql -h 127.0.0.1 -U postgres -Atc 'SHOW hba_file') || die "cannot ask Postgres for its pg_hba.conf"
  as_root grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32' "$hba" && return 0
  method=$(as_root awk '$1=="host" && $2=="all" && $3=="all" && $4=="127.0.0.1/32" {print $5; exit}' "$hba")
  say "Allowing replication connections from 127.0.0.1 in $hba (method ${method:-scram-sha-256})..."
  printf 'host replication postgres 127.0.0.1/32 %s\n' "${method:-scram-sha-256}" | as_root tee -a "$hba" >/dev/null
  psql -h 127.0.0.1 -U postgres -Atc 'SELECT pg_reload_conf()' >/dev/null
}

stop_pg_replica() {
  [ -f "$RUN_DIR/pg-replica.started" ] || return 0
  local dir bin
  dir=$(cat "$RUN_DIR/pg-replica.started")
  bin=$(pg_bin)
  say "Stopping the Postgres replica..."
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  # a slot left behind would keep the primary's WAL for good: the next up.sh makes the replica anew
  local i
  for i in $(seq 1 25); do # the primary's sender lets go of the slot a moment after the replica stopped
    psql -h 127.0.0.1 -U postgres -Atc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
      WHERE slot_name = '$PG_REPLICA_SLOT' AND NOT active" >/dev/null 2>&1 || true
    [ "$(replica_slot_on_primary 2>/dev/null)" = 0 ] && break
    sleep 0.2
  done
  rm -f "$RUN_DIR/pg-replica.started"
}

ensure_kafka() {
  local dir=$RUN_DIR/kafka file
  file=$(pid_file kafka)
  if running "$file"; then return 0; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by a process this cluster did not start"
  mkdir -p "$dir/data" "$PID_DIR" "$LOG_DIR"
  if [ ! -f "$dir/libs/.complete" ]; then
    say "Fetching the Kafka server jars from Maven Central..."
    mvn -B -q -ntp -f "$ROOT/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$dir/libs" -DincludeScope=runtime || die "cannot fetch the Kafka jars"
    touch "$dir/libs/.complete"
  fi
  sed -e "s|@@KAFKA_PORT@@|$KAFKA_PORT|g" -e "s|@@CONTROLLER_PORT@@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@@LISTEN_HOST@@|127.0.0.1|g" -e "s|@@ADVERTISED_HOST@@|127.0.0.1|g" -e "s|@@DATA_DIR@@|$dir/data|g" "$ROOT/deploy/local/kafka/server.properties.template" > "$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    local id
    id=$(java -cp "$dir/libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java -cp "$dir/libs/*" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" --standalone \
      > "$LOG_DIR/kafka-format.log" 2>&1 || die "cannot format Kafka storage (see $LOG_DIR/kafka-format.log)"
  fi
  say "Starting Kafka (KRaft) on 127.0.0.1:$KAFKA_PORT..."
  # shellcheck disable=SC2086
  setsid java $KAFKA_HEAP -XX:+UseSerialGC "-Dscaleout.run=$RUN_DIR" \
    "-Dlog4j2.configurationFile=$ROOT/deploy/local/kafka/log4j2.properties" \
    -cp "$dir/libs/*" kafka.Kafka "$dir/server.properties" < /dev/null > "$LOG_DIR/kafka.log" 2>&1 &
  echo $! > "$file"
  local i
  for i in $(seq 1 120); do
    port_open "$KAFKA_PORT" && return 0
    kill -0 "$(cat "$file")" 2>/dev/null || { tail -20 "$LOG_DIR/kafka.log" >&2 || true; die "Kafka exited (see $LOG_DIR/kafka.log)"; }
    sleep 0.5
  done
  die "Kafka not listening on $KAFKA_PORT after 60 s (see $LOG_DIR/kafka.log)"
}

# The administrator the session service creates at start (only when absent from its database):
# ADMIN_EMAIL / ADMIN_PASSWORD from the environment, else admin@scaleout.local with a random
# password made once, printed once by up.sh, and kept (mode 600) in ADMIN_PASSWORD_FILE — beside
# the machine's Postgres data in lifetime, not in one run directory.
ADMIN_PASSWORD_FILE=${ADMIN_PASSWORD_FILE:-${XDG_STATE_HOME:-$HOME/.local/state}/scaleout/admin-password}

admin_email() { echo "${ADMIN_EMAIL:-admin@scaleout.local}"; }

admin_password() {
  if [ -n "${ADMIN_PASSWORD:-}" ]; then echo "$ADMIN_PASSWORD"; return; fi
  if [ ! -f "$ADMIN_PASSWORD_FILE" ]; then
    mkdir -p "$(dirname "$ADMIN_PASSWORD_FILE")" "$RUN_DIR"
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$ADMIN_PASSWORD_FILE")
    touch "$RUN_DIR/admin-password.new"
  fi
  cat "$ADMIN_PASSWORD_FILE"
}

# The event bus's mutual TLS and the key that signs callers: a throw-away authority with one member
# certificate (deploy/local/cluster-certs.sh) and a random identity key, made once per run directory
# and kept there (mode 600), so instances started later join the ones running. CLUSTER_TLS_CERT,
# CLUSTER_TLS_KEY, CLUSTER_TLS_CA and CLUSTER_IDENTITY_KEY from the environment win.
CLUSTER_SECRETS_DIR=$RUN_DIR/cluster-secrets

# cluster_trust_env: the settings every member of this cluster starts with, as NAME=VALUE words.
cluster_trust_env() {
  if [ ! -s "$CLUSTER_SECRETS_DIR/member.crt" ]; then
    "$ROOT/deploy/local/cluster-certs.sh" "$CLUSTER_SECRETS_DIR" member >&2 || die "cannot make the cluster's certificates"
  fi
  if [ ! -s "$CLUSTER_SECRETS_DIR/identity.key" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 > "$CLUSTER_SECRETS_DIR/identity.key")
  fi
  echo "CLUSTER_TLS_CERT=${CLUSTER_TLS_CERT:-$CLUSTER_SECRETS_DIR/member.crt}" \
    "CLUSTER_TLS_KEY=${CLUSTER_TLS_KEY:-$CLUSTER_SECRETS_DIR/member.key}" \
    "CLUSTER_TLS_CA=${CLUSTER_TLS_CA:-$CLUSTER_SECRETS_DIR/ca.crt}" \
    "CLUSTER_IDENTITY_KEY=${CLUSTER_IDENTITY_KEY:-$(cat "$CLUSTER_SECRETS_DIR/identity.key")}"
}

# start_instance SERVICE N: starts instance N of SERVICE unless it runs; does not wait.
start_instance() {
  local service=$1 n=$2 name file
  name=$service-$n
  file=$(pid_file "$name")
  running "$file" && return 0
  mkdir -p "$PID_DIR" "$LOG_DIR"
  # the workspace gateways write uploads to and workers read them from (and serve thumbnails from)
  local -a env=("INSTANCE_ID=$name" "MGMT_PORT=$(mgmt_port "$service" "$n")" "WORKSPACE_DIR=${WORKSPACE_DIR:-$RUN_DIR/workspace}")
  local trust
  trust=$(cluster_trust_env)
  # shellcheck disable=SC2206
  env+=($trust)
  [ "$service" = gateway ] && env+=("HTTP_PORT=$(http_port "$n")")
  # behind the local nginx, the gateways believe its X-Forwarded-For (rate limits, login throttling)
  [ "$service" = gateway ] && nginx_enabled && env+=("TRUSTED_PROXIES=127.0.0.1")
  [ "$service" = catalog ] && env+=("DB_REPLICAS=${DB_REPLICAS:-127.0.0.1:$PG_REPLICA_PORT}")
  [ "$service" = session ] && env+=("ADMIN_EMAIL=$(admin_email)" "ADMIN_PASSWORD=$(admin_password)")
  say "Starting $name (management port $(mgmt_port "$service" "$n"))..."
  # appended: the log of an instance that left or was killed stays for a post-mortem
  # shellcheck disable=SC2086
  env "${env[@]}" setsid java $JAVA_OPTS "-Dscaleout.run=$RUN_DIR" -jar "$(service_jar "$service")" \
    < /dev/null >> "$LOG_DIR/$name.log" 2>&1 &
  echo $! > "$file"
}

# await_instance SERVICE N: waits until the instance reports ready.
await_instance() {
  local service=$1 n=$2 name file port deadline
  name=$service-$n
  file=$(pid_file "$name")
  port=$(mgmt_port "$service" "$n")
  deadline=$((SECONDS + READY_TIMEOUT))
  until ready "$port"; do
    # kill -0, not running(): the pid was just started by us, and for a moment after the fork it
    # is still a copy of this shell, whose command line does not carry the run marker yet
    if ! kill -0 "$(cat "$file")" 2>/dev/null; then
      tail -20 "$LOG_DIR/$name.log" >&2 || true
      die "$name exited during start-up (log: $LOG_DIR/$name.log)"
    fi
    [ $SECONDS -lt $deadline ] || die "$name not ready after ${READY_TIMEOUT}s (log: $LOG_DIR/$name.log)"
    sleep 0.3
  done
}

# stop_pids FILE...: SIGTERM to each (graceful drain), then wait; SIGKILL after STOP_TIMEOUT.
stop_pids() {
  local file pid deadline
  local -a live=()
  for file in "$@"; do
    if running "$file"; then
      kill -TERM "$(cat "$file")" 2>/dev/null && live+=("$file")
    else
      rm -f "$file"
    fi
  done
  deadline=$((SECONDS + STOP_TIMEOUT))
  for file in "${live[@]}"; do
    pid=$(cat "$file")
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$(basename "$file" .pid) did not stop in ${STOP_TIMEOUT}s: killing it"
      kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$file"
  done
}

# nginx in front of the gateways (up.sh with WITH_NGINX=1): deploy/nginx/nginx.conf with a listen line
# for 127.0.0.1:$NGINX_PORT and one upstream server per running gateway, in $NGINX_DIR.
nginx_enabled() { [ -f "$RUN_DIR/nginx.enabled" ]; }

nginx_running() { [ -f "$NGINX_DIR/nginx.pid" ] && kill -0 "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null; }

# nginx_write_config [EXCLUDED]: one upstream per gateway but gateway-EXCLUDED (one being restarted)
nginx_write_config() {
  local n servers="" excluded=${1:-}
  mkdir -p "$NGINX_DIR" "$LOG_DIR"
  cp "$ROOT/deploy/nginx/nginx.conf" "$NGINX_DIR/nginx.conf"
  printf 'listen 127.0.0.1:%s;\n' "$NGINX_PORT" > "$NGINX_DIR/listen.conf"
  for n in $(instance_numbers gateway); do
    [ "$n" = "$excluded" ] && continue
    servers+="server 127.0.0.1:$(http_port "$n") max_fails=1 fail_timeout=5s;"$'\n'
  done
  [ -n "$servers" ] || die "no gateway runs: nginx needs at least one upstream"
  printf '%s' "$servers" > "$NGINX_DIR/gateways.conf"
}

# nginx_reload [EXCLUDED]: nginx's workers are replaced by ones with the current gateways (but
# gateway-EXCLUDED); the old workers finish their requests first, and the new ones start with no
# gateway marked failed. Waits NGINX_RELOAD_SECONDS (1) for the new workers to take over.
nginx_reload() {
  nginx_write_config "${1:-}"
  nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -s reload 2>>"$LOG_DIR/nginx.log" || die "nginx did not reload (see $LOG_DIR/nginx.log)"
  sleep "${NGINX_RELOAD_SECONDS:-1}"
}

# ensure_nginx: starts nginx, or reloads it with the current gateways
ensure_nginx() {
  if ! command -v nginx >/dev/null; then
    say "Installing nginx (apt-get)..."
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null 2>&1 \
      || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } \
      || die "cannot install nginx"
  fi
  if nginx_running; then
    nginx_reload
  else
    nginx_write_config
    port_open "$NGINX_PORT" && die "port $NGINX_PORT is taken by a process this cluster did not start"
    say "Starting nginx on 127.0.0.1:$NGINX_PORT in front of the gateways..."
    # env -u: nginx takes a NGINX variable for sockets inherited from an old master
    env -u NGINX nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" 2>>"$LOG_DIR/nginx.log" \
      || die "nginx did not start (see $LOG_DIR/nginx.log)"
  fi
}

stop_nginx() {
  nginx_running || return 0
  say "Stopping nginx..."
  local pid i
  pid=$(cat "$NGINX_DIR/nginx.pid")
  nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -s quit 2>>"$LOG_DIR/nginx.log" || kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}
