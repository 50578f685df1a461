#!/bin/sh
# The owner of the ledger's tables: not a superuser. Run once by the postgres image on its first
# start (mounted in /docker-entrypoint-initdb.d by docker-compose.yml), as its superuser, which
# nothing else uses. The owner runs the migrations (`python -m ops.migrate`) and sets up the
# roles of the API and the workers (ops/roles.py): CREATEROLE lets it make and manage them,
# and from PostgreSQL 16 on only them (on 15 and older CREATEROLE is nearly a superuser: make
# the roles there as a superuser beforehand and give the owner no CREATEROLE).
# Environment: POSTGRES_USER, POSTGRES_DB (set by the image), DB_OWNER_PASSWORD; the role is
# "${POSTGRES_DB}_owner". By hand on an existing server: the same, with PGHOST/PGPORT set.
set -eu
: "${DB_OWNER_PASSWORD:?set DB_OWNER_PASSWORD}"
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v owner="${POSTGRES_DB}_owner" -v password="$DB_OWNER_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB CREATEROLE', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'owner', :'password') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'owner') \gexec
-- PostgreSQL 15+ gives the schema to the database's owner; older ones to the superuser.
SELECT format('ALTER SCHEMA public OWNER TO %I', :'owner') \gexec
SQL
