"""Webhook endpoints backed off as a whole and disabled after failing too long: their failures
in a row, since when, the earliest next attempt, when and why they were disabled, and until
when one sender has claimed them.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the backoff, disabling and claim columns to `webhook_endpoints`."""
    with op.batch_alter_table("webhook_endpoints") as table:
        table.add_column(sa.Column("failures", sa.Integer(), nullable=False,
                                   server_default=sa.text("0")))
        table.add_column(sa.Column("failing_since", UTCDateTime(), nullable=True))
        table.add_column(sa.Column("retry_at", UTCDateTime(), nullable=True))
        table.add_column(sa.Column("disabled_at", UTCDateTime(), nullable=True))
        table.add_column(sa.Column("disabled_reason", sa.String(300), nullable=True))
        table.add_column(sa.Column("sending_until", UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Drop them (endpoints disabled then are sent to again)."""
    with op.batch_alter_table("webhook_endpoints") as table:
        for column in ("sending_until", "disabled_reason", "disabled_at", "retry_at",
                       "failing_since", "failures"):
            table.drop_column(column)
