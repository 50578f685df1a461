"""Invitations to co-organize an event, pending until the invited organizer answers.

A new table of the "availability" read model, empty at first: no event recorded before it
invited anyone (an organizer's addition made a co-organizer at once then).

Revision ID: 0009_invitations
Revises: 0008_i19
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.models import UTCDateTime

revision: str = "0009_invitations"
down_revision: str | None = "0008_i19"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `event_invitations`, indexed by the invitee."""
    op.create_table(
        "event_invitations",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=False),
        sa.Column("invited_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_event_invitations_user_id_invited_at", "event_invitations",
                    ["user_id", "invited_at"])


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_event_invitations_user_id_invited_at", "event_invitations")
    op.drop_table("event_invitations")
