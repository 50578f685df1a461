"""Checkout holds and waiting lines: seats held and waited for per category, every hold and
every place in line.

The read model "holds" is new: it starts at position 0 and catches up from the log.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import Money, UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `events.hold_seconds`, `event_categories.held` and `.waiting`; create `holds` and
    `waitlist_places`."""
    op.add_column("events", sa.Column("hold_seconds", sa.Integer(), nullable=True))
    op.add_column("event_categories",
                  sa.Column("held", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("event_categories",
                  sa.Column("waiting", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "holds",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", Money(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("offer", sa.Boolean(), nullable=False),
        sa.Column("place_id", sa.Uuid(), nullable=True),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_holds_status_expires_at", "holds", ["status", "expires_at"])
    op.create_index("ix_holds_user_id_created_at", "holds", ["user_id", "created_at"])
    op.create_index("ix_holds_event_id", "holds", ["event_id"])
    op.create_table(
        "waitlist_places",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("hold_id", sa.Uuid(), nullable=True),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_waitlist_places_event_id_category_position", "waitlist_places",
                    ["event_id", "category", "position"])
    op.create_index("ix_waitlist_places_user_id_joined_at", "waitlist_places",
                    ["user_id", "joined_at"])


def downgrade() -> None:
    """Drop them."""
    op.drop_table("waitlist_places")
    op.drop_table("holds")
    with op.batch_alter_table("event_categories") as batch:
        batch.drop_column("waiting")
        batch.drop_column("held")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("hold_seconds")
