"""Migrations: the tables match the models, and running them again changes nothing."""

import contextlib
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core.db import get_engine
from core.models import Base
from core.settings import Settings
from ops.migrate import migrate
from tests.pg import owner_settings

ROOT = Path(__file__).resolve().parents[2]
with contextlib.suppress(ImportError):  # once accounts exist, `users` is compared too
    import query_api.auth.user_accounts  # noqa: F401


def test_the_migrated_schema_matches_the_models(any_settings: Settings) -> None:
    migrate(owner_settings(any_settings))  # again, as the owner: a second run is a no-op
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _: kind != "table" or name in Base.metadata.tables,
        })
        assert compare_metadata(context, Base.metadata) == []
        tables = set(inspect(connection).get_table_names())
    assert {"users", "projection_tracking", "events", "bookings", "event_stats"} <= tables
    assert any(name.endswith("_events") and name != "events" for name in tables)  # the store


def test_the_migrate_module_runs_as_a_program(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # a second run finds everything in place
        subprocess.run([sys.executable, "-m", "ops.migrate"], env=env, check=True,  # noqa: S603
                       cwd=ROOT, capture_output=True)
