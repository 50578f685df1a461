"""Alembic environment: the read tables and accounts of `core.models.Base`, URL from settings."""

import contextlib
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

# Each registers its tables on Base.metadata: the read models', the Merkle tree's, the
# tracking and rebuild rows, the verify runs, the persons' keys, the organizers' retention.
import core.personal_data.keys_table  # noqa: F401 - imported for its table
import projections.proofs.tables
import projections.rebuild_state
import projections.registry
import projections.tracking  # noqa: F401 - imported for its tables
import workers.retention_policies  # noqa: F401 - imported for its table
from core.db import make_engine
from core.models import Base
from core.settings import get_settings

with contextlib.suppress(ImportError):  # accounts may not exist yet: migrations still run
    import query_api.auth.user_accounts  # noqa: F401 - registers the users table

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Leave the event store's tables (owned by `eventsourcing`) out of autogenerate."""
    return type_ != "table" or name in target_metadata.tables


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    shared = config.attributes.get("connection")  # given by ops.migrate
    if shared is not None:
        run(shared)
        return
    if config.config_file_name:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = make_engine(get_settings())
    try:
        with engine.connect() as connection:
            run(connection)
    finally:
        engine.dispose()


def run_offline() -> None:
    url = make_engine(get_settings()).url  # builds the URL with the psycopg driver; no connection
    context.configure(
        url=url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
