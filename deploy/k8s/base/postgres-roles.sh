#!/bin/bash
# The services' own Postgres roles, each the owner of its database: catalog owns catalog, session
# owns accounts, worker owns jobs. None is a superuser or may create databases, roles or replicate;
# each runs its migrations at start in the database it owns (PostgreSQL 15+: its public schema
# belongs to the database's owner) and cannot connect to another's (CONNECT is revoked from
# PUBLIC on each). Run again, it changes nothing but the passwords (rotation: write new password
# files, run it, restart the services).
#
# Used by docker-compose (mounted into the primary's docker-entrypoint-initdb.d: it runs once, at
# the first start, over the local socket as the superuser) and by Kubernetes (the postgres-roles
# Job, over TCP as your Postgres administrator: PGHOST, PGUSER, PGPASSWORD; an administrator that
# is not a superuser needs CREATEROLE and CREATEDB, and is made a member of each role so that it
# may hand it its database). The passwords are read from files in SCALEOUT_SECRETS_DIR (default
# /run/secrets): catalog-db-password, session-db-password, worker-db-password — psql reads them
# itself, so they never stand on a command line.
set -euo pipefail
secrets=${SCALEOUT_SECRETS_DIR:-/run/secrets}
export PGUSER=${PGUSER:-${POSTGRES_USER:-postgres}}
export PGDATABASE=${PGDATABASE:-postgres}

for owner in catalog:catalog session:accounts worker:jobs; do
  role=${owner%%:*}
  database=${owner#*:}
  file="$secrets/$role-db-password"
  [ -s "$file" ] || { echo "postgres-roles: $file is missing or empty" >&2; exit 1; }
  psql -X -q -v ON_ERROR_STOP=1 -v role="$role" -v database="$database" -v file="$file" <<'SQL'
\set password `cat :'file'`
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user \gset
-- only a superuser may even name the superuser attributes; a role another role made has none of them
SELECT format('ALTER ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE %s PASSWORD %L', :'role',
              CASE WHEN :'superuser' THEN 'NOSUPERUSER NOREPLICATION NOBYPASSRLS' ELSE '' END, :'password') \gexec
SELECT format('DO $fail$ BEGIN RAISE EXCEPTION %L; END $fail$', 'role ' || rolname || ' may do more than a service should'
              || ' (superuser, replication, bypassrls, createdb or createrole): fix it as a superuser')
  FROM pg_roles WHERE rolname = :'role' AND (rolsuper OR rolreplication OR rolbypassrls OR rolcreatedb OR rolcreaterole) \gexec
SELECT format('GRANT %I TO %I', :'role', current_user)
 WHERE NOT :'superuser' AND NOT pg_has_role(current_user, :'role', 'MEMBER') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'role') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database') \gexec
SQL
  echo "postgres-roles: role $role owns database $database"
done
