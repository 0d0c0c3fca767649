#!/bin/bash
# The streaming replica: on first start, a base backup of the primary (retried until the primary
# accepts it), written with standby settings (-R); then a hot standby.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -h postgres -p 5432 -U replicator -D "$PGDATA" -R -X stream; do
    echo "waiting for the primary..."
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
