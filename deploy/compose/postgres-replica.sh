#!/bin/bash
# The streaming replica: on first start, a base backup of the primary (retried until the primary
# accepts it; a fast checkpoint, not the next scheduled one) as the replication role, written with standby settings (-R: the password lands in
# the replica's own postgresql.auto.conf, inside its volume); then a hot standby.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  PGPASSWORD=$(cat /run/secrets/replication-password)
  export PGPASSWORD
  until pg_basebackup -h postgres -p 5432 -U replicator -D "$PGDATA" -R -X stream -c fast; do
    echo "waiting for the primary..."
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
