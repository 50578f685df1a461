"""Orders across categories (`commands.domain.lines`): a booking's lines (`bookings.lines`)
and a hold's (`holds.lines`), null for one category, whose single fields say it. Rows
projected before stay null: their events named one category.

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import OrderLines

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("bookings", "holds")


def upgrade() -> None:
    """Add `lines` to `bookings` and `holds`."""
    for name in TABLES:
        with op.batch_alter_table(name) as table:
            table.add_column(sa.Column("lines", OrderLines(), nullable=True))


def downgrade() -> None:
    """Drop them."""
    for name in TABLES:
        with op.batch_alter_table(name) as table:
            table.drop_column("lines")
