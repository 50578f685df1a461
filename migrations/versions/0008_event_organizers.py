"""Organizers: events' organizer, their co-organizers, and stats' currency.

Rows of events recorded before organizers keep NULL organizers: unowned, run by admins alone
(the rule the store's upcast applies, `commands.domain.event.Event.Created.upcast_v1_v2`).

Revision ID: 0008_i19
Revises: 0006_i20
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_i19"  # as databases' alembic_version rows name it: never renamed
down_revision: str | None = "0006_i20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `events.organizer_id`/`organizer_name`, `event_organizers`, `event_stats.currency`."""
    op.add_column("events", sa.Column("organizer_id", sa.Uuid(), nullable=True))
    op.add_column("events", sa.Column("organizer_name", sa.String(200), nullable=True))
    op.create_index("ix_events_organizer_starts_at_id", "events",
                    ["organizer_id", "starts_at", "id"])
    op.create_table(
        "event_organizers",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_index("ix_event_organizers_user_id", "event_organizers", ["user_id"])
    op.add_column("event_stats", sa.Column("currency", sa.String(3), nullable=True))
    # Each event's currency, from its row: the projections' own data, no replay needed.
    op.execute("UPDATE event_stats SET currency = (SELECT e.currency FROM events e "
               "WHERE e.id = event_stats.event_id)")
    op.execute("UPDATE event_stats SET currency = 'EUR' WHERE currency IS NULL")
    with op.batch_alter_table("event_stats") as batch:
        batch.alter_column("currency", existing_type=sa.String(3), nullable=False)


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("event_stats") as batch:
        batch.drop_column("currency")
    op.drop_index("ix_event_organizers_user_id", "event_organizers")
    op.drop_table("event_organizers")
    op.drop_index("ix_events_organizer_starts_at_id", "events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("organizer_name")
        batch.drop_column("organizer_id")
