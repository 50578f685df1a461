"""Organizers' retention of their buyers: `retention_policies`, one row per organizer who set
one (workers/retention.py).

Revision ID: 0034
Revises: 0033
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `retention_policies`."""
    op.create_table(
        "retention_policies",
        sa.Column("organizer_id", sa.Uuid(), primary_key=True),
        sa.Column("forget_buyers_after_days", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    """Drop it: no organizer's buyers are forgotten by retention any more."""
    op.drop_table("retention_policies")
