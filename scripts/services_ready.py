"""Check PostgreSQL and Redis for the distributed mode; create the database if it is missing."""

import sys

import psycopg
import redis
from psycopg import sql
from sqlalchemy.engine import make_url

from core.settings import get_settings


def ensure_database(url: str) -> str | None:
    """None when the database is reachable (created if absent), else the problem."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return f"DATABASE_URL must be PostgreSQL for the distributed mode, not {parsed.drivername}"
    server = parsed.set(drivername="postgresql", database="postgres")
    name = parsed.database or "postgres"
    try:
        dsn = server.render_as_string(hide_password=False)
        with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return None
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"    created database {name}")
    except psycopg.Error as exc:
        return f"PostgreSQL at {parsed.render_as_string(hide_password=True)}: {exc}"
    return None


def check_redis(url: str | None) -> str | None:
    if not url:
        return "CELERY_BROKER_URL is empty: the distributed mode needs Redis"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis at {url}: {exc}"
    return None


def main() -> None:
    settings = get_settings()
    problems = [p for p in (ensure_database(settings.database_url),
                            check_redis(settings.celery_broker_url)) if p]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
