"""Webhook replays recorded: who replayed an endpoint, from where and when, so that replays per
endpoint per hour are bounded (WEBHOOK_MAX_REPLAYS_PER_HOUR).

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `webhook_replays`."""
    op.create_table(
        "webhook_replays",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("endpoint_id", sa.Uuid(), sa.ForeignKey("webhook_endpoints.id"),
                  nullable=False),
        sa.Column("replayed_by", sa.Uuid(), nullable=False),
        sa.Column("from_position", sa.BigInteger(), nullable=False),
        sa.Column("replayed_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_webhook_replays_endpoint_id", "webhook_replays",
                    ["endpoint_id", "replayed_at"])


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_webhook_replays_endpoint_id", "webhook_replays")
    op.drop_table("webhook_replays")
