"""The roles the API and the workers connect as, set up by the tables' owner after migrating.

`python -m ops.migrate` applies them when API_DATABASE_URL and WORKER_DATABASE_URL are set
(docker-compose.yml, scripts/run_distributed.sh and the tests alike): each role is created or
updated (its password is the one in its URL), then given exactly this:

| object                                     | api (API processes)    | worker (Celery workers)  |
|--------------------------------------------|------------------------|--------------------------|
| ledger_events, its sequence                | SELECT, INSERT         | as api                   |
| ledger_snapshots, ledger_count_snapshots   | SELECT                 | SELECT, INSERT           |
| users, projection_rebuilds, verify_runs,   | SELECT, INSERT, UPDATE | as api                   |
| verify_problems, reconciliation_runs,      |                        |                          |
| reconciliation_problems, webhook_endpoints,|                        |                          |
| webhook_deliveries, webhook_tracking,      |                        |                          |
| webhook_replays, mail_messages,            |                        |                          |
| mail_tracking                              |                        |                          |
| webhook_deliveries, webhook_replays        | (as above)             | DELETE too (pruning)     |
| tree_heads, tree_keys (signed heads)       | SELECT                 | SELECT, INSERT (signer)  |
| read tables and projection_tracking        | SELECT                 | owns them (rebuilds swap)|
| the schema                                 | USAGE                  | USAGE, CREATE            |

The worker role is a member of the api role: a process without a broker (Celery eager) does
both jobs and connects as the worker. Neither role may UPDATE, DELETE or TRUNCATE the store,
be a superuser, or belong to a role that reads or runs anything on the server: `apply`
refuses to finish otherwise.
"""

import os
import secrets
import sys
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from core.db import libpq_url
from projections.registry import REGISTRY

EVENTS, SNAPSHOTS, COUNTS = "ledger_events", "ledger_snapshots", "ledger_count_snapshots"
STORE = (EVENTS, SNAPSHOTS, COUNTS)
SEQUENCE = f"{EVENTS}_notification_id_seq"
# Accounts; who runs a rebuild; verify and reconciliation runs (an API process starts them, a
# worker or the embedded API process records their progress and problems).
API_WRITES = ("users", "projection_rebuilds", "verify_runs", "verify_problems",
              "reconciliation_runs", "reconciliation_problems",
              # webhooks: the API registers endpoints and replays; workers fan out and send
              "webhook_endpoints", "webhook_deliveries", "webhook_tracking", "webhook_replays",
              # messages to buyers: the API queues resends; workers record and send them
              "mail_messages", "mail_tracking",
              # each person's wrapped data keys: made and destroyed by the API (and the embedded
              # process), read by the workers' projections to open what they fold
              "person_keys",
              # organizers' retention of their buyers: set through the API
              "retention_policies")
# The delivery log and its replays, pruned by age by the workers' webhook tick.
WORKER_PRUNES = ("webhook_deliveries", "webhook_replays")
SIGNER_APPENDS = ("tree_heads", "tree_keys")  # signed heads: the signer adds, none changes
PROJECTED = frozenset(t.name for p in REGISTRY.values() for t in p.tables) | {
    "projection_tracking", "merkle_leaves", "merkle_nodes"}
SHADOW = "__next"  # a rebuild's fresh copy of a read table (projections/shadow.py)
NOBODY = ("alembic_version",)
# Membership in one of these reads or writes any file or runs any program on the server.
SERVER_ROLES = ["pg_execute_server_program", "pg_read_server_files", "pg_write_server_files",
                "pg_read_all_data", "pg_write_all_data"]
ATTRIBUTES = ("rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls")
ENV = ("API_DATABASE_URL", "WORKER_DATABASE_URL")
MAX_NAME = 63  # bytes in an identifier


class RoleError(RuntimeError):
    """The roles cannot be set up with least privilege (the message says why)."""


@dataclass(frozen=True)
class Role:
    """A role as a URL names it: user name and password (None: left as it is)."""

    name: str
    password: str | None

    @classmethod
    def of(cls, url: str) -> "Role":
        parsed = make_url(url)
        if not parsed.username:
            raise RoleError(f"no user name in {parsed.render_as_string(hide_password=True)}")
        if len(parsed.username.encode()) > MAX_NAME:  # PostgreSQL would cut it short
            raise RoleError(f"role name {parsed.username!r} is over {MAX_NAME} bytes")
        return cls(parsed.username, parsed.password)


def role_url(owner_url: str, kind: str, password: str | None) -> str:
    """The URL of role `<database>_<kind>`: the owner's URL with that user and password."""
    parsed = make_url(owner_url)
    named = parsed.set(username=f"{parsed.database}_{kind}", password=password)
    return named.render_as_string(hide_password=False)


def from_env() -> tuple[str, str] | None:
    """(api URL, worker URL) from API_DATABASE_URL and WORKER_DATABASE_URL; None if unset."""
    urls = [os.environ.get(name, "") for name in ENV]
    if not any(urls):
        return None
    if not all(urls):
        raise RoleError(f"set both {' and '.join(ENV)}, or neither")
    return urls[0], urls[1]


def apply(owner_url: str, api_url: str, worker_url: str) -> None:
    """Create or update both roles and grant them their rights, in one transaction."""
    api, worker = Role.of(api_url), Role.of(worker_url)
    with psycopg.connect(libpq_url(owner_url), autocommit=False) as conn:
        owner = str(_one(conn, "SELECT current_user"))
        if len({owner, api.name, worker.name}) != 3:
            raise RoleError("the owner, the API's role and the workers' role must differ")
        for role in (api, worker):
            _ensure(conn, role)
        _member(conn, api.name, worker.name)  # the worker does what the API does
        _member(conn, worker.name, owner)  # to hand it tables and set its default privileges
        _database(conn, api.name, worker.name)
        _store(conn, api.name, worker.name)
        _tables(conn, owner, api.name, worker.name)
        for role in (api, worker):
            _check(conn, role.name, owner)


def _one(conn: psycopg.Connection[Any], query: str, *params: Any) -> Any:
    row = conn.execute(query, params or None).fetchone()
    return None if row is None else row[0]


def _run(conn: psycopg.Connection[Any], template: str, **names: str) -> None:
    """A statement whose {placeholders} are identifiers (quoted by psycopg)."""
    conn.execute(sql.SQL(template).format(**{k: sql.Identifier(v) for k, v in names.items()}))


def _ensure(conn: psycopg.Connection[Any], role: Role) -> None:
    """CREATE the role, or ALTER it: it logs in, with the URL's password when it has one."""
    exists = _one(conn, "SELECT 1 FROM pg_roles WHERE rolname = %s", role.name)
    verb = "ALTER" if exists else "CREATE"
    statement = sql.SQL(verb + " ROLE {} LOGIN").format(sql.Identifier(role.name))
    if role.password is not None:
        statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(role.password))
    conn.execute(statement)


def _member(conn: psycopg.Connection[Any], role: str, member: str) -> None:
    if not _one(conn, "SELECT pg_has_role(%s, %s, 'MEMBER')", member, role):
        _run(conn, "GRANT {role} TO {member}", role=role, member=member)


def _database(conn: psycopg.Connection[Any], api: str, worker: str) -> None:
    names = {"db": str(_one(conn, "SELECT current_database()")),
             "schema": str(_one(conn, "SELECT current_schema()")), "api": api, "worker": worker}
    _run(conn, "GRANT CONNECT ON DATABASE {db} TO {api}, {worker}", **names)
    _run(conn, "GRANT USAGE ON SCHEMA {schema} TO {api}", **names)
    _run(conn, "GRANT CREATE ON SCHEMA {schema} TO {worker}", **names)  # a rebuild's copies
    # What a rebuild creates (as the worker) the API reads.
    _run(conn, "ALTER DEFAULT PRIVILEGES FOR ROLE {worker} IN SCHEMA {schema} "
         "GRANT SELECT ON TABLES TO {api}", **names)


def _store(conn: psycopg.Connection[Any], api: str, worker: str) -> None:
    """Append-only: read and insert events; only the worker inserts snapshots."""
    if not _one(conn, "SELECT to_regclass(%s)", EVENTS):
        raise RoleError(f"{EVENTS} is missing: migrate the store first (ops.migrate)")
    names = {"events": EVENTS, "snapshots": SNAPSHOTS, "counts": COUNTS, "seq": SEQUENCE,
             "api": api, "worker": worker}
    _run(conn, "REVOKE ALL ON TABLE {events}, {snapshots}, {counts} FROM PUBLIC, {api}, {worker}",
         **names)
    _run(conn, "REVOKE ALL ON SEQUENCE {seq} FROM PUBLIC, {api}, {worker}", **names)
    _run(conn, "GRANT SELECT, INSERT ON TABLE {events} TO {api}", **names)
    _run(conn, "GRANT SELECT ON TABLE {snapshots}, {counts} TO {api}", **names)
    _run(conn, "GRANT INSERT ON TABLE {snapshots}, {counts} TO {worker}", **names)
    # USAGE: nextval for appends, and pg_sequence_last_value for the safe head
    # (core/event_store/safe_head.py).
    _run(conn, "GRANT USAGE ON SEQUENCE {seq} TO {api}", **names)


def _tables(conn: psycopg.Connection[Any], owner: str, api: str, worker: str) -> None:
    """Every other table of the schema by its kind; a table of no known kind is refused."""
    rows = conn.execute("SELECT tablename, tableowner FROM pg_tables "
                        "WHERE schemaname = current_schema() ORDER BY tablename").fetchall()
    for table, current in rows:
        names = {"t": table, "api": api, "worker": worker, "owner": owner}
        if table in STORE:
            continue
        if table in API_WRITES or table in SIGNER_APPENDS or table in NOBODY:
            if current != owner:
                _run(conn, "ALTER TABLE {t} OWNER TO {owner}", **names)
            _run(conn, "REVOKE ALL ON TABLE {t} FROM PUBLIC, {api}, {worker}", **names)
            if table in API_WRITES:
                _run(conn, "GRANT SELECT, INSERT, UPDATE ON TABLE {t} TO {api}", **names)
                if table in WORKER_PRUNES:
                    _run(conn, "GRANT DELETE ON TABLE {t} TO {worker}", **names)
            elif table in SIGNER_APPENDS:
                _run(conn, "GRANT SELECT ON TABLE {t} TO {api}", **names)
                _run(conn, "GRANT INSERT ON TABLE {t} TO {worker}", **names)
        elif table.removesuffix(SHADOW) in PROJECTED:
            if current != worker:  # (ALTER … OWNER locks the table: only when it changes)
                _run(conn, "ALTER TABLE {t} OWNER TO {worker}", **names)
            _run(conn, "REVOKE ALL ON TABLE {t} FROM PUBLIC, {api}", **names)
            _run(conn, "GRANT SELECT ON TABLE {t} TO {api}", **names)
        else:
            raise RoleError(f"table {table!r} has no rule in ops/roles.py: say who may read "
                            "and write it")


def _check(conn: psycopg.Connection[Any], role: str, owner: str) -> None:
    """Refuse a role that could change the store or reach the server's files and programs."""
    problems = [a for a in ATTRIBUTES
                if _one(conn, f"SELECT {a} FROM pg_roles WHERE rolname = %s", role)]  # noqa: S608 - our names
    problems += [r[0] for r in conn.execute(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s) AND pg_has_role(%s, oid, 'MEMBER')",
        (SERVER_ROLES, role)).fetchall()]
    if _one(conn, "SELECT pg_has_role(%s, %s, 'MEMBER')", role, owner):
        problems.append(f"member of the owner {owner}")
    for table in STORE:
        problems += [f"{p} on {table}" for p in ("UPDATE", "DELETE", "TRUNCATE")
                     if _one(conn, "SELECT has_table_privilege(%s, %s, %s)", role, table, p)]
    if problems:
        raise RoleError(f"role {role} may not be used by the app: {', '.join(problems)}")


def main() -> None:
    """`python -m ops.roles api|worker`: that role's URL for DATABASE_URL, new password."""
    kinds = ("api", "worker")
    if len(sys.argv) != 2 or sys.argv[1] not in kinds:
        sys.exit("usage: python -m ops.roles api|worker  (DATABASE_URL: the owner's)")
    from core.settings import get_settings  # noqa: PLC0415 - only the command line needs it

    print(role_url(get_settings().database_url, sys.argv[1], secrets.token_hex(24)))


if __name__ == "__main__":
    main()
