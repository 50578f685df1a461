"""Each event's tax rules on the `events` read table: `taxes` (JSON), null for none set. Rows
projected before are of events that never set any: null.

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `taxes` to `events`."""
    with op.batch_alter_table("events") as table:
        table.add_column(sa.Column("taxes", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("events") as table:
        table.drop_column("taxes")
