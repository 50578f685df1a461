"""The migrations make the webhooks' tables exactly as their models say, on each backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData

from core.db import get_engine
from core.settings import Settings
from workers.webhooks.tables import deliveries, endpoints, replays, tracking


def test_the_migrated_webhook_tables_match_their_models(any_settings: Settings) -> None:
    ours = MetaData()
    for table in (endpoints, deliveries, replays, tracking):
        table.to_metadata(ours)
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _: kind != "table" or name in ours.tables,
        })
        assert compare_metadata(context, ours) == []
