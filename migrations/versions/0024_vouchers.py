"""An event's vouchers in the "revenue" read model: `vouchers`, each code's terms and what it
sold. Stores made before vouchers hold none: the table starts empty wherever the model stands.

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import Money, UTCDateTime

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `vouchers`."""
    op.create_table(
        "vouchers",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("discount", sa.String(16), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=False),
        sa.Column("valid_from", UTCDateTime(), nullable=True),
        sa.Column("valid_until", UTCDateTime(), nullable=True),
        sa.Column("categories", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("label", sa.String(80), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("redeemed", sa.Integer(), nullable=False),
        sa.Column("bookings", sa.Integer(), nullable=False),
        sa.Column("revenue", Money(), nullable=False),
        sa.Column("discounts", Money(), nullable=False),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("vouchers")
