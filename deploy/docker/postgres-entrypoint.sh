#!/bin/bash
# The scaleout/postgres entrypoint. On the first start of `postgres` (an empty PGDATA) it makes the
# data directory with the superuser POSTGRES_USER (postgres) and the password of
# POSTGRES_PASSWORD_FILE, lets every address in with scram-sha-256, runs the scripts of
# /docker-entrypoint-initdb.d against a server listening on its socket only, and stops it; then
# (and on every later start) it runs the command.
set -euo pipefail
export POSTGRES_USER=${POSTGRES_USER:-postgres}
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -s "${POSTGRES_PASSWORD_FILE:-}" ] || { echo "postgres-entrypoint: POSTGRES_PASSWORD_FILE names no file with a password" >&2; exit 1; }
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$POSTGRES_PASSWORD_FILE" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 > /dev/null
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w -s start
  for script in /docker-entrypoint-initdb.d/*.sh; do
    [ -e "$script" ] || continue
    echo "postgres-entrypoint: running $script"
    bash "$script"
  done
  pg_ctl -D "$PGDATA" -m fast -w -s stop
  echo "postgres-entrypoint: data directory made"
fi
exec "$@"
