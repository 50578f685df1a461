"""The store's stored states compressed with lz4 where the server has it (PostgreSQL).

A hot event's full snapshot holds every booking: megabytes, which PostgreSQL compresses as it
stores them, by default with pglz, most of the cost of writing one (bench/README.md). lz4 makes
such a value about as small several times faster, and reads it back faster too. Events and
counts' snapshots are rarely that large, but pay the same way when they are. Values written
before keep their compression and read as they are.

Revision ID: 0036
Revises: 0035
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Made by the store's recorder (`ops.migrate.create_store_tables`), not by a migration.
STORE_TABLES = ("ledger_events", "ledger_snapshots", "ledger_count_snapshots")
HAS_LZ4 = ("SELECT coalesce(bool_or('lz4' = ANY(enumvals)), false) FROM pg_settings "
           "WHERE name = 'default_toast_compression'")


def upgrade() -> None:
    """lz4 for each store table's `state` (a server built without lz4 keeps pglz)."""
    _compress_with("lz4")


def downgrade() -> None:
    """The server's default again for values written from now on."""
    _compress_with("default")


def _compress_with(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not bind.exec_driver_sql(HAS_LZ4).scalar():
        return
    for table in STORE_TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN state SET COMPRESSION {method}")
