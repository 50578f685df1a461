"""The voucher each hold and booking was priced by, on the `holds` and `bookings` read
tables: `voucher`, null for none (every row projected before).

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `voucher` to `holds` and `bookings`."""
    for name in ("holds", "bookings"):
        with op.batch_alter_table(name) as table:
            table.add_column(sa.Column("voucher", sa.String(40), nullable=True))


def downgrade() -> None:
    """Drop them."""
    for name in ("holds", "bookings"):
        with op.batch_alter_table(name) as table:
            table.drop_column("voucher")
