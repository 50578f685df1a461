"""Appends take no table lock: drop the store's lock function (PostgreSQL).

Readers of the global log stop at the safe head instead (core/event_store/safe_head.py). The function
was made by the store's recorder when it created its tables; a store made since has none.

Revision ID: 0005_i17
Revises: 0004_h4
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_i17"  # as databases' alembic_version rows name it: never renamed
down_revision: str | None = "0004_h4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Drop `ledger_events_lock()` where it exists (never on SQLite)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ledger_events_lock()")


def downgrade() -> None:
    """Nothing to restore: the code of this revision and later takes no lock."""
