-- The application's PostgreSQL role: it may read and append to the event store, never change
-- or remove what is stored (no UPDATE, DELETE nor TRUNCATE there); it owns the read tables,
-- which are projections of the store and may be rebuilt (a rebuild swaps tables).
--
-- Run as the owner of the tables (the role that ran `python -m core.migrate`), after migrating:
--   psql "postgresql://owner@host/ledger" -v ON_ERROR_STOP=1 \
--        -v app_role=ledger_app -v app_password='a long random secret' -f scripts/db/app_role.sql
-- then run the API and the workers with DATABASE_URL=postgresql+psycopg://ledger_app:…@host/ledger
-- (migrations keep running as the owner). Running it again is harmless.

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_role', :'app_password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'app_role', :'app_password') \gexec

SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
-- CREATE: a rebuild writes a projection into fresh tables before swapping them in.
GRANT USAGE, CREATE ON SCHEMA public TO :"app_role";

-- The event store: append-only.
REVOKE ALL ON ledger_events, ledger_snapshots FROM PUBLIC;
REVOKE ALL ON ledger_events, ledger_snapshots FROM :"app_role";
GRANT SELECT, INSERT ON ledger_events, ledger_snapshots TO :"app_role";
GRANT USAGE ON SEQUENCE ledger_events_notification_id_seq TO :"app_role";
-- Appends are serialised by an EXCLUSIVE table lock, which PostgreSQL gives only to roles that
-- may UPDATE, DELETE or TRUNCATE: the app takes it through this function (core/pgstore.py).
REVOKE ALL ON FUNCTION ledger_events_lock() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger_events_lock() TO :"app_role";

-- Read tables and accounts: owned by the app (projections write them, rebuilds swap them).
-- Handing a table over needs membership of the new owner's role.
SELECT format('GRANT %I TO %I', :'app_role', current_user)
WHERE NOT pg_has_role(current_user, :'app_role', 'MEMBER') \gexec
SELECT format('ALTER TABLE %I OWNER TO %I', tablename, :'app_role')
FROM pg_tables
WHERE schemaname = 'public'
  AND tablename NOT IN ('ledger_events', 'ledger_snapshots', 'alembic_version') \gexec
GRANT SELECT ON alembic_version TO :"app_role";
