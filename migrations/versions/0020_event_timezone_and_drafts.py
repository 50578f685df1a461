"""Venue time zones and drafts on the `events` read table: `timezone` (the venue's IANA zone)
`published` (false: a draft, unlisted and not on sale) and `publish_at` (a draft's scheduled
publication). Rows projected before are of events recorded before any existed: UTC, published,
none scheduled.

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `timezone`, `published` and `publish_at` to `events`."""
    with op.batch_alter_table("events") as table:
        table.add_column(sa.Column("timezone", sa.String(64), nullable=False,
                                   server_default="UTC"))
        table.add_column(sa.Column("published", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
        table.add_column(sa.Column("publish_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("events") as table:
        table.drop_column("publish_at")
        table.drop_column("published")
        table.drop_column("timezone")
