#!/bin/bash
# Runs once, when the primary's data directory is first made (docker-entrypoint-initdb.d): a
# replication role for the streaming replica, and a pg_hba.conf line letting it connect.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}'"
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
