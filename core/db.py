"""SQLAlchemy engines and sessions for the read tables, plus the event store's environment."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeGuard

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.settings import Settings, get_settings


def libpq_url(url: str) -> str:
    """A PostgreSQL URL as libpq (psycopg.connect) takes it: no SQLAlchemy driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlalchemy_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        psycopg_url = parsed.set(drivername="postgresql+psycopg")
        return psycopg_url.render_as_string(hide_password=False)
    return url


def unreachable(error: BaseException | None) -> TypeGuard[DBAPIError]:
    """Whether a database error says the server is out of reach (it stopped, restarted, cut
    the connection or cancelled the statement), not that the statement itself was wrong."""
    return isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated)


def make_engine(settings: Settings, *, pre_ping: bool = True, url: str | None = None) -> Engine:
    """An engine for the read tables (of `url`: a read replica; else the primary's
    DATABASE_URL); SQLite gets WAL and BEGIN IMMEDIATE for writers.

    `pre_ping` checks each connection handed out with a round trip of its own; without it, a
    connection lost meanwhile (a database restart) fails its first statement, and SQLAlchemy
    then drops every connection of the pool made before (the caller retries once).
    """
    url = _sqlalchemy_url(url or settings.database_url)
    if make_url(url).get_backend_name() != "postgresql":
        db_path = make_url(url).database
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=settings.sql_echo, connect_args={"timeout": 30, "check_same_thread": False}
        )
        _sqlite_pragmas(engine)
        return engine
    return create_engine(
        url, echo=settings.sql_echo, pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow, pool_pre_ping=pre_ping,
        connect_args={"connect_timeout": 5},
    )


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Python's sqlite3 opens transactions lazily; take over so writers lock up front.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()
        # SQLite's own lower() folds ASCII only: searching "zoë" would miss "ZOË".
        dbapi_conn.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking;
        # read-only work (see `read_scope`) begins deferred and never waits for writers (WAL).
        read_only = conn.get_execution_options().get("read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    return make_engine(get_settings())


@lru_cache
def get_lock_engine() -> Engine:
    """The process-wide engine of the write side's advisory locks: no pre-ping (one round trip
    less per command; `commands.store.locks` retries a lost connection once)."""
    return make_engine(get_settings(), pre_ping=False)


@lru_cache
def session_factory() -> sessionmaker[Session]:
    """The process's one session maker (making one is most of a one-statement transaction's
    CPU: every worker batch and message opens a session)."""
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction: commit on success, roll back on error."""
    with session_factory()() as session, session.begin():
        yield session


@contextmanager
def read_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A read-only transaction (on `engine`: a read replica's; else the primary's): on SQLite it
    does not queue behind writers."""
    engine = (engine or get_engine()).execution_options(read_only=True)
    with Session(bind=engine, expire_on_commit=False) as session, session.begin():
        yield session


def held_alone(session: Session, key: int) -> bool:
    """Whether this session's transaction is the only holder of `key` until it ends: on
    PostgreSQL, whether it took that advisory lock (never waiting for it); on SQLite, always
    (one process, which keeps its own jobs apart)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"),
                                {"k": key}).scalar())


@contextmanager
def read_connection() -> Iterator[Connection]:
    """`read_scope` without the ORM: a plain connection in a read-only transaction."""
    with get_engine().connect().execution_options(read_only=True) as conn, conn.begin():
        yield conn


def store_env(settings: Settings, *, create_tables: bool = False) -> dict[str, str]:
    """The `eventsourcing` environment for the configured database (never in-memory)."""
    # No AGGREGATE_CACHE_MAXSIZE: the ledger's warm aggregates
    # (`commands.store.aggregate_cache`, bounded by count, each holding counts only) are the
    # one cache. The library's kept a second,
    # deep-copied, copy of every event loaded, bounded by count alone.
    common = {
        "CREATE_TABLE": "y" if create_tables else "n",
        "IS_SNAPSHOTTING_ENABLED": "y",
    }
    url = make_url(settings.database_url)
    if settings.is_postgres:
        return common | {
            # eventsourcing's factory with our recorder (appends take no table lock; readers
            # stop at the safe head) and a pool quick to reconnect.
            "PERSISTENCE_MODULE": "core.event_store.postgres_recorder:LedgerFactory",
            "POSTGRES_DBNAME": url.database or "postgres",
            "POSTGRES_HOST": url.host or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": url.username or "postgres",
            "POSTGRES_PASSWORD": url.password or "",
            "POSTGRES_LOCK_TIMEOUT": str(settings.lock_timeout_seconds),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": str(settings.db_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.db_max_overflow),
            # No round trip per checkout: a connection lost meanwhile fails its statement,
            # which the library retries (InterfaceError, OperationalError) on another one;
            # an append whose answer was lost is recognised by its retry
            # (`core.event_store.postgres_recorder`).
            "POSTGRES_PRE_PING": "n",
            # Off on purpose: with it on, a reader tailing the log was seen skipping events.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
        }
    db_path = url.database or ":memory:"
    if db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    return common | {
        "PERSISTENCE_MODULE": "core.event_store.sqlite_store:EmbeddedFactory",
        "SQLITE_DBNAME": db_path,
        "SQLITE_LOCK_TIMEOUT": "30",
    }


@lru_cache
def get_keys_engine() -> Engine:
    """The process-wide engine of the persons' keys (`core.personal_data`): a pool of its own. On
    SQLite a read model's fold holds the write lock and reads keys as it opens names: on the
    shared pool it could wait for a connection held by callers that wait for that lock."""
    return make_engine(get_settings())


_singletons: list[Any] = [get_settings, get_engine, get_lock_engine, get_keys_engine,
                          session_factory]


def singleton(fn: Any) -> Any:
    """`lru_cache` a process-wide factory and register it so tests can reset it."""
    cached = lru_cache(fn)
    _singletons.append(cached)
    return cached


def reset_singletons() -> None:
    """Forget every process-wide object (settings, engines, ledger...), e.g. between tests."""
    for cached in reversed(_singletons):
        if cached.cache_info().currsize:
            value = cached()
            release = getattr(value, "dispose", None) or getattr(value, "close", None)
            if callable(release):
                release()  # engines and ledgers hold pooled connections
        cached.cache_clear()
