"""Seats vouchers reserve for their holders, on the availability read model:
`voucher_reserves`, one row per voucher that reserves seats of its category, empty until the
projection folds one.

Revision ID: 0030
Revises: 0029
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `voucher_reserves`."""
    op.create_table(
        "voucher_reserves",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("left", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("voucher_reserves")
