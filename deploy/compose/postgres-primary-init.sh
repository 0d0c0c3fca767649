#!/bin/bash
# Runs once, when the primary's data directory is first made (docker-entrypoint-initdb.d): a
# replication role for the streaming replica, its password read from the compose secret (psql
# reads the file itself), and a pg_hba.conf line letting it connect. The services' own roles are
# made next by 20-service-roles.sh (deploy/k8s/base/postgres-roles.sh, shared with Kubernetes).
set -euo pipefail
psql -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v file=/run/secrets/replication-password <<'SQL'
\set password `cat :'file'`
SELECT format('CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD %L', :'password') \gexec
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
